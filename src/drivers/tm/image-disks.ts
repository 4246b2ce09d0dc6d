import { basename, join } from 'node:path/posix';
import { isVolatile } from '../../domain/vm-disks.js';
import type { Vm } from '../../domain/vm.js';
import { getVectors } from '../../template/access.js';
import type { TemplateVector } from '../../template/types.js';
import { shellQuote as q } from '../transport/shell-quote.js';
import type { Transport } from '../transport/types.js';
import { DriverError } from '../types.js';
import { copyFile } from './tree-copy.js';

/**
 * How a disk from an image gets to the host, by the TM_MAD of the image's datastore (OpenNebula's
 * clone / ln / mvds scripts):
 * - qcow2: the host mounts the image datastore at its DATASTORE_LOCATION; a non-persistent disk is a
 *   qcow2 overlay on the image, a persistent one is the image itself (a link);
 * - shared: the same mount; a non-persistent disk is a full copy made on the host, a persistent one a link;
 * - ssh: the host has only its own disk; the image is copied from the front-end, and a persistent disk is
 *   copied back into the image when the VM is done.
 * CD-ROMs are read-only: linked where the datastore is mounted, copied otherwise, never saved.
 */
type Mode = 'overlay' | 'copy-on-host' | 'link' | 'copy-from-front-end';

function modeOf(d: TemplateVector): Mode {
  const tm = d.TM_MAD ?? 'ssh';
  if (tm === 'ssh') return 'copy-from-front-end';
  if (d.CLONE !== 'YES' || d.TYPE === 'CDROM') return 'link';
  return tm === 'qcow2' ? 'overlay' : 'copy-on-host';
}

/** Picks disks of a VM (one being attached or detached); by default all. */
export type DiskFilter = (d: TemplateVector) => boolean;
const ALL: DiskFilter = () => true;

/** The VM's disks that come from images (those `only` picks), with the file each becomes in the VM directory. */
function imageDisks(vm: Vm, dir: string, only: DiskFilter = ALL): { disk: TemplateVector; file: string; mode: Mode }[] {
  return getVectors(vm.template, 'DISK')
    .filter((d) => !isVolatile(d) && d.SOURCE && only(d))
    .map((disk) => ({ disk, file: join(dir, `disk.${disk.DISK_ID}`), mode: modeOf(disk) }));
}

/** Where a host sees an image file: the image datastore mounted under its own DATASTORE_LOCATION. */
function imagePathOn(location: string, d: TemplateVector): string {
  return join(location, d.DATASTORE_ID ?? '', basename(d.SOURCE ?? ''));
}

/** The command that grows a disk file to the DISK's SIZE when that is larger than its image. */
function growCommand(d: TemplateVector, file: string): string[] {
  const size = Number(d.SIZE);
  if (!(size > Number(d.ORIGINAL_SIZE ?? 0)) || d.TYPE === 'CDROM') return [];
  return [`qemu-img resize -q -f ${q(d.DRIVER ?? d.FORMAT ?? 'raw')} ${q(file)} ${size}M`];
}

/** Commands run on the host (in order) that put its image disks into the VM directory `dir`. */
function hostCommands(vm: Vm, location: string, dir: string, only: DiskFilter): string[] {
  return imageDisks(vm, dir, only).flatMap(({ disk, file, mode }) => {
    const image = imagePathOn(location, disk);
    const present = `test -f ${q(image)} || { echo ${q(`image file ${image} is not on this host: mount datastore ${disk.DATASTORE_ID} at DATASTORE_LOCATION/${disk.DATASTORE_ID} (TM_MAD ${disk.TM_MAD})`)} >&2; exit 1; }`;
    const part = `${file}.part`;
    switch (mode) {
      case 'overlay':
        return [present, `qemu-img create -q -f qcow2 -F ${q(disk.FORMAT ?? 'raw')} -b ${q(image)} ${q(part)}`, ...growCommand(disk, part), `mv -f ${q(part)} ${q(file)}`];
      case 'copy-on-host':
        return [present, `cp --sparse=always ${q(image)} ${q(part)}`, ...growCommand(disk, part), `mv -f ${q(part)} ${q(file)}`];
      case 'link':
        return [present, `ln -sfn ${q(image)} ${q(file)}`, ...growCommand(disk, file)];
      case 'copy-from-front-end':
        return growCommand(disk, file);
    }
  });
}

/**
 * Puts the VM's image disks into `dir` on the host: files copied from the front-end first (ssh), then what
 * the host does itself. Re-running it after a crash starts each disk afresh.
 */
export async function prologImageDisks(vm: Vm, front: Transport, host: Transport, location: string, dir: string, only = ALL): Promise<void> {
  for (const { disk, file, mode } of imageDisks(vm, dir, only)) {
    if (mode === 'copy-from-front-end') await copyFile(front, disk.SOURCE!, host, file);
  }
  const commands = hostCommands(vm, location, dir, only);
  if (commands.length > 0) await host.run([`mkdir -p ${q(dir)}`, ...commands].join(' && '), { timeoutMs: 600_000 });
}

/**
 * After the VM directory moved to a host (resume, cold migration): links and overlays point at the image
 * as this host mounts it, which need not be where the previous host did.
 */
export function relinkCommands(vm: Vm, location: string, dir: string): string[] {
  return imageDisks(vm, dir).flatMap(({ disk, file, mode }) => {
    const image = imagePathOn(location, disk);
    if (mode === 'link') return [`ln -sfn ${q(image)} ${q(file)}`];
    if (mode === 'overlay') return [`qemu-img rebase -u -f qcow2 -F ${q(disk.FORMAT ?? 'raw')} -b ${q(image)} ${q(file)}`];
    return [];
  });
}

/**
 * The VM is done: persistent disks copied to the host (ssh) go back into their images on the front-end.
 * A disk missing from the host is an error: its image would silently lose what the VM wrote.
 */
export async function saveImageDisks(vm: Vm, front: Transport, host: Transport, dir: string, only = ALL): Promise<void> {
  for (const { disk, file, mode } of imageDisks(vm, dir, only)) {
    if (mode !== 'copy-from-front-end' || disk.SAVE !== 'YES') continue;
    if ((await host.exec(`test -f ${q(file)}`)).code !== 0) {
      throw new DriverError(`persistent DISK ${disk.DISK_ID} of VM ${vm.id} is not at ${file} on ${host.host}: image ${disk.IMAGE_ID} keeps its previous content`);
    }
    await copyFile(host, file, front, disk.SOURCE!);
  }
}
