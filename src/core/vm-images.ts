import { DatastoreState } from '../domain/datastore.js';
import type { DiskSnapshotTree } from '../domain/disk-snapshots.js';
import { ErrorCode, OneError } from '../domain/errors.js';
import type { Image } from '../domain/image.js';
import { keepDiskSnapshots, treeFromImage } from '../domain/image-snapshots.js';
import type { Requester } from '../domain/permissions.js';
import { acquireImage, assignTargets, diskFromImage, grownImage, imageIdsOf, imageRefOf, releaseImage, withContextDisk, type ImageRef } from '../domain/vm-disks.js';
import type { Vm } from '../domain/vm.js';
import { getVectors } from '../template/access.js';
import type { Attribute, TemplateVector } from '../template/types.js';
import { VmState } from '../lifecycle/states.js';
import type { Tx } from '../store/store.js';
import { authorize, checkLock } from './core.js';
import { waitsForImages } from './vm-cloning.js';

/** The image a DISK names, as `who` sees it: by id, or by name among the named owner's (default: `who`'s). */
export async function findImage(tx: Tx, who: Requester, ref: ImageRef, code: ErrorCode): Promise<Image> {
  if ('id' in ref) {
    const img = await tx.getImage(ref.id);
    if (!img) throw new OneError(code, `Image [${ref.id}] does not exist: check the DISK's IMAGE_ID (oneimage list).`, ref.id);
    return img;
  }
  let uid = ref.uid ?? who.uid;
  if (ref.uname !== undefined) {
    const owner = await tx.getUserByName(ref.uname);
    if (!owner) throw new OneError(code, `User "${ref.uname}" of the DISK's IMAGE_UNAME does not exist.`);
    uid = owner.id;
  }
  const img = await tx.getImageByName(ref.name, uid);
  if (!img) throw new OneError(code, `User [${uid}] has no image named "${ref.name}": check the DISK's IMAGE${ref.uname === undefined && ref.uid === undefined ? ', or add IMAGE_UNAME for another user\'s image' : ''}.`);
  return img;
}

/**
 * One DISK of VM `vmId` taken from its image inside `tx`: `who` must be allowed to USE the image, whose
 * datastore must be enabled; the image must be free to take (or, with `cloning`, a clone still being copied); it is
 * written back counting the VM.
 */
export async function takeDiskImage(tx: Tx, who: Requester, vmId: number, disk: TemplateVector, code: ErrorCode, cloning = false): Promise<TemplateVector> {
  const ref = imageRefOf(disk, code);
  if (!ref) return disk;
  const img = await findImage(tx, who, ref, code);
  authorize(who, img, 'USE', 'IMAGE');
  checkLock(img, 'USE', 'IMAGE');
  const ds = await tx.getDatastore(img.datastoreId);
  if (!ds) throw new OneError(code, `The datastore [${img.datastoreId}] of image [${img.id}] no longer exists.`, img.id);
  if (ds.state === DatastoreState.DISABLED) throw new OneError(code, `Datastore [${ds.id}] of image [${img.id}] is disabled: enable it with onedatastore enable.`, img.id);
  const filled = diskFromImage(disk, img, ds, code);
  await tx.putImage(acquireImage(img, vmId, code, cloning));
  return filled;
}

/**
 * The new VM with every DISK that names an image taken from it (OpenNebula's acquire at allocate), each
 * disk given its TARGET, and the CONTEXT CD-ROM numbered after the disks. With `cloning` (instantiate to
 * persistent) its disks may be clones still being copied: the VM then waits for them in CLONING.
 */
export async function takeVmImages(tx: Tx, who: Requester, vm: Vm, cloning = false): Promise<Vm> {
  const disks: TemplateVector[] = [];
  for (const d of getVectors(vm.template, 'DISK')) disks.push(await takeDiskImage(tx, who, vm.id, d, ErrorCode.ALLOCATE, cloning));
  const targeted = assignTargets(disks);
  const template = withDisks(vm.template, targeted).map((a) =>
    a.name === 'CONTEXT' && typeof a.value !== 'string' ? { name: a.name, value: withContextDisk(a.value, targeted) } : a);
  const trees = await persistentImageTrees(tx, targeted);
  const taken = { ...vm, template, ...(trees.length > 0 ? { diskSnapshots: trees } : {}) };
  // CLONING remembers in PREV_STATE whether the VM was to be held, where it goes once its images are ready
  return cloning && (await waitsForImages(tx, taken)) ? { ...taken, state: VmState.CLONING, prevState: vm.state } : taken;
}

/** The snapshot trees the persistent images of `disks` bring along, one per disk that has snapshots. */
export async function persistentImageTrees(tx: Tx, disks: TemplateVector[]): Promise<DiskSnapshotTree[]> {
  const trees: DiskSnapshotTree[] = [];
  for (const d of disks) {
    if (d.PERSISTENT !== 'YES' || d.IMAGE_ID === undefined) continue;
    const tree = treeFromImage((await tx.getImage(Number(d.IMAGE_ID)))?.snapshots, Number(d.DISK_ID));
    if (tree) trees.push(tree);
  }
  return trees;
}

/** The template with its DISK vectors replaced, in place and order, by `disks`. */
export function withDisks(t: Attribute[], disks: TemplateVector[]): Attribute[] {
  let i = 0;
  const out = t.map((a) => (a.name === 'DISK' && typeof a.value !== 'string' ? { name: 'DISK', value: disks[i++] } : a));
  for (; i < disks.length; i++) out.push({ name: 'DISK', value: disks[i] });
  return out;
}

/** Gives back the images of `ids` (one entry per disk) that `vm` held; persistent ones keep the disk's snapshots. */
async function release(tx: Tx, vm: Vm, ids: number[], kept: number[] = []): Promise<void> {
  for (const id of new Set(ids)) {
    const img = await tx.getImage(id);
    if (img) await tx.putImage(grownImage(keepDiskSnapshots(releaseImage(img, vm.id, ids.filter((i) => i === id).length, kept.includes(id)), vm), vm));
  }
}

/** Gives back every image the VM's disks hold (the VM is DONE). */
export function releaseVmImages(tx: Tx, vm: Vm): Promise<void> {
  return release(tx, vm, imageIdsOf(getVectors(vm.template, 'DISK')));
}

/** Gives back the images of disks `before` had and `after` has not (a detached disk, an attach undone). */
export async function releaseDroppedImages(tx: Tx, before: Vm, after: Vm): Promise<void> {
  if (before.template === after.template) return;
  const left = imageIdsOf(getVectors(after.template, 'DISK'));
  const dropped = imageIdsOf(getVectors(before.template, 'DISK')).filter((id) => {
    const i = left.indexOf(id);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
  if (dropped.length > 0) await release(tx, before, dropped, imageIdsOf(getVectors(after.template, 'DISK')));
}
