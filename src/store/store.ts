import type { Datastore } from '../domain/datastore.js';
import type { DsAction, DsFileSpec } from '../drivers/types.js';
import type { Group } from '../domain/group.js';
import type { Host, HostUsage } from '../domain/host.js';
import type { Image } from '../domain/image.js';
import type { User } from '../domain/user.js';
import type { VmTemplate } from '../domain/vm-template.js';
import type { Vm } from '../domain/vm.js';
import type { Operation } from '../lifecycle/events.js';

/** A recorded driver operation (the outbox): written with the state change that asks for it. */
export interface OperationRecord {
  id: number;
  /** The VM it works on, or -1 for a datastore operation. */
  vmId: number;
  hostId: number;
  /** The VM driver steps, run in order; `step` is the next one to run. None for a datastore operation. */
  steps: readonly Operation[];
  step: number;
  /** queued: not started; running: handed to a driver (its outcome is unknown after a crash). */
  status: 'queued' | 'running';
  attempts: number;
  created: number;
  started: number;
  /** A datastore operation: a DS driver action on the file of an image (VM operations have none). */
  ds?: DsOperation;
}

/** What a datastore operation does, kept whole so that it runs the same after a restart or after the image is gone. */
export interface DsOperation {
  action: DsAction;
  imageId: number;
  /** DS_MAD of the image's datastore. */
  dsMad: string;
  file: DsFileSpec;
}

/** Which VMs a pool query returns. */
export interface VmQuery {
  /** Only these owners (undefined = everyone). */
  uids?: number[];
  /** Objects of these groups too, OR-ed with uids. */
  gids?: number[];
  /** -2 any including DONE, -1 any but DONE, else that VM_STATE. */
  state: number;
  /** Inclusive id range; -1 = open. */
  fromId: number;
  toId: number;
  /** Paging (offset, size) when size > 0. */
  offset: number;
  size: number;
  /** `KEY=VALUE&...` search on the document (VM.NAME=..., VM.TEMPLATE.NIC[*].MAC=...). */
  search?: string;
}


export interface Sample {
  id: number;
  timestamp: number;
  values: Record<string, string>;
}

export type PoolName = 'vm' | 'host' | 'template' | 'user' | 'group' | 'datastore' | 'image';

/** Everything the core reads and writes, inside one transaction. */
export interface Tx {
  nextId(pool: PoolName): Promise<number>;

  getVm(id: number): Promise<Vm | undefined>;
  putVm(vm: Vm): Promise<void>;
  queryVms(q: VmQuery): Promise<Vm[]>;
  /** VMs waiting for the scheduler: PENDING, and RESCHED=1 in RUNNING, POWEROFF or UNKNOWN. */
  schedulableVms(): Promise<Vm[]>;
  /** VMs whose current record is on this host and that hold it. */
  vmsOnHost(hostId: number): Promise<Vm[]>;

  getHost(id: number): Promise<Host | undefined>;
  getHostByName(name: string): Promise<Host | undefined>;
  putHost(host: Host): Promise<void>;
  deleteHost(id: number): Promise<void>;
  listHosts(): Promise<Host[]>;

  getTemplate(id: number): Promise<VmTemplate | undefined>;
  getTemplateByName(name: string, uid: number): Promise<VmTemplate | undefined>;
  putTemplate(t: VmTemplate): Promise<void>;
  deleteTemplate(id: number): Promise<void>;
  listTemplates(): Promise<VmTemplate[]>;

  getUser(id: number): Promise<User | undefined>;
  getUserByName(name: string): Promise<User | undefined>;
  putUser(u: User): Promise<void>;
  deleteUser(id: number): Promise<void>;
  listUsers(): Promise<User[]>;

  getGroup(id: number): Promise<Group | undefined>;
  getGroupByName(name: string): Promise<Group | undefined>;
  putGroup(g: Group): Promise<void>;
  deleteGroup(id: number): Promise<void>;
  listGroups(): Promise<Group[]>;

  getDatastore(id: number): Promise<Datastore | undefined>;
  getDatastoreByName(name: string): Promise<Datastore | undefined>;
  putDatastore(ds: Datastore): Promise<void>;
  deleteDatastore(id: number): Promise<void>;
  listDatastores(): Promise<Datastore[]>;

  getImage(id: number): Promise<Image | undefined>;
  /** The image of that name owned by `uid` (names are unique per owner). */
  getImageByName(name: string, uid: number): Promise<Image | undefined>;
  putImage(img: Image): Promise<void>;
  deleteImage(id: number): Promise<void>;
  listImages(): Promise<Image[]>;

  addOperation(op: Omit<OperationRecord, 'id'>): Promise<number>;
  getOperation(id: number): Promise<OperationRecord | undefined>;
  putOperation(op: OperationRecord): Promise<void>;
  deleteOperation(id: number): Promise<void>;
  operationsOfVm(vmId: number): Promise<OperationRecord[]>;
  /** The datastore operations on the file of image `imageId`. */
  operationsOfImage(imageId: number): Promise<OperationRecord[]>;
  /** Operations recorded after `id`, oldest first. */
  operationsAfter(id: number): Promise<OperationRecord[]>;

  addVmSample(vmId: number, s: Omit<Sample, 'id'>): Promise<void>;
  vmSamples(vmId: number): Promise<Sample[]>;
  addHostSample(hostId: number, s: Omit<Sample, 'id'>): Promise<void>;
  hostSamples(hostId: number): Promise<Sample[]>;
  /** Drops samples older than `before` (epoch seconds). */
  purgeSamples(before: number): Promise<void>;
}

export interface Store {
  /** Runs `fn` as one transaction: all of its writes land, or none. */
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Reads that need no transaction (committed data only). */
  readonly read: Tx;
  /** Host usage derived from the VMs holding each host (or only `hostId`), committed data. */
  hostUsage(hostId?: number): Promise<Map<number, HostUsage>>;
  close(): Promise<void>;
}
