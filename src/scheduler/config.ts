import { parseRank } from '../template/rank.js';

/** The scheduler's settings, named after sched.conf (MAX_VM, MAX_DISPATCH, MAX_HOST, DEFAULT_SCHED). */
export interface SchedulerConfig {
  /** VMs considered per cycle; 0 considers all. */
  maxVm: number;
  /** VMs placed per cycle. */
  maxDispatch: number;
  /** VMs placed on one host per cycle. */
  maxHost: number;
  /** DEFAULT_SCHED POLICY: 0 packing, 1 striping, 2 load-aware, 3 custom, 4 fixed. */
  policy: 0 | 1 | 2 | 3 | 4;
  /** DEFAULT_SCHED RANK, used by policy 3. */
  rank?: string;
}

/** sched.conf's shipped values. */
export const DEFAULT_SCHEDULER_CONFIG: SchedulerConfig = { maxVm: 5000, maxDispatch: 30, maxHost: 1, policy: 1 };

/** The rank each fixed policy stands for; policy 3 takes config.rank. */
const POLICY_RANK: Record<Exclude<SchedulerConfig['policy'], 3>, string> = {
  0: 'RUNNING_VMS',
  1: '- RUNNING_VMS',
  2: 'FREE_CPU',
  4: 'PRIORITY',
};

/** The rank expression hosts are ordered by when a VM has no SCHED_RANK of its own. */
export function policyRank(config: SchedulerConfig): string {
  return config.policy === 3 ? (config.rank ?? '') : POLICY_RANK[config.policy];
}

/** What is wrong with `config`, one sentence per problem; empty when it is usable. */
export function schedulerConfigProblems(config: SchedulerConfig): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(config.maxVm) || config.maxVm < 0) {
    problems.push(`MAX_VM must be a whole number, 0 for no limit (got ${config.maxVm})`);
  }
  if (!Number.isInteger(config.maxDispatch) || config.maxDispatch < 1) {
    problems.push(`MAX_DISPATCH must be a whole number of at least 1 (got ${config.maxDispatch})`);
  }
  if (!Number.isInteger(config.maxHost) || config.maxHost < 1) {
    problems.push(`MAX_HOST must be a whole number of at least 1 (got ${config.maxHost})`);
  }
  if (![0, 1, 2, 3, 4].includes(config.policy)) {
    problems.push(`DEFAULT_SCHED POLICY must be 0, 1, 2, 3 or 4 (got ${config.policy})`);
  } else if (config.policy === 3 && !config.rank?.trim()) {
    problems.push('DEFAULT_SCHED POLICY 3 (custom) needs a RANK expression, e.g. RANK = "FREE_CPU"');
  } else if (config.policy === 3) {
    try {
      parseRank(config.rank ?? '');
    } catch (err) {
      problems.push(`DEFAULT_SCHED RANK "${config.rank}" is not a valid rank expression: ${(err as Error).message}`);
    }
  }
  return problems;
}
