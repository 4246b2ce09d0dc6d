import type { TemplateVector } from '../../template/types.js';
import { DriverError } from '../types.js';
import { diskNames } from './command-line.js';
import * as qmp from './qmp/commands.js';
import { queryNamedBlockNodes } from './qmp/disk-commands.js';
import type { QmpExecutor } from './qmp/connection.js';
import type { VmMonitor } from './qmp/monitor.js';

/** How long a guest has to let go of an unplugged disk (it answers the ACPI eject request). */
const UNPLUG_TIMEOUT_MS = 30_000;
const MB = 1024 * 1024;

/**
 * What QEMU has of disk `diskId`: its block node open, and a guest device on it. A retry after a daemon
 * restart finds the first run's work this way (a bare node is not in query-block).
 */
async function present(c: QmpExecutor, diskId: string): Promise<{ node: boolean; device: boolean }> {
  const { node, device } = diskNames(diskId);
  const blocks = await qmp.queryBlock(c);
  return {
    node: blocks.some((b) => b.device === node) || (await queryNamedBlockNodes(c)).includes(node),
    device: blocks.some((b) => b.qdev?.includes(`/${device}/`) || b.qdev === device),
  };
}

/**
 * Plugs disk `disk` (its file at `file`) into the running guest as a virtio disk at the PCI slot the
 * command line gives it, so that a later restore or migration finds the same layout.
 */
export async function attachDisk(c: QmpExecutor, disk: TemplateVector, file: string, slot: string | undefined): Promise<void> {
  const id = disk.DISK_ID!;
  if (disk.TYPE?.toUpperCase() === 'CDROM') throw new DriverError(`DISK ${id} is a CD-ROM, which cannot be plugged into a running guest: attach it while the VM is POWEROFF`);
  const { node, device } = diskNames(id);
  const has = await present(c, id);
  if (has.device) return;
  const format = (disk.DRIVER ?? disk.FORMAT ?? 'raw').toLowerCase();
  const readOnly = disk.READONLY?.toUpperCase() === 'YES';
  if (!has.node) await qmp.blockdevAdd(c, { driver: format, 'node-name': node, 'read-only': readOnly, file: { driver: 'file', filename: file, 'read-only': readOnly } });
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
  const has = await monitor.run((c) => present(c, diskId));
  if (has.device) {
    await monitor.runAndWait('DEVICE_DELETED', (e) => e.device === device, UNPLUG_TIMEOUT_MS, (c) => qmp.deviceDel(c, device))
      .catch((e: Error) => {
        throw new DriverError(`the guest did not release DISK ${diskId} (${e.message}); it must answer ACPI hot-unplug: unmount it in the guest and try again`);
      });
  }
  // A drive from the command line goes with its device; a node plugged in later is closed here.
  if (has.device || has.node) await monitor.run((c) => qmp.blockdevDel(c, node)).catch(() => undefined);
}

/** Grows disk `diskId` of the running guest to `sizeMb`. */
export async function resizeDisk(c: QmpExecutor, diskId: string, sizeMb: number): Promise<void> {
  const { node } = diskNames(diskId);
  // A drive from the command line is named as a device; one plugged in later only as a node.
  await qmp.blockResize(c, { device: node }, sizeMb * MB).catch(() => qmp.blockResize(c, { nodeName: node }, sizeMb * MB));
}
