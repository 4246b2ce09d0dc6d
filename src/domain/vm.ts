import type { Template } from '../template/types.js';
import type { DiskSnapshotTree } from './disk-snapshots.js';
import type { History } from './history.js';
import type { Lock } from './lock.js';
import type { PoolObject } from './permissions.js';

/** A virtual machine, as stored and as rendered in `<VM>`. */
export interface Vm extends PoolObject {
  lastPoll: number;
  state: number;
  lcmState: number;
  prevState: number;
  prevLcmState: number;
  resched: number;
  stime: number;
  etime: number;
  deployId: string;
  lock: Lock | null;
  /** The latest monitoring sample, as flat attributes (CPU, MEMORY, NETRX, ...). */
  monitoring: Record<string, string>;
  /** The system template (CPU, MEMORY, DISK, NIC, OS, ... VMID, AUTOMATIC_REQUIREMENTS). */
  template: Template;
  /** Free-form attributes: SCHED_REQUIREMENTS, SCHED_RANK, USER_PRIORITY, ERROR, SCHED_MESSAGE, ... */
  userTemplate: Template;
  history: History[];
  /** When the VM last changed state (epoch seconds); not in the XML, used to discard stale monitoring. */
  stateTime: number;
  /** One tree per disk that has snapshots, by DISK_ID; absent on VMs stored before disk snapshots existed. */
  diskSnapshots?: DiskSnapshotTree[];
}

/** The open (last) history record, if the VM was ever placed. */
export function currentHistory(vm: Vm): History | undefined {
  return vm.history[vm.history.length - 1];
}

/** The record before the open one (where a migration started from). */
export function previousHistory(vm: Vm): History | undefined {
  return vm.history[vm.history.length - 2];
}
