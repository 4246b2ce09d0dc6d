import { currentHistory, type Vm } from '../domain/vm.js';
import { LcmState, VmState } from '../lifecycle/states.js';
import { getNumber } from '../template/access.js';

/** A VM the scheduler looks for a host for, with what placing it means. */
export interface Candidate {
  vm: Vm;
  kind: 'deploy' | 'migrate';
  /** The host a rescheduled VM runs on now; it is never the answer. */
  currentHostId?: number;
}

/** LCM states (while ACTIVE) from which RESCHED moves a VM. */
const RESCHED_LCM: ReadonlySet<number> = new Set([LcmState.RUNNING, LcmState.UNKNOWN]);

/** Whether and how the scheduler handles `vm`: PENDING deploys; RESCHED=1 in RUNNING, POWEROFF, UNKNOWN migrates. */
export function candidateOf(vm: Vm): Candidate | undefined {
  if (vm.state === VmState.PENDING) return { vm, kind: 'deploy' };
  if (vm.resched !== 1) return undefined;
  const movable = vm.state === VmState.POWEROFF || (vm.state === VmState.ACTIVE && RESCHED_LCM.has(vm.lcmState));
  return movable ? { vm, kind: 'migrate', currentHostId: currentHistory(vm)?.hid } : undefined;
}

/** USER_PRIORITY from the user template; 0 when unset or not a number. */
export function userPriority(vm: Vm): number {
  return getNumber(vm.userTemplate, 'USER_PRIORITY') ?? 0;
}

/** The VMs of this cycle in dispatch order (USER_PRIORITY high first, then lower id first), at most `maxVm` (0: all). */
export function schedulingQueue(vms: readonly Vm[], maxVm: number): Candidate[] {
  const queue = vms
    .map(candidateOf)
    .filter((c): c is Candidate => c !== undefined)
    .map((c) => ({ c, priority: userPriority(c.vm) }))
    .sort((a, b) => b.priority - a.priority || a.c.vm.id - b.c.vm.id)
    .map(({ c }) => c);
  return maxVm > 0 ? queue.slice(0, maxVm) : queue;
}
