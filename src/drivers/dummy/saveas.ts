import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { savingDisk } from '../../domain/disk-saveas.js';
import type { Vm } from '../../domain/vm.js';
import { DriverError } from '../types.js';

/**
 * disk-saveas on a dummy host, which has no disk contents of its own: the new image gets a copy of the file of
 * the image the disk came from, on the front-end. It lands through a `.part` file, so a copy cut short never
 * looks whole and a retry simply copies again. A VM with no disk marked for saving has nothing to copy.
 */
export async function copySourceImage(vm: Vm): Promise<void> {
  const disk = savingDisk(vm);
  const target = disk?.HOTPLUG_SAVE_AS_SOURCE;
  if (!disk || !target) return;
  const part = `${target}.part`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await copyFile(disk.SOURCE ?? '', part);
    await rename(part, target);
  } catch (e) {
    throw new DriverError(`cannot copy the file of image ${disk.IMAGE_ID} (${disk.SOURCE}) to ${target}: ${(e as Error).message}`);
  } finally {
    await rm(part, { force: true });
  }
}
