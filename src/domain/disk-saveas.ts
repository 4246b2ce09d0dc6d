import { getSingle, getVectors } from '../template/access.js';
import type { Template, TemplateVector } from '../template/types.js';
import { treeOf } from './disk-snapshots.js';
import { ErrorCode, OneError } from './errors.js';
import { ImageState, imageTypeOf, type Image, type ImageSpec } from './image.js';
import { findDisk, isVolatile, mapDisks } from './vm-disks.js';
import type { Vm } from './vm.js';

/**
 * disk-saveas copies one DISK of a VM into a new image. While the copy runs the DISK carries OpenNebula's
 * marks: HOTPLUG_SAVE_AS (the new image's id), HOTPLUG_SAVE_AS_ACTIVE = "YES", HOTPLUG_SAVE_AS_SNAPSHOT_ID
 * (-1: the disk as it is now) and HOTPLUG_SAVE_AS_SOURCE (the file the drivers write).
 */
const MARKS = ['HOTPLUG_SAVE_AS', 'HOTPLUG_SAVE_AS_ACTIVE', 'HOTPLUG_SAVE_AS_SNAPSHOT_ID', 'HOTPLUG_SAVE_AS_SOURCE'] as const;

/** Image types a saved disk can become: the disk types. */
const SAVEABLE_TYPES = ['OS', 'CDROM', 'DATABLOCK'];

function refuse(vm: Vm, diskId: number, why: string): never {
  throw new OneError(ErrorCode.ACTION, `Cannot save DISK ${diskId} of VM ${vm.id}: ${why}`, vm.id);
}

/** The template with the DISK whose DISK_ID is `diskId` rewritten by `f`. */
function changeDisk(t: Template, diskId: string, f: (d: TemplateVector) => TemplateVector): Template {
  return mapDisks(t, (d) => (d.DISK_ID === diskId ? f(d) : d));
}

/**
 * The DISK `diskId` of the VM, checked to be one that can be saved as an image at snapshot `snapId` (-1 for
 * its current state); throws ACTION saying why not.
 */
export function diskToSave(vm: Vm, diskId: number, snapId: number): TemplateVector {
  const disk = findDisk(vm, diskId);
  if (!disk) refuse(vm, diskId, `the VM has no such disk; onevm show ${vm.id} lists its disks.`);
  if (isVolatile(disk)) {
    refuse(vm, diskId, `it is a volatile disk (TYPE "${disk.TYPE}"), created empty on the host with no image behind it, so there is no image type or datastore to save it to; copy its data to a disk from an image instead.`);
  }
  if (disk.IMAGE_ID === undefined || !disk.SOURCE) refuse(vm, diskId, 'it does not come from an image.');
  if (snapId < -1 || (snapId >= 0 && !treeOf(vm.diskSnapshots ?? [], diskId)?.snapshots.some((s) => s.id === snapId))) {
    refuse(vm, diskId, `the disk has no snapshot ${snapId}; give one onevm show ${vm.id} lists, or -1 for the disk as it is now.`);
  }
  return disk;
}

/**
 * The image a disk is saved as: named `name`, of `typeText` (empty: the type of the disk's image `source`),
 * in the disk's format and of its size, non-persistent, remembering where it came from (SAVED_IMAGE_ID,
 * SAVED_DISK_ID, SAVED_VM_ID) and the device it had (TARGET, DEV_PREFIX of the original image).
 */
export function saveAsImageSpec(vm: Vm, disk: TemplateVector, source: Image, name: string, typeText: string): ImageSpec {
  const type = typeText.trim() ? imageTypeOf(typeText) : source.type;
  if (type === undefined || (typeText.trim() && !SAVEABLE_TYPES.includes(typeText.trim().toUpperCase()))) {
    throw new OneError(ErrorCode.ALLOCATE, `Error allocating a new image. Invalid TYPE "${typeText}" for a saved disk: use ${SAVEABLE_TYPES.join(', ')}, or leave it empty for the type of image [${source.id}].`);
  }
  const template: Template = [
    { name: 'SAVED_IMAGE_ID', value: String(source.id) },
    { name: 'SAVED_DISK_ID', value: disk.DISK_ID ?? '' },
    { name: 'SAVED_VM_ID', value: String(vm.id) },
  ];
  for (const attr of ['TARGET', 'DEV_PREFIX']) {
    const value = getSingle(source.template, attr);
    if (value) template.push({ name: attr, value });
  }
  const size = Number(disk.SIZE);
  return {
    name, type, persistent: false, path: '', format: (disk.FORMAT || source.format || 'raw').toLowerCase(), fsType: source.fsType,
    size: Number.isInteger(size) && size > 0 ? size : source.size, template,
  };
}

/** The VM with DISK `diskId` marked as being saved into image `img` (at snapshot `snapId`, -1 for now). */
export function markSaveAs(vm: Vm, diskId: number, img: Pick<Image, 'id' | 'source'>, snapId: number): Vm {
  const template = changeDisk(vm.template, String(diskId), (d) => ({
    ...d, HOTPLUG_SAVE_AS: String(img.id), HOTPLUG_SAVE_AS_ACTIVE: 'YES', HOTPLUG_SAVE_AS_SNAPSHOT_ID: String(snapId), HOTPLUG_SAVE_AS_SOURCE: img.source,
  }));
  return { ...vm, template };
}

/** The DISK being saved as an image, if any. */
export function savingDisk(vm: Vm): TemplateVector | undefined {
  return getVectors(vm.template, 'DISK').find((d) => d.HOTPLUG_SAVE_AS_ACTIVE === 'YES');
}

/** The VM without the marks of a save-as: the copy is over, one way or the other. */
export function clearSaveAs(vm: Vm): Vm {
  const disk = savingDisk(vm);
  if (!disk) return vm;
  const template = changeDisk(vm.template, disk.DISK_ID ?? '', (d) => {
    const rest = { ...d };
    for (const mark of MARKS) delete rest[mark];
    return rest;
  });
  return { ...vm, template };
}

/** True while a VM's disk is being copied into the image: it was made by disk-saveas and is still LOCKED. */
export function isBeingSaved(img: Image): boolean {
  return img.state === ImageState.LOCKED && getSingle(img.template, 'SAVED_VM_ID') !== undefined;
}
