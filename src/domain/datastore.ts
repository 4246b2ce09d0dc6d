import type { Template } from '../template/types.js';
import { DEFAULT_PERMISSIONS, type Permissions, type PoolObject } from './permissions.js';

/** Datastore TYPE numbers, as OpenNebula's Datastore::DatastoreType. */
export const DatastoreType = { IMAGE_DS: 0, SYSTEM_DS: 1, FILE_DS: 2 } as const;
export type DatastoreTypeName = keyof typeof DatastoreType;

/** Datastore STATE numbers: only system datastores can be disabled. */
export const DatastoreState = { READY: 0, DISABLED: 1 } as const;

/** The TYPE column of `onedatastore list`. */
export const DS_TYPE_SHORT: Record<number, string> = { 0: 'img', 1: 'sys', 2: 'fil' };
/** The STAT column of `onedatastore list`. */
export const DS_STATE_SHORT: Record<number, string> = { 0: 'on', 1: 'off' };

/** DISK_TYPE FILE: what the fs datastores hold. */
export const DISK_TYPE_FILE = 0;

/** The DS_MAD of a system datastore, which has no image driver. */
export const NO_DS_MAD = '-';

/** The image drivers a datastore can name (oned.conf's DS_MAD_CONF). */
export const DS_MADS = ['fs', 'dummy'] as const;

/**
 * What each transfer driver adds to a new datastore's template when the template does not say
 * (oned.conf's TM_MAD_CONF): whether hosts share the files and where images are cloned or linked.
 */
export const TM_MAD_CONF: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ssh: { SHARED: 'NO', LN_TARGET: 'SYSTEM', CLONE_TARGET: 'SYSTEM', DS_MIGRATE: 'YES' },
  shared: { SHARED: 'YES', LN_TARGET: 'NONE', CLONE_TARGET: 'SYSTEM', DS_MIGRATE: 'YES' },
  qcow2: { SHARED: 'YES', LN_TARGET: 'NONE', CLONE_TARGET: 'SYSTEM', DS_MIGRATE: 'YES' },
  dummy: { SHARED: 'YES', LN_TARGET: 'NONE', CLONE_TARGET: 'SYSTEM', DS_MIGRATE: 'YES' },
};

/** A datastore (`<DATASTORE>`); capacity in MB. */
export interface Datastore extends PoolObject {
  dsMad: string;
  tmMad: string;
  /** Where its files are on the front-end: <DATA_DIR>/datastores/<id>. */
  basePath: string;
  type: number;
  diskType: number;
  state: number;
  clusterIds: number[];
  totalMb: number;
  freeMb: number;
  usedMb: number;
  /** IDs of the images it holds. */
  images: number[];
  template: Template;
}

/** Capacity in MB, as the datastore monitor reports it. */
export interface DatastoreCapacity {
  totalMb: number;
  freeMb: number;
  usedMb: number;
}

/** What statfs(2) says of a file system (node:fs StatsFs fields, numbers). */
export interface FsStats {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}

const MB = 1024 * 1024;

/** Capacity as `df` reports it: total blocks, free for users (bavail), used = total - all free. */
export function capacityOf(s: FsStats): DatastoreCapacity {
  const mb = (blocks: number) => Math.floor((blocks * s.bsize) / MB);
  return { totalMb: mb(s.blocks), freeMb: mb(s.bavail), usedMb: mb(s.blocks - s.bfree) };
}

/** True when the capacity differs from the datastore's (so the store is written only on change). */
export function capacityChanged(ds: DatastoreCapacity, c: DatastoreCapacity): boolean {
  return ds.totalMb !== c.totalMb || ds.freeMb !== c.freeMb || ds.usedMb !== c.usedMb;
}

/** The TYPE number of a TYPE name; undefined for an unknown name. A missing TYPE is an IMAGE_DS. */
export function datastoreTypeOf(name: string | undefined): number | undefined {
  const key = (name ?? 'IMAGE_DS').trim().toUpperCase();
  return Object.hasOwn(DatastoreType, key) ? DatastoreType[key as DatastoreTypeName] : undefined;
}

/** The TYPE name of a TYPE number. */
export function datastoreTypeName(type: number): DatastoreTypeName {
  return (Object.keys(DatastoreType) as DatastoreTypeName[]).find((k) => DatastoreType[k] === type) ?? 'IMAGE_DS';
}

/** BASE_PATH of a datastore on the front-end. */
export function datastoreBasePath(dataDir: string, id: number): string {
  return `${dataDir.replace(/\/+$/, '')}/datastores/${id}`;
}

/** OpenNebula's datastore permissions: um- u-- --- (the group may use it). */
export const DATASTORE_PERMISSIONS: Permissions = { ...DEFAULT_PERMISSIONS, groupU: 1 };

/** Who owns a new datastore. */
export interface DatastoreOwner {
  uid: number;
  gid: number;
  uname: string;
  gname: string;
}

/** The attributes of a new datastore, as checked by the caller. */
export interface DatastoreSpec {
  name: string;
  type: number;
  dsMad: string;
  tmMad: string;
  /** The user's template, without NAME. */
  template: Template;
}

/** The TEMPLATE OpenNebula keeps: the user's attributes, TYPE, DS_MAD, TM_MAD and the TM_MAD_CONF defaults. */
function datastoreTemplate(spec: DatastoreSpec): Template {
  const set: Record<string, string> = { ...TM_MAD_CONF[spec.tmMad], TYPE: datastoreTypeName(spec.type), TM_MAD: spec.tmMad };
  if (spec.dsMad !== NO_DS_MAD) set.DS_MAD = spec.dsMad;
  const forced = new Set(['TYPE', 'TM_MAD', 'DS_MAD']);
  const given = spec.template.filter((a) => !forced.has(a.name) && a.name !== 'BASE_PATH');
  const names = new Set(given.map((a) => a.name));
  const added = Object.entries(set).filter(([k]) => forced.has(k) || !names.has(k)).map(([name, value]) => ({ name, value }));
  return [...given, ...added];
}

/** A new datastore READY in the default cluster, with no capacity known yet. */
export function newDatastore(id: number, spec: DatastoreSpec, owner: DatastoreOwner, dataDir: string): Datastore {
  return {
    id, ...owner, name: spec.name, permissions: { ...DATASTORE_PERMISSIONS },
    dsMad: spec.dsMad, tmMad: spec.tmMad, basePath: datastoreBasePath(dataDir, id), type: spec.type,
    diskType: DISK_TYPE_FILE, state: DatastoreState.READY, clusterIds: [0],
    totalMb: 0, freeMb: 0, usedMb: 0, images: [], template: datastoreTemplate(spec),
  };
}

/** The datastores of a fresh install: 0 system, 1 default (images), 2 files, owned by oneadmin. */
export function defaultDatastores(dataDir: string): Datastore[] {
  const owner = { uid: 0, gid: 0, uname: 'oneadmin', gname: 'oneadmin' };
  const specs: DatastoreSpec[] = [
    { name: 'system', type: DatastoreType.SYSTEM_DS, dsMad: NO_DS_MAD, tmMad: 'ssh', template: [] },
    { name: 'default', type: DatastoreType.IMAGE_DS, dsMad: 'fs', tmMad: 'ssh', template: [] },
    { name: 'files', type: DatastoreType.FILE_DS, dsMad: 'fs', tmMad: 'ssh', template: [] },
  ];
  return specs.map((s, id) => newDatastore(id, s, owner, dataDir));
}
