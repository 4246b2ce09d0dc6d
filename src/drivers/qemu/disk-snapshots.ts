import type { DiskSnapshotTarget } from '../disk-snapshot-target.js';
import { DriverError } from '../types.js';
import { diskNames } from './command-line.js';
import { blockdevSnapshotDeleteInternalSync, blockdevSnapshotInternalSync, driveSnapshots } from './qmp/disk-commands.js';
import type { QmpExecutor } from './qmp/connection.js';

const driveOf = (diskId: number) => diskNames(diskId).node;

/** The internal snapshots of the target's drive; `where` names the guest for the error. */
async function present(qmp: QmpExecutor, target: DiskSnapshotTarget, where: string): Promise<string[]> {
  const tags = await driveSnapshots(qmp, driveOf(target.diskId));
  if (!tags) throw new DriverError(`${where} has no drive ${driveOf(target.diskId)} for disk ${target.diskId}; was the disk detached?`);
  return tags;
}

/**
 * Takes the target's snapshot of a running guest's disk, inside its qcow2 file. One already there is the
 * same snapshot taken before a daemon restart: the retry succeeds without taking another.
 */
export async function takeDiskSnapshot(qmp: QmpExecutor, target: DiskSnapshotTarget, where: string): Promise<void> {
  if ((await present(qmp, target, where)).includes(target.name)) return;
  await blockdevSnapshotInternalSync(qmp, driveOf(target.diskId), target.name);
}

/** Deletes the target's snapshot from a running guest's disk; one already gone is deleted (a retry). */
export async function deleteDiskSnapshot(qmp: QmpExecutor, target: DiskSnapshotTarget, where: string): Promise<void> {
  if (!(await present(qmp, target, where)).includes(target.name)) return;
  await blockdevSnapshotDeleteInternalSync(qmp, driveOf(target.diskId), target.name);
}
