import type { Vm } from '../../domain/vm.js';
import { getVectors } from '../../template/access.js';
import { DriverError } from '../types.js';
import { listSnapshots, loadvm, savevm } from './qmp/commands.js';
import type { QmpExecutor } from './qmp/connection.js';

const QCOW2_DISK = 'DISK = [ TYPE = "fs", SIZE = "1024", FORMAT = "qcow2" ]';

/**
 * Why QEMU could not take a system snapshot of the VM, or undefined when it can: savevm keeps the guest's
 * memory in a qcow2 disk and snapshots every writable disk with it, so all of them must be qcow2.
 */
export function snapshotDiskProblem(vm: Vm): string | undefined {
  const writable = getVectors(vm.template, 'DISK').filter((d) => d.TYPE?.toUpperCase() !== 'CDROM');
  if (writable.length === 0) {
    return `VM ${vm.id} has no writable qcow2 disk to keep the snapshot's memory in; give it one, e.g. a volatile ${QCOW2_DISK}`;
  }
  const other = writable.filter((d) => (d.FORMAT ?? 'raw').toLowerCase() !== 'qcow2');
  if (other.length > 0) {
    const list = other.map((d) => `DISK ${d.DISK_ID ?? '?'} (${(d.FORMAT ?? 'raw').toLowerCase()})`).join(', ');
    return `snapshots of VM ${vm.id} need every writable disk in qcow2 format, and ${list} ${other.length > 1 ? 'are' : 'is'} not; ` +
      `use qcow2 disks, e.g. a volatile ${QCOW2_DISK}`;
  }
  return undefined;
}

/** Takes the system snapshot `name` of a running guest; taken again, it replaces the first (savevm does). */
export async function takeSnapshot(qmp: QmpExecutor, vm: Vm, name: string): Promise<void> {
  const problem = snapshotDiskProblem(vm);
  if (problem) throw new DriverError(problem);
  await savevm(qmp, name);
}

/**
 * Rolls the guest back to snapshot `name`. It is looked for first: a loadvm of a missing snapshot leaves
 * QEMU 7.2 paused in restore-vm, where a later migration aborts it.
 */
export async function revertSnapshot(qmp: QmpExecutor, name: string, where: string): Promise<void> {
  const present = await listSnapshots(qmp);
  if (!present.includes(name)) {
    throw new DriverError(
      `${where} has no snapshot ${name} to revert to (it has ${present.join(', ') || 'none'}); snapshots are lost when the guest stops`,
    );
  }
  await loadvm(qmp, name);
}
