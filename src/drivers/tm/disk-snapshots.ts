import type { DiskSnapshotAction } from '../../domain/disk-snapshots.js';
import type { Vm } from '../../domain/vm.js';
import { diskSnapshotTarget } from '../disk-snapshot-target.js';
import { shellQuote as q } from '../transport/shell-quote.js';
import type { Transport } from '../transport/types.js';
import { DriverError } from '../types.js';

/** The tags of the internal snapshots in the output of `qemu-img info --output=json` (names may hold spaces). */
export function snapshotTags(infoJson: string): string[] {
  const info = JSON.parse(infoJson) as { snapshots?: Array<{ name: string }> };
  return (info.snapshots ?? []).map((s) => s.name);
}

const FLAGS: Record<DiskSnapshotAction, string> = { CREATE: '-c', REVERT: '-a', DELETE: '-d' };

/**
 * Creates, reverts to or deletes the snapshot the VM's trees mark as pending, in the qcow2 file of the disk
 * (`<dir>/disk.<id>`) on a host where the guest does not run, with qemu-img. The file is looked at first, so
 * that a retry after a daemon restart finds a snapshot already created or already deleted and succeeds.
 */
export async function snapshotDiskFile(t: Transport, dir: string, vm: Vm, action: DiskSnapshotAction): Promise<string> {
  const target = diskSnapshotTarget(vm, action);
  const file = `${dir}/disk.${target.diskId}`;
  const tags = snapshotTags(await t.run(`qemu-img info --output=json -f qcow2 ${q(file)}`));
  const there = tags.includes(target.name);
  if (action === 'REVERT' && !there) {
    throw new DriverError(`disk ${target.diskId} of VM ${vm.id} (${file} on ${t.host}) has no snapshot ${target.name} to revert to; it has ${tags.join(', ') || 'none'}`);
  }
  if ((action === 'CREATE' && there) || (action === 'DELETE' && !there)) return '';
  await t.run(`qemu-img snapshot ${FLAGS[action]} ${q(target.name)} ${q(file)}`, { timeoutMs: 600_000 });
  return '';
}
