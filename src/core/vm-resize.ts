import { ErrorCode, OneError } from '../domain/errors.js';
import { allocatable } from '../domain/host.js';
import type { Requester } from '../domain/permissions.js';
import {
  capacityOf, liveRoom, resized, resizeRequest, sameCapacity, withCapacity, withResizeBackup, type Capacity,
} from '../domain/vm-resize.js';
import { currentHistory, type Vm } from '../domain/vm.js';
import { allows } from '../lifecycle/machine.js';
import { stateName } from '../lifecycle/states.js';
import { holdsHost } from '../lifecycle/table.js';
import { isAdmin } from './admin.js';
import { actor, mustExist, type Core } from './core.js';
import { hostWithUsage } from './hosts-view.js';
import { parseUserTemplate } from './vm-create.js';
import { vmFor } from './vm-lookup.js';

/** Throws ACTION unless a running guest has room for `next` without a restart (VCPU_MAX, MEMORY_MAX). */
function checkLiveRoom(vm: Vm, next: Capacity): void {
  const room = liveRoom(vm);
  if (next.vcpu <= room.vcpu && next.memory <= room.memory) return;
  throw new OneError(
    ErrorCode.ACTION,
    `Cannot resize VM ${vm.id} to VCPU ${next.vcpu} and MEMORY ${next.memory} MB while it runs: it was started with room for ` +
      `VCPU ${room.vcpu} and MEMORY ${room.memory} MB (VCPU_MAX, MEMORY_MAX). Power it off and resize it then, or give it ` +
      'VCPU_MAX and MEMORY_MAX in its template so that it can grow live.',
    vm.id,
  );
}

/** Throws ACTION when the VM's host has not got the CPU and memory that `next` adds to the VM. */
async function checkHostCapacity(core: Core, vm: Vm, before: Capacity, next: Capacity): Promise<void> {
  const hid = currentHistory(vm)?.hid ?? -1;
  const host = mustExist(await hostWithUsage(core.store, hid), 'host', hid);
  const cpu = Math.round(next.cpu * 100) - Math.round(before.cpu * 100);
  const mem = (next.memory - before.memory) * 1024;
  const free = allocatable(host.share);
  if (cpu <= free.cpu && mem <= free.mem) return;
  throw new OneError(
    ErrorCode.ACTION,
    `Host ${host.name} [${host.id}] does not have enough capacity to resize VM ${vm.id}: it needs CPU ${cpu} and MEMORY ${mem} KB more, ` +
      `the host has CPU ${free.cpu} and MEMORY ${free.mem} KB free. Ask for less, or migrate the VM to a host with room.`,
    vm.id,
  );
}

/**
 * one.vm.resize: new CPU, VCPU and MEMORY (missing or 0 leave one as it is). A running guest is resized
 * live through its driver, its old values kept in RESIZE should that fail; elsewhere the template changes.
 * Where the VM holds a host, the host's capacity is checked when `enforce` asks, and always for users
 * outside the oneadmin group. Asking for what the VM has changes nothing and succeeds, as in OpenNebula.
 */
export async function resizeVm(core: Core, who: Requester, id: number, text: string, enforce: boolean): Promise<number> {
  const request = resizeRequest(parseUserTemplate(text, ErrorCode.INTERNAL));
  const t = await core.store.tx(async (tx) => {
    const vm = await vmFor(tx, who, id, 'MANAGE');
    const state = stateName(vm.state, vm.lcmState);
    if (!allows(vm, 'resize')) {
      throw new OneError(
        ErrorCode.ACTION,
        `Cannot resize a VM in state ${state}: resize it while it is RUNNING, POWEROFF, UNDEPLOYED, PENDING or HOLD.`,
        id,
      );
    }
    const before = capacityOf(vm);
    const next = resized(before, request);
    if (sameCapacity(before, next)) return undefined;
    const live = state === 'RUNNING';
    if (live) checkLiveRoom(vm, next);
    if (holdsHost(state) && (enforce || !isAdmin(who))) await checkHostCapacity(core, vm, before, next);
    return core.applyEvent(tx, withCapacity(live ? withResizeBackup(vm) : vm, next), 'resize', actor(who));
  });
  if (!t) {
    core.log.info({ vm: id }, 'Nothing to resize');
    return id;
  }
  core.log.info({ vm: id, from: t.from, to: t.to }, 'VM resize');
  core.settled(t);
  return id;
}
