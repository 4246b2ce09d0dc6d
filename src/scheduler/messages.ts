import type { Capacity, Reason } from './reasons.js';

/** The hosts of a cycle, as messages name them. */
export interface NamedHost {
  id: number;
  name: string;
}

const PREFIX = 'Cannot dispatch VM: ';
/** Up to this many hosts are listed one by one; more are grouped by reason. */
const PER_HOST_MAX = 5;
/** Hosts named as examples of a group. */
const EXAMPLES = 3;
/** SCHED_MESSAGE stays readable in `onevm show` and small in the store. */
const MAX_LENGTH = 1000;

function label(h: NamedHost): string {
  return `${h.name} (${h.id})`;
}

/** Groups by reason, the most common first (ties in order of first appearance), naming a few hosts of each. */
function grouped(hosts: readonly NamedHost[], reasons: readonly Reason[]): string {
  const groups = new Map<string, { count: number; examples: NamedHost[] }>();
  reasons.forEach((r, i) => {
    let g = groups.get(r.key);
    if (!g) groups.set(r.key, (g = { count: 0, examples: [] }));
    g.count += 1;
    if (g.examples.length < EXAMPLES) g.examples.push(hosts[i]);
  });
  return [...groups]
    .sort((a, b) => b[1].count - a[1].count)
    .map(([key, g]) => {
      const names = g.examples.map(label).join(', ');
      return g.count <= EXAMPLES ? `${key}: ${names}` : `${key}: ${g.count} hosts, e.g. ${names}`;
    })
    .join('; ');
}

function bounded(message: string): string {
  return message.length <= MAX_LENGTH ? message : `${message.slice(0, MAX_LENGTH - 3)}...`;
}

/**
 * SCHED_MESSAGE for a VM no host can take: `reasons[i]` is why `hosts[i]` cannot, `free(i)` what it has
 * free. Few hosts are listed one by one; many are grouped by reason, with counts and a few names.
 */
export function noHostMessage(hosts: readonly NamedHost[], reasons: readonly Reason[], free: (i: number) => Capacity): string {
  if (hosts.length === 0) return `${PREFIX}there are no hosts; add one with 'onehost create'`;
  const detail = hosts.length <= PER_HOST_MAX
    ? reasons.map((r, i) => `${label(hosts[i])}: ${r.text(free(i))}`).join('; ')
    : grouped(hosts, reasons);
  return bounded(PREFIX + detail);
}

/** SCHED_MESSAGE for a VM that had a host but came after the cycle's last dispatch. */
export function dispatchLimitMessage(maxDispatch: number): string {
  return `${PREFIX}this cycle's dispatch limit was reached (MAX_DISPATCH = ${maxDispatch}); it is retried in the next cycle`;
}

/** SCHED_MESSAGE for a VM whose placement expression does not parse; `fix` says what the user can do. */
export function badExpressionMessage(attribute: string, expression: string, parserMessage: string, fix: string): string {
  return bounded(`${PREFIX}${attribute} "${expression}" is not a valid expression (${parserMessage}); ${fix}`);
}
