import type { XmlRpcValue } from '../src/api/xmlrpc/values.js';

/** The four calls of OpenNebula's published test, with their shares of the load. */
export const MIX = [
  { method: 'one.vm.info', share: 0.3 },
  { method: 'one.vmpool.info', share: 0.2 },
  { method: 'one.host.info', share: 0.3 },
  { method: 'one.hostpool.info', share: 0.2 },
] as const;

export type MixMethod = (typeof MIX)[number]['method'];

/** The objects requests pick from. */
export interface MixTargets {
  vmIds: readonly number[];
  hostIds: readonly number[];
}

/** Each call's parameters after the session: a random VM or host, the whole VM pool, the host pool. */
const PARAMS: Record<MixMethod, (t: MixTargets, random: () => number) => XmlRpcValue[]> = {
  'one.vm.info': (t, random) => [pick(t.vmIds, random)],
  // -2: every user's VMs; -1, -1: no id range; -1: every state but DONE.
  'one.vmpool.info': () => [-2, -1, -1, -1],
  'one.host.info': (t, random) => [pick(t.hostIds, random)],
  'one.hostpool.info': () => [],
};

function pick(ids: readonly number[], random: () => number): number {
  return ids[Math.floor(random() * ids.length)];
}

/** The parameters (after the session) of one request of `method`, random objects drawn with `random`. */
export function paramsFor(method: MixMethod, targets: MixTargets, random: () => number): XmlRpcValue[] {
  return PARAMS[method](targets, random);
}

/** One request of the mix, drawn with `random` (uniform in [0, 1)). */
export function drawRequest(targets: MixTargets, random: () => number): { method: MixMethod; params: XmlRpcValue[] } {
  let r = random();
  const entry = MIX.find((m) => (r -= m.share) < 0) ?? MIX[MIX.length - 1];
  return { method: entry.method, params: paramsFor(entry.method, targets, random) };
}

/** A seeded generator (mulberry32), so that every run sends the same sequence of requests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
