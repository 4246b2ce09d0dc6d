import type { Template } from '../template/types.js';

/** Host STATE numbers; removed ones are left out. */
export const HostState = { INIT: 0, MONITORED: 2, ERROR: 3, DISABLED: 4, OFFLINE: 8 } as const;
export type HostStateName = keyof typeof HostState;

export const HOST_SHORT: Record<number, string> = { 0: 'init', 2: 'on', 3: 'err', 4: 'dsbl', 8: 'off' };

/** HOST_SHARE: capacity in percent of a core (CPU) and KB (memory). */
export interface HostShare {
  memUsage: number;
  cpuUsage: number;
  totalMem: number;
  totalCpu: number;
  maxMem: number;
  maxCpu: number;
  runningVms: number;
}

export interface Host {
  id: number;
  name: string;
  state: number;
  prevState: number;
  imMad: string;
  vmMad: string;
  clusterId: number;
  cluster: string;
  share: HostShare;
  /** IDs of the VMs placed on the host. */
  vms: number[];
  /** Monitoring and user attributes (HYPERVISOR, ARCH, RESERVED_CPU, ...). */
  template: Template;
  /** The last monitoring sample: TIMESTAMP and CAPACITY/SYSTEM values. */
  monitoring: HostSample | null;
  lastMonAt: number;
}

export interface HostSample {
  timestamp: number;
  freeCpu: number;
  usedCpu: number;
  freeMemory: number;
  usedMemory: number;
  netrx: number;
  nettx: number;
}

/** Free CPU and memory for placement: MAX minus what placed VMs were given. */
export function allocatable(share: HostShare): { cpu: number; mem: number } {
  return { cpu: share.maxCpu - share.cpuUsage, mem: share.maxMem - share.memUsage };
}

/** What the VMs placed on a host take from it (CPU in percent, memory in KB) — derived, never stored. */
export interface HostUsage {
  cpu: number;
  mem: number;
  vms: number[];
}

/** The host with its HOST_SHARE usage and VMS filled from `usage`. */
export function withUsage(host: Host, usage: HostUsage | undefined): Host {
  const u = usage ?? { cpu: 0, mem: 0, vms: [] };
  return { ...host, vms: u.vms, share: { ...host.share, cpuUsage: u.cpu, memUsage: u.mem, runningVms: u.vms.length } };
}
