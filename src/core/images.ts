import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DatastoreType, type Datastore } from '../domain/datastore.js';
import { isBeingSaved } from '../domain/disk-saveas.js';
import { ErrorCode, OneError } from '../domain/errors.js';
import { ImageState, imageTypeName, imageTypeOf, newImage, typeFitsDatastore, withState, type Image, type ImageSpec } from '../domain/image.js';
import { checkImageOperation } from '../domain/image-rules.js';
import { imageSpecFrom } from '../domain/image-spec.js';
import { checkName } from '../domain/names.js';
import { applyChmod, type Requester, type Right } from '../domain/permissions.js';
import { getSingle } from '../template/access.js';
import { mergeTemplate } from '../template/merge.js';
import type { Tx } from '../store/store.js';
import type { Core } from './core.js';
import { authorize, checkLock, mustExist } from './core.js';
import { recordImageOperation, recordImageWrite, releaseCloneSource } from './image-operations.js';
import { lockObject } from './lock.js';
import { checkBits, withOwner } from './ownership.js';
import { parseUserTemplate } from './vm-create.js';

const KIND = 'IMAGE';
const MB = 1024 * 1024;

/** The image, if `who` has `right` on it and no lock blocks that right. */
export async function imageFor(tx: Tx, who: Requester, id: number, right: Right): Promise<Image> {
  const img = mustExist(await tx.getImage(id), 'image', id);
  authorize(who, img, right, KIND);
  checkLock(img, right, KIND);
  return img;
}

async function editImage(core: Core, who: Requester, id: number, right: Right, change: (img: Image, tx: Tx) => Image | Promise<Image>): Promise<number> {
  await core.store.tx(async (tx) => {
    const img = await imageFor(tx, who, id, right);
    await tx.putImage({ ...(await change(img, tx)), modtime: core.now() });
  });
  return id;
}

/** The datastore a new image goes to: it must exist, be usable by `who`, and hold images of `type`. */
async function targetDatastore(tx: Tx, who: Requester, dsId: number, type: number): Promise<Datastore> {
  const ds = mustExist(await tx.getDatastore(dsId), 'datastore', dsId);
  authorize(who, ds, 'USE', 'DATASTORE');
  if (ds.type === DatastoreType.SYSTEM_DS) {
    throw new OneError(ErrorCode.ALLOCATE, `Error allocating a new image. New images cannot be allocated in a system datastore [${dsId}]: use an image datastore such as 1 (default).`);
  }
  if (!typeFitsDatastore(type, ds.type)) {
    const hint = ds.type === DatastoreType.FILE_DS ? 'file datastores hold KERNEL, RAMDISK and CONTEXT' : 'image datastores hold OS, CDROM and DATABLOCK';
    throw new OneError(ErrorCode.ALLOCATE, `Error allocating a new image. ${imageTypeName(type)} images cannot go to datastore [${dsId}]: ${hint}.`);
  }
  return ds;
}

/** The size in MB of the file at `path`; ALLOCATE when it is not a readable regular file. */
async function fileSizeMb(path: string): Promise<number> {
  const s = await stat(path).catch(() => undefined);
  if (!s?.isFile()) throw new OneError(ErrorCode.ALLOCATE, `Error allocating a new image. Cannot read PATH "${path}": it must be an existing file on the front-end.`);
  return Math.max(1, Math.ceil(s.size / MB));
}

/**
 * Inside `tx`: a new LOCKED image of `spec` owned by `who`, listed in datastore `dsId` (which must take it, with
 * room for it unless `skipCapacity`); names are unique per owner. Its file is not written yet: the caller records
 * how (recordImageWrite) or a VM's drivers write it (disk-saveas).
 */
export async function addImage(
  core: Core, tx: Tx, who: Requester, spec: ImageSpec, dsId: number, skipCapacity: boolean,
  extra: (id: number) => Promise<Partial<Image>> = async () => ({}),
): Promise<Image> {
  const ds = await targetDatastore(tx, who, dsId, spec.type);
  if (!skipCapacity && ds.totalMb > 0 && spec.size > ds.freeMb) {
    throw new OneError(ErrorCode.ACTION, `Not enough space in datastore [${ds.id}]: the image needs ${spec.size} MB and ${ds.freeMb} MB are free. Free some space or use another datastore.`);
  }
  const other = await tx.getImageByName(spec.name, who.uid);
  if (other) throw new OneError(ErrorCode.ALLOCATE, `Error allocating a new image. NAME is already taken by IMAGE ${other.id}: choose another name.`);
  const id = await tx.nextId('image');
  const source = join(ds.basePath, randomBytes(16).toString('hex'));
  const img = { ...newImage(id, spec, who, ds, source, core.now()), ...(await extra(id)) };
  await tx.putImage(img);
  await tx.putDatastore({ ...ds, images: [...ds.images, id] });
  return img;
}

/** After the transaction that added `img` and recorded the writing of its file: the executor runs it. */
export function startCopy(core: Core, img: Image): void {
  core.log.info({ image: img.id, name: img.name, datastore: img.datastoreId }, 'image created, copying its file');
  core.onOperations();
}

/**
 * Inside `tx`: a clone of image `id` owned by `who`, named `name`, in datastore `dsId` (-1: the same one); the
 * source counts the clone until its copy, recorded here, is done (see startCopy).
 */
export async function addClone(core: Core, tx: Tx, who: Requester, id: number, name: string, dsId: number, persistent: boolean): Promise<Image> {
  const src = await imageFor(tx, who, id, 'USE');
  checkImageOperation(src, 'clone');
  const spec: ImageSpec = { name, type: src.type, persistent, path: '', format: src.format, fsType: src.fsType, size: src.size, template: src.template };
  const clone = await addImage(core, tx, who, spec, dsId < 0 ? src.datastoreId : dsId, false, async (newId) => {
    const next = src.state === ImageState.READY ? withState(src, ImageState.CLONE) : src;
    await tx.putImage({ ...next, cloningOps: src.cloningOps + 1, clones: [...src.clones, newId] });
    return { cloningId: id };
  });
  await recordImageWrite(core, tx, clone);
  return clone;
}

/** one.image.allocate: copies PATH into the datastore, or creates an empty DATABLOCK of SIZE, in the background. */
export async function allocateImage(core: Core, who: Requester, text: string, dsId: number, skipCapacity: boolean): Promise<number> {
  const spec = imageSpecFrom(parseUserTemplate(text, ErrorCode.ALLOCATE));
  if (spec.path) spec.size = await fileSizeMb(spec.path);
  const img = await core.store.tx(async (tx) => {
    const added = await addImage(core, tx, who, spec, dsId, skipCapacity);
    await recordImageWrite(core, tx, added);
    return added;
  });
  startCopy(core, img);
  return img.id;
}

/** one.image.clone: a copy of a usable image owned by the caller, in `dsId` (-1: the same datastore). */
export async function cloneImage(core: Core, who: Requester, id: number, name: string, dsId: number): Promise<number> {
  checkName(name, ErrorCode.ACTION);
  const img = await core.store.tx((tx) => addClone(core, tx, who, id, name, dsId, false));
  startCopy(core, img);
  return img.id;
}

/**
 * one.image.delete: refused while VMs use it or clones are copied from it; its file's removal is recorded in
 * the same transaction, and supersedes a copy still to run.
 */
export async function deleteImage(core: Core, who: Requester, id: number): Promise<number> {
  await core.store.tx(async (tx) => {
    const img = await imageFor(tx, who, id, 'MANAGE');
    checkImageOperation(img, 'delete');
    if (isBeingSaved(img)) {
      throw new OneError(ErrorCode.ACTION, `Cannot delete image [${id}]: VM ${getSingle(img.template, 'SAVED_VM_ID')} is saving a disk into it; wait until it is READY or ERROR.`, id);
    }
    await tx.deleteImage(id);
    const ds = await tx.getDatastore(img.datastoreId);
    if (ds) await tx.putDatastore({ ...ds, images: ds.images.filter((i) => i !== id) });
    if (img.state === ImageState.LOCKED) await releaseCloneSource(tx, img);
    for (const op of await tx.operationsOfImage(id)) await tx.deleteOperation(op.id);
    await recordImageOperation(core, tx, img, 'rm');
  });
  core.onOperations();
  core.log.info({ image: id }, 'image deleted');
  return id;
}

/** one.image.update: replace (0) or merge (1) the template. */
export function updateImage(core: Core, who: Requester, id: number, text: string, type: number): Promise<number> {
  if (type !== 0 && type !== 1) throw new OneError(ErrorCode.XML_RPC_API, `Wrong update type ${type}: use 0 (replace) or 1 (merge).`, id);
  const t = parseUserTemplate(text);
  return editImage(core, who, id, 'MANAGE', (img) => ({ ...img, template: type === 0 ? t : mergeTemplate(img.template, t) }));
}

/** one.image.rename: names are unique among an owner's images. */
export function renameImage(core: Core, who: Requester, id: number, name: string): Promise<number> {
  checkName(name);
  return editImage(core, who, id, 'MANAGE', async (img, tx) => {
    const other = await tx.getImageByName(name, img.uid);
    if (other && other.id !== id) throw new OneError(ErrorCode.ACTION, `NAME "${name}" is already taken by IMAGE ${other.id} of the same owner: choose another name.`, id);
    return { ...img, name };
  });
}

/** one.image.chmod */
export function chmodImage(core: Core, who: Requester, id: number, bits: number[]): Promise<number> {
  checkBits(bits, who, id);
  return editImage(core, who, id, 'MANAGE', (img) => ({ ...img, permissions: applyChmod(img.permissions, bits) }));
}

/** one.image.chown: -1 leaves the owner or group unchanged; the new owner must not have an image of that name. */
export function chownImage(core: Core, who: Requester, id: number, uid: number, gid: number): Promise<number> {
  return editImage(core, who, id, 'ADMIN', async (img, tx) => {
    const next = await withOwner(tx, img, uid, gid);
    const other = next.uid !== img.uid ? await tx.getImageByName(img.name, next.uid) : undefined;
    if (other) throw new OneError(ErrorCode.ACTION, `User [${next.uid}] already has an image named "${img.name}" (IMAGE ${other.id}): rename one first.`, id);
    return next;
  });
}

/** one.image.enable: DISABLED <-> READY. */
export function enableImage(core: Core, who: Requester, id: number, enable: boolean): Promise<number> {
  return editImage(core, who, id, 'MANAGE', (img) => {
    checkImageOperation(img, enable ? 'enable' : 'disable');
    return withState(img, enable ? ImageState.READY : ImageState.DISABLED);
  });
}

/** one.image.persistent: only while no VM uses the image. */
export function persistentImage(core: Core, who: Requester, id: number, persistent: boolean): Promise<number> {
  return editImage(core, who, id, 'MANAGE', (img) => {
    checkImageOperation(img, 'persistent');
    return { ...img, persistent };
  });
}

/** one.image.chtype: the new TYPE must suit the image's datastore. */
export function chtypeImage(core: Core, who: Requester, id: number, typeText: string): Promise<number> {
  const type = imageTypeOf(typeText);
  if (type === undefined) throw new OneError(ErrorCode.ACTION, `Unknown image type "${typeText}": use OS, CDROM, DATABLOCK, KERNEL, RAMDISK or CONTEXT.`, id);
  return editImage(core, who, id, 'MANAGE', async (img, tx) => {
    checkImageOperation(img, 'chtype');
    const ds = await tx.getDatastore(img.datastoreId);
    if (ds && !typeFitsDatastore(type, ds.type)) {
      throw new OneError(ErrorCode.ACTION, `Image [${id}] cannot be ${imageTypeName(type)}: datastore [${ds.id}] does not hold that type of image.`, id);
    }
    return { ...img, type };
  });
}

/** one.image.lock */
export function lockImage(core: Core, who: Requester, id: number, level: number, test: boolean): Promise<number> {
  return editImage(core, who, id, 'MANAGE', (img) => lockObject(img, who, level, test, core.now()));
}

/** one.image.unlock */
export async function unlockImage(core: Core, who: Requester, id: number): Promise<number> {
  await core.store.tx(async (tx) => {
    const img = mustExist(await tx.getImage(id), 'image', id);
    authorize(who, img, 'MANAGE', KIND);
    await tx.putImage({ ...img, lock: null });
  });
  return id;
}

/** one.image.info: the image, if `who` may use it. */
export async function imageInfo(core: Core, who: Requester, id: number): Promise<Image> {
  const img = mustExist(await core.store.read.getImage(id), 'image', id);
  authorize(who, img, 'USE', KIND);
  return img;
}
