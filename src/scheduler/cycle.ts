import { HostState, type Host } from '../domain/host.js';
import { evaluateRank, parseRank } from '../template/rank.js';
import { evaluateRequirements, parseRequirements } from '../template/requirements.js';
import { currentVmsAsMembership } from './current-vms.js';
import { hostLookup, numericLookup, type HostLookup } from './host-variables.js';
import type { Capacity } from './reasons.js';

/** A parsed expression put to use, or the parser's complaint. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Whether the host at index `i` of the cycle meets a requirement expression. */
export type HostTest = (i: number) => boolean;

function parsed<T>(make: () => T): Parsed<T> {
  try {
    return { ok: true, value: make() };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = make()));
  return value;
}

const UNKNOWN = 0;
const MET = 1;
const NOT_MET = 2;

/**
 * One scheduling cycle's shared work: hosts are seen as they were when the cycle began (as mm_sched sees
 * them), so each expression is parsed once and evaluated at most once per host however many VMs use it;
 * only the capacity this cycle hands out is tracked as it changes.
 */
export class Cycle {
  /** Indices (into hosts) of the MONITORED hosts, the only ones that take VMs. */
  readonly monitored: number[];
  private readonly lookups: (HostLookup | undefined)[];
  private readonly tests = new Map<string, Parsed<HostTest>>();
  private readonly orders = new Map<string, Parsed<readonly number[]>>();
  private readonly cpuGiven: Float64Array;
  private readonly memGiven: Float64Array;
  private readonly vmsGiven: Uint32Array;

  /** `hosts` in the order messages list them. */
  constructor(readonly hosts: readonly Host[]) {
    this.monitored = hosts.flatMap((h, i) => (h.state === HostState.MONITORED ? [i] : []));
    this.lookups = new Array(hosts.length);
    this.cpuGiven = new Float64Array(hosts.length);
    this.memGiven = new Float64Array(hosts.length);
    this.vmsGiven = new Uint32Array(hosts.length);
  }

  private lookup(i: number): HostLookup {
    return (this.lookups[i] ??= hostLookup(this.hosts[i]));
  }

  /** The host test for requirement expression `expr`; it remembers each host's answer. */
  requirement(expr: string): Parsed<HostTest> {
    return cached(this.tests, expr, () =>
      parsed(() => {
        const req = currentVmsAsMembership(parseRequirements(expr));
        const answers = new Uint8Array(this.hosts.length);
        return (i: number) => {
          if (answers[i] === UNKNOWN) answers[i] = evaluateRequirements(req, this.lookup(i)) ? MET : NOT_MET;
          return answers[i] === MET;
        };
      }),
    );
  }

  /** The MONITORED hosts ordered by rank expression `expr`: highest first, then lowest host id. */
  order(expr: string): Parsed<readonly number[]> {
    return cached(this.orders, expr, () =>
      parsed(() => {
        const rank = parseRank(expr);
        const value = new Float64Array(this.hosts.length);
        for (const i of this.monitored) value[i] = evaluateRank(rank, numericLookup(this.lookup(i)));
        return [...this.monitored].sort((a, b) => value[b] - value[a] || this.hosts[a].id - this.hosts[b].id);
      }),
    );
  }

  /** CPU (percent) host `i` can still give: MAX_CPU - CPU_USAGE - what this cycle placed there. */
  freeCpu(i: number): number {
    return this.hosts[i].share.maxCpu - this.hosts[i].share.cpuUsage - this.cpuGiven[i];
  }

  /** Memory (KB) host `i` can still give: MAX_MEM - MEM_USAGE - what this cycle placed there. */
  freeMem(i: number): number {
    return this.hosts[i].share.maxMem - this.hosts[i].share.memUsage - this.memGiven[i];
  }

  /** VMs this cycle placed on host `i`. */
  placedOn(i: number): number {
    return this.vmsGiven[i];
  }

  /** Records that host `i` takes a VM needing `need`. */
  place(i: number, need: Capacity): void {
    this.cpuGiven[i] += need.cpu;
    this.memGiven[i] += need.mem;
    this.vmsGiven[i] += 1;
  }
}
