import type { Host } from '../domain/host.js';
import type { Vm } from '../domain/vm.js';
import { policyRank, schedulerConfigProblems, type SchedulerConfig } from './config.js';
import { Cycle, type HostTest } from './cycle.js';
import { badExpressionMessage, dispatchLimitMessage, noHostMessage } from './messages.js';
import { schedulingQueue, type Candidate } from './queue.js';
import {
  AUTOMATIC_REQUIREMENTS_NOT_MET, CURRENT_HOST, SCHED_REQUIREMENTS_NOT_MET,
  capacityTest, hostLimitReason, hostStateReason, type Capacity, type CapacityTest, type Reason,
} from './reasons.js';
import { vmRequest, type Expression } from './vm-request.js';

export { DEFAULT_SCHEDULER_CONFIG, schedulerConfigProblems, type SchedulerConfig } from './config.js';

export interface SchedulerInput {
  vms: Vm[];
  hosts: Host[];
  config: SchedulerConfig;
}

/** One decision: deploy a PENDING VM, or migrate a rescheduled one, to a host. */
export interface PlannedPlacement {
  vmId: number;
  hostId: number;
  kind: 'deploy' | 'migrate';
}

export interface SchedulerPlan {
  placements: PlannedPlacement[];
  /** SCHED_MESSAGE for each VM considered this cycle and not placed. */
  messages: Map<number, string>;
}

/** One VM's tests, ready to run against any host of the cycle. */
interface VmTests {
  candidate: Candidate;
  automatic?: HostTest;
  requirements?: HostTest;
  need: Capacity;
  capacity: CapacityTest;
  /** MONITORED hosts, best-ranked first. */
  order: readonly number[];
  /** Equal for VMs that every host answers alike: same expressions, capacity and current host. */
  signature: string;
}

/** What the user can do about an expression that does not parse, by where it came from. */
function fixFor(attribute: string, vmId: number): string {
  return attribute === 'AUTOMATIC_REQUIREMENTS'
    ? "it is generated from the clusters of the VM's resources; check that they share a cluster"
    : `correct it with 'onevm update ${vmId}'`;
}

/** The VM's tests, or the SCHED_MESSAGE naming the expression that does not parse. */
function vmTests(cycle: Cycle, candidate: Candidate, policyOrder: readonly number[]): VmTests | string {
  const request = vmRequest(candidate.vm);
  const bad = (e: Expression, error: string) =>
    badExpressionMessage(e.attribute, e.text, error, fixFor(e.attribute, candidate.vm.id));
  const tests: Partial<Record<'automatic' | 'requirements', HostTest>> = {};
  for (const [key, e] of [['automatic', request.automaticRequirements], ['requirements', request.requirements]] as const) {
    if (!e) continue;
    const test = cycle.requirement(e.text);
    if (!test.ok) return bad(e, test.error);
    tests[key] = test.value;
  }
  let order = policyOrder;
  if (request.rank) {
    const own = cycle.order(request.rank.text);
    if (!own.ok) return bad(request.rank, own.error);
    order = own.value;
  }
  const signature = [
    request.automaticRequirements?.text, request.requirements?.text, request.rank?.text,
    request.need.cpu, request.need.mem, candidate.currentHostId,
  ].join('\0');
  return { candidate, ...tests, need: request.need, capacity: capacityTest(request.need), order, signature };
}

/** The first test host `i` fails, in mm_sched's order; undefined when it can take the VM. */
function rejection(cycle: Cycle, i: number, t: VmTests, hostLimit: { max: number; reason: Reason }): Reason | undefined {
  const host = cycle.hosts[i];
  const state = hostStateReason(host.state);
  if (state) return state;
  if (host.id === t.candidate.currentHostId) return CURRENT_HOST;
  if (t.automatic && !t.automatic(i)) return AUTOMATIC_REQUIREMENTS_NOT_MET;
  if (t.requirements && !t.requirements(i)) return SCHED_REQUIREMENTS_NOT_MET;
  const short = t.capacity(cycle.freeCpu(i), cycle.freeMem(i));
  if (short) return short;
  return cycle.placedOn(i) >= hostLimit.max ? hostLimit.reason : undefined;
}

/** The index of the best host that takes the VM, or the SCHED_MESSAGE saying why none does. */
function decide(cycle: Cycle, t: VmTests, hostLimit: { max: number; reason: Reason }): number | string {
  const chosen = t.order.find((i) => rejection(cycle, i, t, hostLimit) === undefined);
  if (chosen !== undefined) return chosen;
  // No MONITORED host passed and the others never do, so every host has a reason.
  const reasons = cycle.hosts.map((_, i) => rejection(cycle, i, t, hostLimit) as Reason);
  return noHostMessage(cycle.hosts, reasons, (i) => ({ cpu: cycle.freeCpu(i), mem: cycle.freeMem(i) }));
}

/**
 * Decides where this cycle's VMs go: PENDING VMs are deployed and RESCHED VMs migrated, in USER_PRIORITY
 * then id order, each to the best-ranked MONITORED host that meets its requirements and has the capacity
 * left after this cycle's earlier placements, within MAX_VM, MAX_DISPATCH and MAX_HOST. Every VM considered
 * and not placed gets a SCHED_MESSAGE saying why. Throws when `config` is not usable.
 */
export function planPlacements({ vms, hosts, config }: SchedulerInput): SchedulerPlan {
  const problems = schedulerConfigProblems(config);
  if (problems.length > 0) throw new Error(`The scheduler configuration is not valid: ${problems.join('; ')}`);
  const cycle = new Cycle([...hosts].sort((a, b) => a.id - b.id));
  const rank = policyRank(config);
  const policyOrder = cycle.order(rank);
  if (!policyOrder.ok) throw new Error(`The scheduler's rank "${rank}" does not parse (${policyOrder.error}); fix DEFAULT_SCHED`);
  const hostLimit = { max: config.maxHost, reason: hostLimitReason(config.maxHost) };
  // Until the next placement the hosts do not change, so VMs alike get the same answer (thousands of
  // VMs from one template would otherwise each walk every host).
  const outcomes = new Map<string, number | string>();
  const plan: SchedulerPlan = { placements: [], messages: new Map() };
  for (const candidate of schedulingQueue(vms, config.maxVm)) {
    const { id } = candidate.vm;
    const t = vmTests(cycle, candidate, policyOrder.value);
    if (typeof t === 'string') {
      plan.messages.set(id, t);
      continue;
    }
    let outcome = outcomes.get(t.signature);
    if (outcome === undefined) outcomes.set(t.signature, (outcome = decide(cycle, t, hostLimit)));
    if (typeof outcome === 'string') {
      plan.messages.set(id, outcome);
    } else if (plan.placements.length >= config.maxDispatch) {
      plan.messages.set(id, dispatchLimitMessage(config.maxDispatch));
    } else {
      cycle.place(outcome, t.need);
      outcomes.clear();
      plan.placements.push({ vmId: id, hostId: cycle.hosts[outcome].id, kind: candidate.kind });
    }
  }
  return plan;
}
