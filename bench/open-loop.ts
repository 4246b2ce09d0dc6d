import type { TestDaemon } from '../test/harness/daemon.js';
import { drawRequest, MIX, seededRandom, type MixMethod, type MixTargets } from './mix.js';
import { summary } from './percentile.js';
import { postCall } from './rpc.js';

/** A request still unanswered after this long counts as failed. */
const TIMEOUT_MS = 60_000;

/** Latencies of one method, in milliseconds; a failed request counts as infinitely slow. */
export interface MethodLatency {
  method: MixMethod;
  count: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
}

/** One step of the latency phase. */
export interface RateRun {
  rate: number;
  seconds: number;
  sent: number;
  failed: number;
  /** The first few failures, for the report. */
  errors: string[];
  /** How late the latest request left, in ms: the client's own delay, counted in the latencies. */
  maxSendLagMs: number;
  methods: MethodLatency[];
  /** Mean size of a one.vmpool.info answer, in bytes. */
  vmPoolBytes: number;
  /** How long the daemon took to answer promptly again after the step (requests given up still run there). */
  settleMs: number;
}

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - performance.now())));

/**
 * Sends `rate` requests per second of the mix for `seconds`, open loop: request i leaves at
 * start + i / rate whether or not earlier ones were answered, and its latency runs from that planned
 * moment until its whole answer is read. Bounded: rate x seconds requests, each given up after 60 s.
 */
export async function runAtRate(d: TestDaemon, targets: MixTargets, rate: number, seconds: number): Promise<RateRun> {
  const count = Math.round(rate * seconds);
  const random = seededRandom(rate);
  const session = d.session;
  const latencies = new Map<MixMethod, number[]>(MIX.map((m) => [m.method, []]));
  const failures = new Map<MixMethod, number>(MIX.map((m) => [m.method, 0]));
  const errors: string[] = [];
  const poolSizes: number[] = [];
  let maxSendLagMs = 0;
  const inFlight: Promise<void>[] = [];
  const start = performance.now() + 100;
  for (let i = 0; i < count; i++) {
    const planned = start + (i * 1000) / rate;
    await sleepUntil(planned);
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - planned);
    const { method, params } = drawRequest(targets, random);
    inFlight.push(
      postCall(d.endpoint, session, method, params, TIMEOUT_MS).then((outcome) => {
        if (!outcome.ok) {
          failures.set(method, failures.get(method)! + 1);
          if (errors.length < 3) errors.push(outcome.error ?? method);
          latencies.get(method)!.push(Infinity);
          return;
        }
        latencies.get(method)!.push(performance.now() - planned);
        if (method === 'one.vmpool.info') poolSizes.push(outcome.bytes);
      }),
    );
  }
  await Promise.all(inFlight);
  const settleMs = await settle(d);
  const failed = [...failures.values()].reduce((a, b) => a + b, 0);
  return {
    rate, seconds, sent: count, failed, errors, maxSendLagMs, settleMs,
    methods: MIX.map((m) => ({ method: m.method, failed: failures.get(m.method)!, ...summary(latencies.get(m.method)!) })),
    vmPoolBytes: poolSizes.length ? poolSizes.reduce((a, b) => a + b, 0) / poolSizes.length : 0,
  };
}

/**
 * Waits until one.host.info answers within 100 ms again (at most 5 minutes), so that requests a step gave
 * up on, which the daemon still works through, do not load the next step. Returns the time waited.
 */
async function settle(d: TestDaemon): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < 300_000) {
    const t = performance.now();
    const outcome = await postCall(d.endpoint, d.session, 'one.host.info', [0], TIMEOUT_MS);
    if (outcome.ok && performance.now() - t < 100) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return performance.now() - t0;
}
