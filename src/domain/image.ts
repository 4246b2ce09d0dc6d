import type { Template } from '../template/types.js';
import type { DiskSnapshotTree } from './disk-snapshots.js';
import type { Lock } from './lock.js';
import { DEFAULT_PERMISSIONS, type PoolObject } from './permissions.js';

/** Image TYPE numbers (Image::ImageType). */
export const ImageType = { OS: 0, CDROM: 1, DATABLOCK: 2, KERNEL: 3, RAMDISK: 4, CONTEXT: 5, BACKUP: 6, FILESYSTEM: 7 } as const;
export type ImageTypeName = keyof typeof ImageType;

/** Image STATE numbers (Image::ImageState). */
export const ImageState = {
  INIT: 0, READY: 1, USED: 2, DISABLED: 3, LOCKED: 4, ERROR: 5, CLONE: 6, DELETE: 7, USED_PERS: 8,
  LOCKED_USED: 9, LOCKED_USED_PERS: 10,
} as const;
export type ImageStateName = keyof typeof ImageState;

/** The TYPE column of `oneimage list`. */
export const IMAGE_TYPE_SHORT: Record<number, string> = { 0: 'OS', 1: 'CD', 2: 'DB', 3: 'KL', 4: 'RD', 5: 'CX', 6: 'BK', 7: 'FS' };
/** The STAT column of `oneimage list`. */
export const IMAGE_STATE_SHORT: Record<number, string> = {
  0: 'init', 1: 'rdy', 2: 'used', 3: 'disa', 4: 'lock', 5: 'err', 6: 'clon', 7: 'dele', 8: 'used', 9: 'lock', 10: 'lock',
};

/** An image (`<IMAGE>`); size in MB. */
export interface Image extends PoolObject {
  lock: Lock | null;
  type: number;
  diskType: number;
  persistent: boolean;
  regtime: number;
  modtime: number;
  /** The file in the datastore's BASE_PATH, named by a random hash. */
  source: string;
  /** Where it came from: a front-end path, or '' for an empty datablock or a clone. */
  path: string;
  format: string;
  fsType: string;
  size: number;
  state: number;
  prevState: number;
  runningVms: number;
  cloningOps: number;
  /** The image this one is being cloned from, -1 if none. */
  cloningId: number;
  targetSnapshot: number;
  datastoreId: number;
  datastore: string;
  vms: number[];
  clones: number[];
  appClones: number[];
  template: Template;
  /** The snapshots a persistent image keeps from the disk that used it, after the VM is gone. */
  snapshots?: DiskSnapshotTree;
}

/** The TYPE number of a TYPE name (case-insensitive); undefined for an unknown name. */
export function imageTypeOf(name: string): number | undefined {
  const key = name.trim().toUpperCase();
  return Object.hasOwn(ImageType, key) ? ImageType[key as ImageTypeName] : undefined;
}

/** The TYPE name of a TYPE number. */
export function imageTypeName(type: number): string {
  return Object.keys(ImageType).find((k) => ImageType[k as ImageTypeName] === type) ?? String(type);
}

/** The STATE name of a STATE number. */
export function imageStateName(state: number): string {
  return Object.keys(ImageState).find((k) => ImageState[k as ImageStateName] === state) ?? String(state);
}

/** The types a datastore of each TYPE holds: disks in image datastores, kernels and files in file datastores. */
const TYPES_OF_DATASTORE: Record<number, readonly number[]> = {
  0: [ImageType.OS, ImageType.CDROM, ImageType.DATABLOCK],
  2: [ImageType.KERNEL, ImageType.RAMDISK, ImageType.CONTEXT],
};

/** True when a datastore of `dsType` can hold an image of `type` (system datastores hold none). */
export function typeFitsDatastore(type: number, dsType: number): boolean {
  return TYPES_OF_DATASTORE[dsType]?.includes(type) ?? false;
}

/** What a new image needs besides its id, owner and datastore. */
export interface ImageSpec {
  name: string;
  type: number;
  persistent: boolean;
  /** The file to copy; '' for an empty datablock. */
  path: string;
  format: string;
  fsType: string;
  size: number;
  /** The user's template, without the attributes the image keeps in its own fields. */
  template: Template;
}

/** Who owns a new image. */
export interface ImageOwner {
  uid: number;
  gid: number;
  uname: string;
  gname: string;
}

/** A new image, LOCKED while its file is copied or created at `source`. */
export function newImage(
  id: number, spec: ImageSpec, owner: ImageOwner, ds: { id: number; name: string }, source: string, now: number,
): Image {
  return {
    id, ...owner, name: spec.name, lock: null, permissions: { ...DEFAULT_PERMISSIONS },
    type: spec.type, diskType: 0, persistent: spec.persistent, regtime: now, modtime: now,
    source, path: spec.path, format: spec.format, fsType: spec.fsType, size: spec.size,
    state: ImageState.LOCKED, prevState: ImageState.INIT, runningVms: 0, cloningOps: 0, cloningId: -1, targetSnapshot: -1,
    datastoreId: ds.id, datastore: ds.name, vms: [], clones: [], appClones: [], template: spec.template,
  };
}

/** The image in `state`, remembering the one it leaves. */
export function withState(img: Image, state: number): Image {
  return img.state === state ? img : { ...img, prevState: img.state, state };
}
