import type { TemplateVector } from '../template/types.js';
import { ErrorCode, OneError } from './errors.js';
import { findDisk, isVolatile } from './vm-disks.js';
import type { Vm } from './vm.js';

/**
 * The VM's disk `diskId`, checked to be one whose snapshots our drivers can take: a disk from an image
 * that the host opens as qcow2 (DRIVER), since both QEMU and qemu-img keep them inside the qcow2 file.
 * Volatile disks and CD-ROMs have none, as in OpenNebula. Refused with ACTION, saying what to use instead.
 */
export function snapshotableDisk(vm: Vm, diskId: number): TemplateVector {
  const refuse = (why: string) => new OneError(ErrorCode.ACTION, `Cannot snapshot disk ${diskId} of VM ${vm.id}: ${why}`, vm.id);
  const disk = findDisk(vm, diskId);
  if (!disk) throw refuse(`the VM has no such disk; onevm show ${vm.id} lists its disks (VM DISKS).`);
  if (isVolatile(disk)) {
    throw refuse(`it is a volatile disk (TYPE ${disk.TYPE}), which has no snapshots; keep data you want to snapshot on a DATABLOCK image.`);
  }
  if ((disk.TYPE ?? '').toUpperCase() === 'CDROM') throw refuse('it is a CD-ROM, which is read-only and has no snapshots.');
  const driver = (disk.DRIVER ?? disk.FORMAT ?? 'raw').toLowerCase();
  if (driver !== 'qcow2') {
    throw refuse(
      `the host opens it as ${driver}, and disk snapshots live inside qcow2 files; use an image in a qcow2 datastore ` +
        '(TM_MAD = "qcow2"), or a qcow2 image (FORMAT = "qcow2").',
    );
  }
  return disk;
}
