import { snapshotableDisk } from '../domain/disk-snapshot-rules.js';
import { rename, requestCreate, requestDelete, requestRevert, type DiskSnapshotTree } from '../domain/disk-snapshots.js';
import { ErrorCode, OneError } from '../domain/errors.js';
import type { Requester } from '../domain/permissions.js';
import type { Vm } from '../domain/vm.js';
import type { DiskSnapshotEvent } from '../lifecycle/events.js';
import { allows } from '../lifecycle/machine.js';
import { stateName } from '../lifecycle/states.js';
import { actor, type Core } from './core.js';
import { vmFor } from './vm-lookup.js';

/** What a refused disk snapshot operation was, and the states it needs. */
const REFUSED: Record<DiskSnapshotEvent, { what: (disk: number, snap: number) => string; hint: (vmId: number) => string }> = {
  'disk-snapshot-create': {
    what: (disk) => `Could not create a snapshot of disk ${disk}`,
    hint: () => 'disk snapshots are taken in RUNNING, POWEROFF or SUSPENDED',
  },
  'disk-snapshot-revert': {
    what: (disk, snap) => `Could not revert disk ${disk} to snapshot ${snap}`,
    hint: (id) => `a disk is reverted while the VM is POWEROFF; power it off first (onevm poweroff ${id}), then resume it`,
  },
  'disk-snapshot-delete': {
    what: (disk, snap) => `Could not delete snapshot ${snap} of disk ${disk}`,
    hint: () => 'disk snapshots are deleted in RUNNING, POWEROFF or SUSPENDED',
  },
};

/**
 * Checks the VM's state, marks the operation in the disk's snapshot tree (`mark`), takes the event and
 * records the driver operation, in one transaction.
 */
async function diskSnapshotOperation(
  core: Core, who: Requester, id: number, event: DiskSnapshotEvent, diskId: number, snapId: number,
  mark: (vm: Vm, trees: DiskSnapshotTree[]) => { trees: DiskSnapshotTree[]; snapshotId: number },
): Promise<number> {
  const { t, marked } = await core.store.tx(async (tx) => {
    const vm = await vmFor(tx, who, id, 'MANAGE');
    if (!allows(vm, event)) {
      const state = stateName(vm.state, vm.lcmState);
      throw new OneError(ErrorCode.ACTION, `${REFUSED[event].what(diskId, snapId)} of VM ${id}, wrong state ${state}: ${REFUSED[event].hint(id)}.`, id);
    }
    const next = mark(vm, vm.diskSnapshots ?? []);
    return { t: await core.applyEvent(tx, { ...vm, diskSnapshots: next.trees }, event, actor(who)), marked: next.snapshotId };
  });
  core.log.info({ vm: id, disk: diskId, snapshot: marked, action: event, from: t.from, to: t.to }, 'VM disk snapshot');
  core.settled(t);
  return marked;
}

/** one.vm.disksnapshotcreate: a snapshot of disk `diskId`, live or offline; returns its id. */
export function createDiskSnapshot(core: Core, who: Requester, id: number, diskId: number, name: string): Promise<number> {
  return diskSnapshotOperation(core, who, id, 'disk-snapshot-create', diskId, -1, (vm, trees) => {
    snapshotableDisk(vm, diskId);
    return requestCreate(trees, diskId, name, core.now(), vm.id);
  });
}

/** one.vm.disksnapshotrevert: brings disk `diskId` of a powered-off VM back to snapshot `snapId`. */
export async function revertDiskSnapshot(core: Core, who: Requester, id: number, diskId: number, snapId: number): Promise<number> {
  await diskSnapshotOperation(core, who, id, 'disk-snapshot-revert', diskId, snapId, (vm, trees) => ({
    trees: requestRevert(trees, diskId, snapId, vm.id), snapshotId: snapId,
  }));
  return id;
}

/** one.vm.disksnapshotdelete: deletes snapshot `snapId` of disk `diskId` (not the active one, nor one with children). */
export async function deleteDiskSnapshot(core: Core, who: Requester, id: number, diskId: number, snapId: number): Promise<number> {
  await diskSnapshotOperation(core, who, id, 'disk-snapshot-delete', diskId, snapId, (vm, trees) => ({
    trees: requestDelete(trees, diskId, snapId, vm.id), snapshotId: snapId,
  }));
  return id;
}

/** one.vm.disksnapshotrename: renames a snapshot at once, in any state but DONE (no driver is involved). */
export async function renameDiskSnapshot(core: Core, who: Requester, id: number, diskId: number, snapId: number, name: string): Promise<number> {
  await core.store.tx(async (tx) => {
    const vm = await vmFor(tx, who, id, 'MANAGE');
    if (stateName(vm.state, vm.lcmState) === 'DONE') {
      throw new OneError(ErrorCode.ACTION, `Could not rename snapshot ${snapId} of disk ${diskId} of VM ${id}: the VM is DONE.`, id);
    }
    await tx.putVm({ ...vm, diskSnapshots: rename(vm.diskSnapshots ?? [], diskId, snapId, name, id) });
  });
  core.log.info({ vm: id, disk: diskId, snapshot: snapId }, 'VM disk snapshot renamed');
  return id;
}
