import type { DatastoreCapacity } from '../domain/datastore.js';
import type { Host } from '../domain/host.js';
import type { Vm } from '../domain/vm.js';

/** What every driver operation on a VM is given: the VM as it is now and where it runs. */
export interface VmContext {
  vm: Vm;
  /** The host the operation runs on (the destination of a migration). */
  host: Host;
  /** The source host of a migration, or of a resume from a previous host. */
  sourceHost?: Host;
  /** The daemon's data directory (system datastore on the front-end lives below it). */
  dataDir: string;
}

/**
 * VMM driver actions the lifecycle table can ask for. The snapshot actions work on the SNAPSHOT of the VM
 * marked ACTIVE = "YES"; `snapshot_create` answers the name the hypervisor keeps it under (HYPERVISOR_ID).
 * `resize` brings the running guest to the VM's CPU, VCPU and MEMORY.
 */
export const VMM_ACTIONS = [
  'deploy', 'shutdown', 'cancel', 'save', 'restore', 'reboot', 'reset', 'migrate', 'cleanup',
  'snapshot_create', 'snapshot_revert', 'snapshot_delete', 'resize',
  // Live disk snapshots of a running guest: the disk and snapshot are the disk snapshot tree's pending mark.
  'disk_snapshot_create', 'disk_snapshot_delete',
  // A running guest's disk copied by the hypervisor into the image its HOTPLUG_SAVE_AS marks name.
  'disk_saveas',
  // Disk hotplug and growth of a running guest, on the DISK marked ATTACH, DETACH or RESIZE.
  'attach_disk', 'detach_disk', 'resize_disk',
] as const;
export type VmmAction = (typeof VMM_ACTIONS)[number];

/** TM (transfer) driver actions at VM level; a driver does the per-disk work inside each. */
export const TM_ACTIONS = [
  'prolog', 'prolog_resume', 'prolog_migrate', 'epilog', 'epilog_stop', 'epilog_delete',
  // Disk snapshots of a guest that is not running, on the disk the tree's pending mark names.
  'snap_create', 'snap_revert', 'snap_delete',
  // disk-saveas of a guest that is not running: its disk file copied into the image HOTPLUG_SAVE_AS names.
  'cpds',
  // The file of one disk (the DISK marked ATTACH, DETACH or RESIZE): made, removed (saved first when
  // persistent) or grown, for hotplug and for a guest that is not running.
  'prolog_disk', 'epilog_disk', 'resize_disk',
] as const;
export type TmAction = (typeof TM_ACTIONS)[number];

/**
 * A driver operation either resolves with its info (the deploy id for `deploy`, otherwise free
 * text) or rejects with a DriverError whose message is what the host said. An operation may also
 * never settle; the executor then leaves the VM in its transitional state for `recover`.
 */
export class DriverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriverError';
  }
}

export type VmmDriver = Record<VmmAction, (ctx: VmContext) => Promise<string>>;
export type TmDriver = Record<TmAction, (ctx: VmContext) => Promise<string>>;

/** DS (datastore) driver actions, as OpenNebula's DS_MAD has them: an image's file copied in, created empty, removed. */
export const DS_ACTIONS = ['cp', 'mkfs', 'rm'] as const;
export type DsAction = (typeof DS_ACTIONS)[number];

/** The image file a DS action works on; recorded with the operation, so it runs the same after a restart. */
export interface DsFileSpec {
  /** The image's file in its datastore (SOURCE): it only ever appears whole. */
  source: string;
  /** cp: what is copied in: PATH, or the SOURCE of the image a clone is made from. */
  from: string;
  /** cp: the image is a clone (a qcow2 clone is rewritten, leaving its source's internal snapshots behind). */
  clone: boolean;
  /** The image's FORMAT ('' for what the file turns out to be) and SIZE in MB (what mkfs creates). */
  format: string;
  size: number;
}

/** What a DS action is given: the file, and where to tell how far a copy is. */
export interface DsContext extends DsFileSpec {
  /** Told the whole percent of a copy done (below 100) when it changes; kept as the image's PROGRESS. */
  progress(percent: number): void;
}

/** What cp and mkfs leave at SOURCE: its format and size in MB. */
export interface DsFile {
  format: string;
  size: number;
}

/**
 * A datastore (DS_MAD) driver. Every action is idempotent: cp and mkfs write `SOURCE.part` again from the
 * start and rename it when whole; rm removes SOURCE and any part, and succeeds when they are gone already.
 */
export interface DsDriver {
  cp(ctx: DsContext): Promise<DsFile>;
  mkfs(ctx: DsContext): Promise<DsFile>;
  rm(ctx: DsContext): Promise<void>;
  /** The capacity of the datastore whose files are under `basePath` (run by the monitor loop through the executor). */
  monitor(basePath: string): Promise<DatastoreCapacity>;
}

/** Guest state letters of a VM report (VirtualMachine::Driver::VM_STATE). */
export type GuestState = 'a' | 'p' | 'e' | 'd' | '-';

export interface VmReport {
  deployId: string;
  /** The VM id when the hypervisor knows it (-1 for a zombie). */
  vmId: number;
  state: GuestState;
  /** Percent of one core. */
  cpu: number;
  /** KB. */
  memory: number;
  netrx: number;
  nettx: number;
  diskrdbytes: number;
  diskwrbytes: number;
}

export interface HostReport {
  /** Attributes for the host TEMPLATE (HYPERVISOR, ARCH, MODELNAME, CPUSPEED, ...). */
  attributes: Record<string, string>;
  /** Capacity: CPU in percent of a core, memory in KB. */
  totalCpu: number;
  totalMem: number;
  usedCpu: number;
  usedMem: number;
  freeCpu: number;
  freeMem: number;
  netrx: number;
  nettx: number;
  vms: VmReport[];
}

/** The monitoring (IM) driver: one probe of a host and the VMs on it. Rejects when the host is unreachable. */
export interface ImDriver {
  monitor(host: Host, vms: Vm[], dataDir: string): Promise<HostReport>;
}
