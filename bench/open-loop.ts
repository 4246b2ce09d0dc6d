import type { TestDaemon } from '../test/harness/daemon.js';
import { drawRequest, MIX, seededRandom, type MixMethod, type MixTargets } from './mix.js';
import { summary } from './percentile.js';
import { postCall } from './rpc.js';

/** A request still unanswered after this long counts as failed. */
const TIMEOUT_MS = 60_000;

/** Latencies of one method at one rate, in milliseconds. */
export interface MethodLatency {
  method: MixMethod;
  count: number;
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
  /** Mean size of a one.vmpool.info answer, in characters. */
  vmPoolChars: number;
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
  const errors: string[] = [];
  const poolSizes: number[] = [];
  let failed = 0;
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
          failed++;
          if (errors.length < 5) errors.push(outcome.error ?? method);
          return;
        }
        latencies.get(method)!.push(performance.now() - planned);
        if (method === 'one.vmpool.info') poolSizes.push(outcome.chars);
      }),
    );
  }
  await Promise.all(inFlight);
  return {
    rate, seconds, sent: count, failed, errors, maxSendLagMs,
    methods: MIX.map((m) => ({ method: m.method, ...summary(latencies.get(m.method)!) })),
    vmPoolChars: poolSizes.length ? poolSizes.reduce((a, b) => a + b, 0) / poolSizes.length : 0,
  };
}
