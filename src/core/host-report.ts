import { HostState, type Host } from '../domain/host.js';
import { currentHistory, type Vm } from '../domain/vm.js';
import type { HostReport, VmReport } from '../drivers/types.js';
import type { MonitorEvent } from '../lifecycle/events.js';
import type { Transition } from '../lifecycle/machine.js';
import { allows, settlesPending } from '../lifecycle/machine.js';
import { getNumber, removeAttr, setSingle } from '../template/access.js';
import type { Template } from '../template/types.js';
import type { Tx } from '../store/store.js';
import type { Core } from './core.js';

/** The event a guest's report stands for; undefined when it agrees with a running guest. */
const EVENT_OF: Record<VmReport['state'], MonitorEvent | undefined> = {
  a: 'monitor-running', p: 'monitor-suspended', e: 'monitor-error', d: 'monitor-poweroff', '-': undefined,
};

function hostAttributes(t: Template, attrs: Record<string, string>): Template {
  return Object.entries(attrs).reduce((acc, [k, v]) => setSingle(acc, k, v), t);
}

/**
 * Applies what monitoring says, as state changes through the table. A report taken before the VM's last
 * state change is stale for that VM (the driver may have moved it since) and only updates its figures.
 * While a driver operation is pending, only a report that settles it (a guest seen up while booting,
 * gone while shutting down) is taken.
 */
async function reconcile(core: Core, tx: Tx, vm: Vm, report: VmReport | undefined, probedAt: number): Promise<Transition | undefined> {
  const event: MonitorEvent | undefined = report ? EVENT_OF[report.state] : 'monitor-poweroff';
  let current = vm;
  if (report) {
    const values = {
      CPU: String(report.cpu), MEMORY: String(report.memory), NETRX: String(report.netrx), NETTX: String(report.nettx),
      DISKRDBYTES: String(report.diskrdbytes), DISKWRBYTES: String(report.diskwrbytes),
    };
    await tx.addVmSample(vm.id, { timestamp: probedAt, values });
    current = { ...vm, lastPoll: probedAt, monitoring: { ...values, ID: String(vm.id), TIMESTAMP: String(probedAt) } };
  }
  // Same-second changes count as newer than the probe: a missed report costs one cycle, a wrong one a VM.
  const fresh = vm.stateTime < probedAt;
  const pending = (await tx.operationsOfVm(vm.id)).length > 0;
  if (event && fresh && allows(current, event) && (!pending || settlesPending(current, event))) {
    const t = await core.applyEvent(tx, current, event);
    core.log.info({ vm: vm.id, event, from: t.from, to: t.to }, 'monitoring changed VM state');
    return t;
  }
  if (current !== vm) await tx.putVm(current);
  return undefined;
}

/** A disabled host stays disabled through an ERROR spell. */
function wasDisabled(h: Host): boolean {
  return h.state === HostState.DISABLED || (h.state === HostState.ERROR && h.prevState === HostState.DISABLED);
}

/** A successful probe: capacity, attributes and a sample for the host; reconciled state for its VMs. */
export async function hostMonitored(core: Core, hostId: number, report: HostReport, probedAt: number): Promise<void> {
  let opened = false;
  const moved = await core.store.tx(async (tx) => {
    const out: Transition[] = [];
    const host = await tx.getHost(hostId);
    if (!host || host.state === HostState.OFFLINE) return out;
    opened = host.state === HostState.INIT || host.state === HostState.ERROR;
    const reservedCpu = getNumber(host.template, 'RESERVED_CPU') ?? 0;
    const reservedMem = getNumber(host.template, 'RESERVED_MEM') ?? 0;
    const updated: Host = {
      ...host,
      prevState: host.state,
      state: wasDisabled(host) ? HostState.DISABLED : HostState.MONITORED,
      template: hostAttributes(removeAttr(host.template, 'ERROR'), { ...report.attributes, TOTALCPU: String(report.totalCpu), TOTALMEMORY: String(report.totalMem) }),
      share: {
        ...host.share,
        totalCpu: report.totalCpu, totalMem: report.totalMem,
        maxCpu: report.totalCpu - reservedCpu, maxMem: report.totalMem - reservedMem,
      },
      monitoring: {
        timestamp: probedAt, freeCpu: report.freeCpu, usedCpu: report.usedCpu, freeMemory: report.freeMem,
        usedMemory: report.usedMem, netrx: report.netrx, nettx: report.nettx,
      },
      lastMonAt: probedAt,
    };
    const zombies = report.vms.filter((r) => r.vmId < 0).map((r) => r.deployId);
    updated.template = setSingle(updated.template, 'TOTAL_ZOMBIES', String(zombies.length));
    updated.template = setSingle(updated.template, 'ZOMBIES', zombies.join(', '));
    await tx.putHost(updated);
    await tx.addHostSample(hostId, {
      timestamp: probedAt,
      values: {
        FREE_CPU: String(report.freeCpu), USED_CPU: String(report.usedCpu), FREE_MEMORY: String(report.freeMem),
        USED_MEMORY: String(report.usedMem), NETRX: String(report.netrx), NETTX: String(report.nettx),
      },
    });
    const byId = new Map(report.vms.filter((r) => r.vmId >= 0).map((r) => [r.vmId, r]));
    for (const vm of await tx.vmsOnHost(hostId)) {
      if (currentHistory(vm)?.hid !== hostId) continue;
      const t = await reconcile(core, tx, vm, byId.get(vm.id), probedAt);
      if (t) out.push(t);
    }
    return out;
  });
  moved.forEach((t) => core.settled(t));
  // A host that just became usable may be what pending VMs wait for.
  if (opened) core.onPending();
}

/** A probe that failed: the host is in ERROR and its running VMs are UNKNOWN until it answers again. */
export async function hostUnreachable(core: Core, hostId: number, message: string, probedAt: number): Promise<void> {
  await core.store.tx(async (tx) => {
    const host = await tx.getHost(hostId);
    if (!host || host.state === HostState.OFFLINE) return;
    if (host.state !== HostState.ERROR) {
      core.log.warn({ host: hostId, err: message }, 'host stopped answering');
      await tx.putHost({ ...host, state: HostState.ERROR, prevState: host.state, template: setSingle(host.template, 'ERROR', message), lastMonAt: probedAt });
    }
    for (const vm of await tx.vmsOnHost(hostId)) {
      if (vm.stateTime <= probedAt && allows(vm, 'host-error')) await core.applyEvent(tx, vm, 'host-error');
    }
  });
}
