import type { TestDaemon } from '../test/harness/daemon.js';
import { MIX, paramsFor, seededRandom, type MixMethod, type MixTargets } from './mix.js';
import { summary } from './percentile.js';
import { postCall } from './rpc.js';

/** Calls of each method made one after the other: fewer of the pool listing, which is the slow one. */
const CALLS: Record<MixMethod, number> = { 'one.vm.info': 20, 'one.vmpool.info': 5, 'one.host.info': 20, 'one.hostpool.info': 10 };

/** Median latency of each method called alone, one call at a time (closed loop), in milliseconds. */
export async function unloadedLatency(d: TestDaemon, targets: MixTargets): Promise<Record<MixMethod, number>> {
  const random = seededRandom(1);
  const out = {} as Record<MixMethod, number>;
  for (const { method } of MIX) {
    const times: number[] = [];
    for (let i = 0; i < CALLS[method]; i++) {
      const params = paramsFor(method, targets, random);
      const t = performance.now();
      const outcome = await postCall(d.endpoint, d.session, method, params, 120_000);
      if (!outcome.ok) throw new Error(`${method} failed on an idle daemon: ${outcome.error}`);
      times.push(performance.now() - t);
    }
    out[method] = summary(times).p50;
  }
  return out;
}
