import type { DiskSnapshotAction } from '../domain/disk-snapshots.js';
import { pendingDiskSnapshot } from '../domain/vm-disk-snapshots.js';
import type { Vm } from '../domain/vm.js';
import { DriverError } from './types.js';

/** What a disk snapshot driver action works on: the disk, the snapshot, and its tag inside the qcow2 file. */
export interface DiskSnapshotTarget {
  diskId: number;
  snapshotId: number;
  name: string;
}

/** The tag QEMU and qemu-img keep disk snapshot `snapshotId` under in the disk's qcow2 file. */
export function diskSnapshotName(snapshotId: number): string {
  return `disk-snap-${snapshotId}`;
}

/**
 * The disk snapshot operation the VM's trees mark as pending, which must be `action`: a driver action
 * without one (or with another) has nothing it may do, and says so.
 */
export function diskSnapshotTarget(vm: Vm, action: DiskSnapshotAction): DiskSnapshotTarget {
  const pending = pendingDiskSnapshot(vm);
  if (!pending || pending.action !== action) {
    const found = pending ? `${pending.action} of snapshot ${pending.snapshotId} of disk ${pending.diskId}` : 'none';
    throw new DriverError(`VM ${vm.id} has no disk snapshot ${action} pending (pending: ${found}); ask for the disk snapshot operation again`);
  }
  return { diskId: pending.diskId, snapshotId: pending.snapshotId, name: diskSnapshotName(pending.snapshotId) };
}
