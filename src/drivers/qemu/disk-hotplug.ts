import type { TemplateVector } from '../../template/types.js';
import { DriverError } from '../types.js';
import * as qmp from './qmp/commands.js';
import type { QmpExecutor } from './qmp/connection.js';
import type { VmMonitor } from './qmp/monitor.js';

/** How long a guest has to let go of an unplugged disk (it answers the ACPI eject request). */
const UNPLUG_TIMEOUT_MS = 30_000;
const MB = 1024 * 1024;

/** The names QEMU knows a disk by: its block node (drive-disk<ID>, as -drive ids are) and its device (disk<ID>). */
export function diskNames(diskId: string): { node: string; device: string } {
  return { node: `drive-disk${diskId}`, device: `disk${diskId}` };
}

/** Whether QEMU has the disk's block node or drive, i.e. it is plugged in (a retry finds the first run's work). */
async function plugged(c: QmpExecutor, diskId: string): Promise<boolean> {
  const { node } = diskNames(diskId);
  return (await qmp.queryBlock(c)).some((b) => b.device === node || b.inserted?.nodeName === node);
}

/**
 * Plugs disk `disk` (its file at `file`) into the running guest as a virtio disk at the PCI slot the
 * command line gives it, so that a later restore or migration finds the same layout.
 */
export async function attachDisk(c: QmpExecutor, disk: TemplateVector, file: string, slot: string | undefined): Promise<void> {
  const id = disk.DISK_ID!;
  if (disk.TYPE?.toUpperCase() === 'CDROM') throw new DriverError(`DISK ${id} is a CD-ROM, which cannot be plugged into a running guest: attach it while the VM is POWEROFF`);
  if (await plugged(c, id)) return;
  const { node, device } = diskNames(id);
  const format = (disk.DRIVER ?? disk.FORMAT ?? 'raw').toLowerCase();
  const readOnly = disk.READONLY?.toUpperCase() === 'YES';
  await qmp.blockdevAdd(c, { driver: format, 'node-name': node, 'read-only': readOnly, file: { driver: 'file', filename: file, 'read-only': readOnly } });
  try {
    await qmp.deviceAdd(c, { driver: 'virtio-blk-pci', id: device, drive: node, ...(slot ? { bus: 'pci.0', addr: slot } : {}) });
  } catch (e) {
    await qmp.blockdevDel(c, node).catch(() => undefined);
    throw e;
  }
}

/** Unplugs disk `diskId`: the guest lets go of the device (DEVICE_DELETED), then its block node is closed. */
export async function detachDisk(monitor: VmMonitor, diskId: string): Promise<void> {
  const { node, device } = diskNames(diskId);
  if (!(await monitor.run((c) => plugged(c, diskId)))) return;
  await monitor.runAndWait('DEVICE_DELETED', (e) => e.device === device, UNPLUG_TIMEOUT_MS, (c) => qmp.deviceDel(c, device))
    .catch((e: Error) => {
      throw new DriverError(`the guest did not release DISK ${diskId} (${e.message}); it must answer ACPI hot-unplug: unmount it in the guest and try again`);
    });
  // A drive from the command line goes with its device; one plugged in later is closed here.
  await monitor.run((c) => qmp.blockdevDel(c, node)).catch(() => undefined);
}

/** Grows disk `diskId` of the running guest to `sizeMb`. */
export async function resizeDisk(c: QmpExecutor, diskId: string, sizeMb: number): Promise<void> {
  const { node } = diskNames(diskId);
  // A drive from the command line is named as a device; one plugged in later only as a node.
  await qmp.blockResize(c, { device: node }, sizeMb * MB).catch(() => qmp.blockResize(c, { nodeName: node }, sizeMb * MB));
}
