import { HostState } from '../domain/host.js';

/** CPU in percent of a core and memory in KB, as HOST_SHARE counts them. */
export interface Capacity {
  cpu: number;
  mem: number;
}

/**
 * Why one host cannot take one VM. `key` groups hosts that failed the same way, so it leaves out what
 * differs between them (their free capacity); `text` says it for one host, given what that host has free.
 */
export interface Reason {
  key: string;
  text: (free: Capacity) => string;
}

function reason(text: string): Reason {
  return { key: text, text: () => text };
}

/** What each non-MONITORED state means to someone wondering why their VM waits. */
const HOST_STATE_REASON: Record<number, Reason> = {
  [HostState.INIT]: reason('not monitored yet'),
  [HostState.ERROR]: reason('in error (monitoring fails)'),
  [HostState.DISABLED]: reason('disabled'),
  [HostState.OFFLINE]: reason('offline'),
};

/** The reason a host in `state` takes no VMs; undefined for MONITORED hosts. */
export function hostStateReason(state: number): Reason | undefined {
  if (state === HostState.MONITORED) return undefined;
  return HOST_STATE_REASON[state] ?? reason(`not monitored (state ${state})`);
}

export const CURRENT_HOST = reason('the VM runs there already');
export const AUTOMATIC_REQUIREMENTS_NOT_MET = reason('AUTOMATIC_REQUIREMENTS not met');
export const SCHED_REQUIREMENTS_NOT_MET = reason('SCHED_REQUIREMENTS not met');

/** The per-host limit of this cycle. */
export function hostLimitReason(maxHost: number): Reason {
  return reason(`per-host limit of this cycle reached (MAX_HOST = ${maxHost})`);
}

/** Whether a host with `cpu` and `mem` free can hold the VM: undefined if so, else what is short. */
export type CapacityTest = (cpu: number, mem: number) => Reason | undefined;

/** The capacity test for a VM needing `need`; its reasons are built once, as it runs for every host. */
export function capacityTest(need: Capacity): CapacityTest {
  const cpu = `CPU (need ${need.cpu}`;
  const mem = `memory (need ${need.mem} KB`;
  const cpuShort: Reason = { key: `not enough ${cpu})`, text: (f) => `not enough ${cpu}, free ${f.cpu})` };
  const memShort: Reason = { key: `not enough ${mem})`, text: (f) => `not enough ${mem}, free ${f.mem} KB)` };
  const bothShort: Reason = {
    key: `not enough ${cpu}) and ${mem})`,
    text: (f) => `not enough ${cpu}, free ${f.cpu}) and ${mem}, free ${f.mem} KB)`,
  };
  return (freeCpu, freeMem) => {
    const c = freeCpu < need.cpu;
    const m = freeMem < need.mem;
    return c ? (m ? bothShort : cpuShort) : m ? memShort : undefined;
  };
}
