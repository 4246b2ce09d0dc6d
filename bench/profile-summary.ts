import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from '../test/harness/daemon.js';

/** The parts of a V8 .cpuprofile (node --cpu-prof) this summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** One row of the summary: a function (or file) and the share of samples spent in it. */
export interface HotSpot {
  name: string;
  selfMs: number;
  selfPct: number;
  totalMs: number;
  totalPct: number;
}

function where(url: string): string {
  if (!url) return '(native)';
  const path = url.replace(/^file:\/\//, '');
  return path.startsWith(ROOT) ? relative(ROOT, path) : path.replace(/^.*node_modules\//, '');
}

/**
 * The functions with the most time, self (in the function's own code) and total (with what it calls,
 * counted once per sample however deep the recursion), keyed by `key` of each frame.
 */
export function hotSpots(profile: CpuProfile, key: (fn: string, file: string, line: number) => string, top: number): HotSpot[] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const keyOf = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return key(f.functionName || '(anonymous)', where(f.url), f.lineNumber + 1);
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    all += dt;
    self.set(keyOf(id), (self.get(keyOf(id)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) seen.add(keyOf(n));
    for (const k of seen) total.set(k, (total.get(k) ?? 0) + dt);
  });
  const rows = [...total.keys()].map((name) => {
    const s = self.get(name) ?? 0;
    const t = total.get(name) ?? 0;
    return { name, selfMs: s, selfPct: (100 * s) / all, totalMs: t, totalPct: (100 * t) / all };
  });
  return rows.sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
}

/** `node dist/bench/profile-summary.js FILE.cpuprofile [--by-file] [--by-total] [N]`: the hot spots as a table. */
function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  if (!file) throw new Error('give a .cpuprofile file written by node --cpu-prof (npm run bench -- --profile DIR writes them)');
  const top = Number(args.find((a) => /^\d+$/.test(a)) ?? 30);
  const byFile = args.includes('--by-file');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const rows = hotSpots(profile, (fn, path, line) => (byFile ? path : `${fn} ${path}:${line}`), 100_000);
  if (args.includes('--by-total')) rows.sort((a, b) => b.totalMs - a.totalMs);
  console.log('| self ms | self % | total % | function |\n| ---: | ---: | ---: | --- |');
  for (const r of rows.slice(0, top)) console.log(`| ${r.selfMs.toFixed(0)} | ${r.selfPct.toFixed(1)} | ${r.totalPct.toFixed(1)} | ${r.name} |`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) main();
