import { getSingle, getVectors } from '../template/access.js';
import type { Attribute, Template, TemplateVector } from '../template/types.js';
import { TM_MAD_CONF, type Datastore } from './datastore.js';
import { ErrorCode, OneError } from './errors.js';
import { ImageState, ImageType, imageStateName, withState, type Image } from './image.js';
import type { Vm } from './vm.js';

/** How a DISK names its image: by IMAGE_ID, or by IMAGE with the owner's IMAGE_UNAME or IMAGE_UID. */
export type ImageRef =
  | { id: number }
  | { name: string; uname?: string; uid?: number };

/** Volatile disk types: created empty on the host, no image behind them. */
const VOLATILE_TYPES = new Set(['FS', 'SWAP']);

/** True when the DISK is volatile (TYPE fs or swap): the host creates it, no image is involved. */
export function isVolatile(disk: TemplateVector): boolean {
  return VOLATILE_TYPES.has(disk.TYPE?.toUpperCase() ?? '');
}

/** The image a DISK names; undefined for a volatile disk. Throws `code` when it names none or badly. */
export function imageRefOf(disk: TemplateVector, code: ErrorCode): ImageRef | undefined {
  if (isVolatile(disk)) return undefined;
  const fail = (why: string) => { throw new OneError(code, `DISK ${disk.DISK_ID ?? ''} ${why}`); };
  if (disk.IMAGE_ID !== undefined) {
    const id = Number(disk.IMAGE_ID);
    if (disk.IMAGE_ID.trim() === '' || !Number.isInteger(id) || id < 0) fail(`has IMAGE_ID "${disk.IMAGE_ID}" which is not an image id: give a whole number (see oneimage list).`);
    return { id };
  }
  if (disk.IMAGE) {
    if (disk.IMAGE_UID !== undefined) {
      const uid = Number(disk.IMAGE_UID);
      if (!Number.isInteger(uid) || uid < 0) fail(`has IMAGE_UID "${disk.IMAGE_UID}" which is not a user id.`);
      return { name: disk.IMAGE, uid };
    }
    return { name: disk.IMAGE, ...(disk.IMAGE_UNAME ? { uname: disk.IMAGE_UNAME } : {}) };
  }
  return fail('names no image: give IMAGE_ID, or IMAGE (with IMAGE_UNAME for another user\'s image), or make it volatile with TYPE = "fs" and SIZE.');
}

/** Image types a VM can use as a disk. */
const DISK_IMAGE_TYPES = new Set<number>([ImageType.OS, ImageType.CDROM, ImageType.DATABLOCK]);

/**
 * The image after VM `vmId` took it, as OpenNebula's ImageManager::acquire_image: a READY image becomes
 * USED (USED_PERS when persistent) and counts the VM; a non-persistent image already USED counts one more.
 * With `cloning`, a clone still being copied (LOCKED) is taken too and stays LOCKED: the VM waits for it in
 * CLONING. Anything else is refused with `code` and what to do.
 */
export function acquireImage(img: Image, vmId: number, code: ErrorCode, cloning = false): Image {
  const refuse = (why: string) => { throw new OneError(code, `Cannot use image [${img.id}] "${img.name}": ${why}`, img.id); };
  if (!DISK_IMAGE_TYPES.has(img.type)) refuse('only OS, CDROM and DATABLOCK images can be disks; KERNEL, RAMDISK and CONTEXT files go in OS or CONTEXT.');
  const copying = cloning && img.state === ImageState.LOCKED && img.cloningId >= 0;
  const shareable = copying || img.state === ImageState.READY || (img.state === ImageState.USED && !img.persistent);
  if (!shareable) {
    const why: Record<number, string> = {
      [ImageState.USED_PERS]: 'it is persistent and another VM uses it; terminate that VM or clone the image.',
      [ImageState.DISABLED]: 'it is disabled; enable it with oneimage enable.',
      [ImageState.LOCKED]: 'its file is still being copied; wait until it is READY (oneimage show).',
      [ImageState.ERROR]: 'it is in ERROR; see its ERROR message, then delete or fix it.',
    };
    refuse(why[img.state] ?? `it is in state ${imageStateName(img.state)}; wait until it is READY.`);
  }
  const taken = copying ? img : withState(img, img.persistent ? ImageState.USED_PERS : ImageState.USED);
  return { ...taken, runningVms: img.runningVms + 1, vms: img.vms.includes(vmId) ? img.vms : [...img.vms, vmId] };
}

/**
 * The image after VM `vmId` let go of `disks` disks it had from it (`keeps` when it still has another):
 * READY again when no VM uses it.
 */
export function releaseImage(img: Image, vmId: number, disks = 1, keeps = false): Image {
  if (!img.vms.includes(vmId)) return img;
  const runningVms = Math.max(0, img.runningVms - disks);
  const inUse = img.state === ImageState.USED || img.state === ImageState.USED_PERS;
  const next = runningVms === 0 && inUse ? withState(img, ImageState.READY) : img;
  return { ...next, runningVms, vms: keeps ? img.vms : img.vms.filter((v) => v !== vmId) };
}

/** A persistent image once its disk in `vm` let go: as large as the disk grew (the image is that file). */
export function grownImage(img: Image, vm: Vm): Image {
  const disk = getVectors(vm.template, 'DISK').find((d) => d.PERSISTENT === 'YES' && d.IMAGE_ID === String(img.id));
  const size = Number(disk?.SIZE);
  return Number.isInteger(size) && size > img.size ? { ...img, size } : img;
}

/** Image formats QEMU reads; the disk's DRIVER is one of them. */
const FORMATS = new Set(['raw', 'qcow2']);

/**
 * A DISK filled in from its image and datastore, as OpenNebula writes it into the VM: where the file is
 * (SOURCE), how the host gets it (TM_MAD, CLONE, PERSISTENT), the format QEMU opens (DRIVER: the qcow2
 * overlay of a cloned disk on a qcow2 datastore, else the image's FORMAT), and SIZE (a larger DISK SIZE
 * grows the disk; ORIGINAL_SIZE keeps the image's).
 */
export function diskFromImage(disk: TemplateVector, img: Image, ds: Datastore, code: ErrorCode): TemplateVector {
  const format = (img.format || 'raw').toLowerCase();
  if (!FORMATS.has(format)) throw new OneError(code, `Image [${img.id}] has FORMAT "${img.format}": QEMU disks are raw or qcow2.`, img.id);
  const cdrom = img.type === ImageType.CDROM;
  const persistent = img.persistent && !cdrom;
  const size = diskSize(disk, img, code);
  const overlay = ds.tmMad === 'qcow2' && !persistent && !cdrom;
  const filled: TemplateVector = {
    ...disk,
    IMAGE: img.name,
    IMAGE_ID: String(img.id),
    IMAGE_UNAME: img.uname,
    IMAGE_UID: String(img.uid),
    IMAGE_STATE: String(img.persistent ? ImageState.USED_PERS : ImageState.USED),
    DATASTORE: ds.name,
    DATASTORE_ID: String(ds.id),
    SOURCE: img.source,
    TM_MAD: ds.tmMad,
    CLONE: persistent ? 'NO' : 'YES',
    CLONE_TARGET: TM_MAD_CONF[ds.tmMad]?.CLONE_TARGET ?? 'SYSTEM',
    LN_TARGET: TM_MAD_CONF[ds.tmMad]?.LN_TARGET ?? 'NONE',
    SAVE: persistent ? 'YES' : 'NO',
    READONLY: cdrom ? 'YES' : (disk.READONLY?.toUpperCase() === 'YES' ? 'YES' : 'NO'),
    TYPE: cdrom ? 'CDROM' : 'FILE',
    DISK_TYPE: 'FILE',
    FORMAT: format,
    DRIVER: overlay ? 'qcow2' : format,
    SIZE: String(size),
    ORIGINAL_SIZE: String(img.size),
  };
  if (persistent) filled.PERSISTENT = 'YES';
  else delete filled.PERSISTENT;
  const prefix = getSingle(img.template, 'DEV_PREFIX');
  if (!filled.DEV_PREFIX && prefix) filled.DEV_PREFIX = prefix;
  return filled;
}

/** The disk's SIZE in MB: the image's, or a larger one asked for (never smaller: the data would not fit). */
function diskSize(disk: TemplateVector, img: Image, code: ErrorCode): number {
  if (disk.SIZE === undefined || disk.SIZE.trim() === '') return img.size;
  const size = Number(disk.SIZE);
  if (!Number.isInteger(size) || size <= 0) throw new OneError(code, `DISK SIZE "${disk.SIZE}" is not a whole number of MB.`, img.id);
  if (size < img.size) {
    throw new OneError(code, `DISK SIZE ${size} MB is smaller than image [${img.id}] (${img.size} MB): a disk can only grow; leave SIZE out or give at least ${img.size}.`, img.id);
  }
  if (size > img.size && img.type === ImageType.CDROM) throw new OneError(code, `DISK SIZE cannot grow CDROM image [${img.id}]: leave SIZE out.`, img.id);
  return size;
}

/** Device names in order for a prefix: vda, vdb, ... vdz, vdaa, ... */
function deviceName(prefix: string, n: number): string {
  const letters = n < 26 ? String.fromCharCode(97 + n) : String.fromCharCode(96 + Math.floor(n / 26)) + String.fromCharCode(97 + (n % 26));
  return prefix + letters;
}

/**
 * TARGET for each disk that has none: the next free device of its DEV_PREFIX (vd for disks, hd for
 * CD-ROMs), in DISK order, skipping targets given by hand.
 */
export function assignTargets(disks: TemplateVector[]): TemplateVector[] {
  const used = new Set(disks.map((d) => d.TARGET).filter(Boolean));
  const next: Record<string, number> = {};
  return disks.map((d) => {
    if (d.TARGET) return d;
    const prefix = (d.DEV_PREFIX || (d.TYPE?.toUpperCase() === 'CDROM' ? 'hd' : 'vd')).toLowerCase();
    let n = next[prefix] ?? 0;
    while (used.has(deviceName(prefix, n))) n++;
    const target = deviceName(prefix, n);
    next[prefix] = n + 1;
    used.add(target);
    return { ...d, TARGET: target };
  });
}

/**
 * The CONTEXT vector with the CD-ROM it becomes: DISK_ID after the last DISK, TARGET the next free hd
 * device, as OpenNebula numbers it (a context.sh line each, which guests may read).
 */
export function withContextDisk(context: TemplateVector, disks: TemplateVector[]): TemplateVector {
  const diskId = disks.reduce((max, d) => Math.max(max, Number(d.DISK_ID ?? -1)), -1) + 1;
  const [cd] = assignTargets([...disks, { TYPE: 'CDROM', ...(context.TARGET ? { TARGET: context.TARGET } : {}) }]).slice(-1);
  return { ...context, DISK_ID: String(diskId), TARGET: cd!.TARGET! };
}

/** DISK `diskId` of the VM, if it has one. */
export function findDisk(vm: Vm, diskId: number): TemplateVector | undefined {
  return getVectors(vm.template, 'DISK').find((d) => d.DISK_ID !== undefined && Number(d.DISK_ID) === diskId);
}

/** The template with every DISK rewritten by `f` (undefined removes it); other attributes keep their places. */
export function mapDisks(t: Template, f: (d: TemplateVector) => TemplateVector | undefined): Template {
  return t.flatMap((a): Attribute[] => {
    if (a.name !== 'DISK' || typeof a.value === 'string') return [a];
    const next = f(a.value);
    return next ? [next === a.value ? a : { name: 'DISK', value: next }] : [];
  });
}

/** The image ids a VM's disks hold (to release them when the VM is done). */
export function imageIdsOf(disks: TemplateVector[]): number[] {
  return disks.flatMap((d) => (d.IMAGE_ID !== undefined && d.SOURCE !== undefined ? [Number(d.IMAGE_ID)] : []));
}
