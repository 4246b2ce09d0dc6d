import { abandon, settle, type DiskSnapshotAction } from './disk-snapshots.js';
import { findDisk } from './vm-disks.js';
import type { Vm } from './vm.js';

/** The disk snapshot operation a VM waits for: on which disk, which snapshot, and what is done to it. */
export interface PendingDiskSnapshot {
  diskId: number;
  snapshotId: number;
  action: DiskSnapshotAction;
}

/** The operation marked in the VM's snapshot trees; the life cycle lets only one run at a time. */
export function pendingDiskSnapshot(vm: Vm): PendingDiskSnapshot | undefined {
  const tree = (vm.diskSnapshots ?? []).find((t) => t.pending);
  return tree?.pending && { diskId: tree.diskId, ...tree.pending };
}

/** The VM after its pending disk snapshot operation worked; a new snapshot's SIZE is its disk's SIZE. */
export function settleDiskSnapshot(vm: Vm): Vm {
  const pending = pendingDiskSnapshot(vm);
  if (!pending) return vm;
  const size = Number(findDisk(vm, pending.diskId)?.SIZE);
  return { ...vm, diskSnapshots: settle(vm.diskSnapshots ?? [], pending.diskId, Number.isFinite(size) ? size : undefined) };
}

/** The VM after its pending disk snapshot operation failed: the trees as they were before it. */
export function abandonDiskSnapshot(vm: Vm): Vm {
  const pending = pendingDiskSnapshot(vm);
  if (!pending) return vm;
  return { ...vm, diskSnapshots: abandon(vm.diskSnapshots ?? [], pending.diskId) };
}

/**
 * The VM with only its persistent disks' snapshots, none pending: the other disks are copied from their
 * images again (recover --recreate), and the copies have none. A persistent disk is the image itself.
 */
export function dropClonedDiskSnapshots(vm: Vm): Vm {
  const settled = abandonDiskSnapshot(vm);
  if (!settled.diskSnapshots) return settled;
  return { ...settled, diskSnapshots: settled.diskSnapshots.filter((t) => findDisk(vm, t.diskId)?.PERSISTENT === 'YES') };
}
