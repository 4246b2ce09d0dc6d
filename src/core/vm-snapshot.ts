import { ErrorCode, OneError } from '../domain/errors.js';
import type { Requester } from '../domain/permissions.js';
import type { Vm } from '../domain/vm.js';
import { addSnapshot, markSnapshot } from '../domain/vm-snapshots.js';
import type { HotplugEvent } from '../lifecycle/events.js';
import { allows } from '../lifecycle/machine.js';
import { stateName } from '../lifecycle/states.js';
import { actor, type Core } from './core.js';
import { vmFor } from './vm-lookup.js';

type SnapshotEvent = Extract<HotplugEvent, `snapshot-${string}`>;

/** OpenNebula's words for a refused snapshot operation, and the state it needs. */
const REFUSED: Record<SnapshotEvent, { what: (id: number, snapId: number) => string; hint: string }> = {
  'snapshot-create': { what: (id) => `Could not create a new snapshot for VM ${id}`, hint: 'snapshots are taken of RUNNING VMs' },
  'snapshot-revert': { what: (id, s) => `Could not revert VM ${id} to snapshot ${s}`, hint: 'a VM is reverted while RUNNING' },
  'snapshot-delete': { what: (id, s) => `Could not delete snapshot ${s} for VM ${id}`, hint: 'snapshots are deleted while the VM is RUNNING' },
};

/**
 * Checks the VM's state, marks the snapshot the driver will work on (`prepare`), takes the event and
 * records the driver operation, in one transaction. Returns the snapshot's id.
 */
async function snapshotOperation(
  core: Core, who: Requester, id: number, event: SnapshotEvent, snapId: number, prepare: (vm: Vm) => { vm: Vm; snapId: number },
): Promise<number> {
  const { t, marked } = await core.store.tx(async (tx) => {
    const vm = await vmFor(tx, who, id, 'MANAGE');
    if (!allows(vm, event)) {
      const state = stateName(vm.state, vm.lcmState);
      throw new OneError(ErrorCode.ACTION, `${REFUSED[event].what(id, snapId)}, wrong state ${state}: ${REFUSED[event].hint}.`, id);
    }
    const next = prepare(vm);
    return { t: await core.applyEvent(tx, next.vm, event, actor(who)), marked: next.snapId };
  });
  core.log.info({ vm: id, snapshot: marked, action: event, from: t.from, to: t.to }, 'VM snapshot');
  core.settled(t);
  return marked;
}

/** The VM with snapshot `snapId` marked for `event`; ACTION when it has none such, as OpenNebula answers. */
function existing(vm: Vm, snapId: number, event: 'snapshot-revert' | 'snapshot-delete'): { vm: Vm; snapId: number } {
  const next = markSnapshot(vm, snapId, event === 'snapshot-revert' ? 'REVERT' : 'DELETE');
  if (!next) {
    throw new OneError(ErrorCode.ACTION, `${REFUSED[event].what(vm.id, snapId)}, it does not exist. See its snapshots with onevm show ${vm.id}.`, vm.id);
  }
  return { vm: next, snapId };
}

/** one.vm.snapshotcreate: a system snapshot of a running guest; returns its SNAPSHOT_ID. */
export function createSnapshot(core: Core, who: Requester, id: number, name: string): Promise<number> {
  return snapshotOperation(core, who, id, 'snapshot-create', -1, (vm) => addSnapshot(vm, name, core.now()));
}

/** one.vm.snapshotrevert: rolls a running guest back to snapshot `snapId`. */
export async function revertSnapshot(core: Core, who: Requester, id: number, snapId: number): Promise<number> {
  await snapshotOperation(core, who, id, 'snapshot-revert', snapId, (vm) => existing(vm, snapId, 'snapshot-revert'));
  return id;
}

/** one.vm.snapshotdelete: deletes snapshot `snapId` of a running guest. */
export async function deleteSnapshot(core: Core, who: Requester, id: number, snapId: number): Promise<number> {
  await snapshotOperation(core, who, id, 'snapshot-delete', snapId, (vm) => existing(vm, snapId, 'snapshot-delete'));
  return id;
}
