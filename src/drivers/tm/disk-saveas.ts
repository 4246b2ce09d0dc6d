import { join } from 'node:path/posix';
import { savingDisk } from '../../domain/disk-saveas.js';
import { diskSnapshotName } from '../disk-snapshot-target.js';
import type { HostAccess } from '../host-access.js';
import { vmDir } from '../qemu/vm-files.js';
import { shellQuote as q } from '../transport/shell-quote.js';
import { DriverError, type VmContext } from '../types.js';
import { filesPlace } from './files-place.js';
import { relinkCommands } from './image-disks.js';
import type { SystemDsMode } from './system-ds.js';
import { copyFile } from './tree-copy.js';

const HOUR = 3_600_000;

/**
 * OpenNebula's cpds for a VM that is not running: the disk its HOTPLUG_SAVE_AS marks name (or the internal
 * snapshot disk-snap-<id> in it) is converted with qemu-img, where the VM's files are, into a file of the image's
 * format in the VM directory; the file then goes to the image's SOURCE on the front-end, landing whole, and is
 * removed. On the front-end the disk's links and overlays are pointed at the images there first. Run again, it
 * overwrites the file and copies anew.
 */
export async function saveDiskFile(ctx: VmContext, mode: SystemDsMode, access: HostAccess): Promise<string> {
  const { vm } = ctx;
  const disk = savingDisk(vm);
  if (!disk?.DISK_ID || !disk.HOTPLUG_SAVE_AS_SOURCE) {
    throw new DriverError(`VM ${vm.id} has no disk marked to be saved as an image; ask for disk-saveas again`);
  }
  const place = filesPlace(ctx, mode, access);
  const dir = vmDir(place.location, vm.id);
  const file = join(dir, `saveas.${disk.DISK_ID}`);
  const snapshot = Number(disk.HOTPLUG_SAVE_AS_SNAPSHOT_ID ?? -1);
  const from = snapshot >= 0 ? ` -l ${q(`snapshot.name=${diskSnapshotName(snapshot)}`)}` : '';
  const inFormat = (disk.DRIVER || disk.FORMAT || 'raw').toLowerCase();
  const outFormat = (disk.FORMAT || 'raw').toLowerCase();
  const convert = `qemu-img convert -f ${q(inFormat)} -O ${q(outFormat)}${from} ${q(join(dir, `disk.${disk.DISK_ID}`))} ${q(file)}`;
  const relink = place.frontEnd ? relinkCommands(vm, place.location, dir) : [];
  await place.t.run([...relink, convert].join(' && '), { timeoutMs: HOUR });
  await copyFile(place.t, file, access.frontEnd, disk.HOTPLUG_SAVE_AS_SOURCE);
  await place.t.run(`rm -f ${q(file)}`);
  return '';
}
