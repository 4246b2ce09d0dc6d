import { ErrorCode, OneError } from '../domain/errors.js';
import { allocatable, HostState, type Host } from '../domain/host.js';
import type { Placement } from '../domain/history.js';
import type { Requester } from '../domain/permissions.js';
import { vmCapacity } from '../domain/vm-capacity.js';
import { withVncPort } from '../domain/vnc-port.js';
import { currentHistory, type Vm } from '../domain/vm.js';
import type { PlacementEvent } from '../lifecycle/events.js';
import { getSingle } from '../template/access.js';
import type { CoreConfig } from './config.js';
import { actor, mustExist, type Core } from './core.js';
import { hostWithUsage } from './hosts-view.js';
import { vmFor } from './vm-lookup.js';

/** Where a VM placed on `host` is recorded: host, cluster, drivers and system datastore. */
export function placementOn(host: Host, config: Pick<CoreConfig, 'defaultTm' | 'tmOfVmMad'>): Placement {
  return {
    hostname: host.name,
    hid: host.id,
    cid: host.clusterId,
    vmMad: host.vmMad,
    tmMad: getSingle(host.template, 'TM_MAD') ?? config.tmOfVmMad[host.vmMad] ?? config.defaultTm,
    dsId: 0,
  };
}

async function targetHost(core: Core, vm: Vm, hostId: number, enforce: boolean): Promise<Host> {
  const host = mustExist(await hostWithUsage(core.store, hostId), 'host', hostId);
  if (host.state === HostState.OFFLINE) {
    throw new OneError(ErrorCode.ACTION, `Host ${host.name} [${host.id}] is OFFLINE: enable it before placing VMs on it.`, vm.id);
  }
  if (enforce) {
    const need = vmCapacity(vm);
    const free = allocatable(host.share);
    if (need.cpu > free.cpu || need.mem > free.mem) {
      throw new OneError(
        ErrorCode.ACTION,
        `Host ${host.name} [${host.id}] does not have enough capacity: the VM needs CPU ${need.cpu} and MEMORY ${need.mem} KB, ` +
          `the host has CPU ${free.cpu} and MEMORY ${free.mem} KB free.`,
        vm.id,
      );
    }
  }
  return host;
}

/** one.vm.deploy (and the scheduler's dispatch). */
export async function deployVm(core: Core, who: Requester, id: number, hostId: number, enforce: boolean): Promise<number> {
  const t = await core.store.tx(async (tx) => {
    const vm = await vmFor(tx, who, id, 'ADMIN');
    const host = await targetHost(core, vm, hostId, enforce);
    const placed = withVncPort(vm, await tx.vmsOnHost(hostId));
    return core.applyEvent(tx, placed, 'deploy', { placement: placementOn(host, core.config), ...actor(who) });
  });
  core.log.info({ vm: id, host: hostId, to: t.to }, 'VM deploy');
  core.settled(t);
  return id;
}

const COLD: PlacementEvent[] = ['migrate', 'migrate-poweroff', 'migrate-poweroff-hard'];

/** one.vm.migrate: live, or cold by saving (type 0), powering off (1) or powering off hard (2). */
export async function migrateVm(
  core: Core, who: Requester, id: number, hostId: number, live: boolean, enforce: boolean, type: number,
): Promise<number> {
  const event = live ? 'live-migrate' : COLD[type];
  if (event === undefined) throw new OneError(ErrorCode.XML_RPC_API, `Wrong migration type ${type}: use 0 (save), 1 (poweroff) or 2 (poweroff-hard).`, id);
  const t = await core.store.tx(async (tx) => {
    const vm = await vmFor(tx, who, id, 'ADMIN');
    if (currentHistory(vm)?.hid === hostId) {
      throw new OneError(ErrorCode.ACTION, `VM ${id} is already on host ${hostId}: choose another host.`, id);
    }
    const host = await targetHost(core, vm, hostId, enforce);
    return core.applyEvent(tx, vm, event, { placement: placementOn(host, core.config), ...actor(who) });
  });
  core.log.info({ vm: id, host: hostId, to: t.to }, 'VM migrate');
  core.settled(t);
  return id;
}
