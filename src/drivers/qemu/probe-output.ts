import { DriverError } from '../types.js';

/** One QEMU process the host probe found. */
export interface ProbedProcess {
  deployId: string;
  pid: number;
  /** User + system CPU time, in clock ticks. */
  ticks: number;
  /** Resident memory, KB. */
  rss: number;
  netrx: number;
  nettx: number;
}

/** What remotes/qemu/probe.sh printed, read. */
export interface ProbeOutput {
  /** Host attributes (HYPERVISOR, ARCH, MODELNAME, CPUSPEED, HOSTNAME). */
  attributes: Record<string, string>;
  totalCpu: number;
  usedCpu: number;
  totalMem: number;
  usedMem: number;
  freeMem: number;
  netrx: number;
  nettx: number;
  dsTotalMb: number;
  dsUsedMb: number;
  dsFreeMb: number;
  clockTicks: number;
  /** The host's clock, epoch seconds. */
  now: number;
  processes: ProbedProcess[];
}

const ATTRIBUTES = ['HYPERVISOR', 'ARCH', 'MODELNAME', 'CPUSPEED', 'HOSTNAME'];
const NUMBERS = {
  totalCpu: 'TOTALCPU', usedCpu: 'USEDCPU', totalMem: 'TOTALMEMORY', usedMem: 'USEDMEMORY', freeMem: 'FREEMEMORY',
  netrx: 'NETRX', nettx: 'NETTX', dsTotalMb: 'DS_TOTAL_MB', dsUsedMb: 'DS_USED_MB', dsFreeMb: 'DS_FREE_MB',
  clockTicks: 'CLK_TCK', now: 'NOW',
} as const;

function fields(line: string): Record<string, string> {
  return Object.fromEntries(line.split(' ').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

function int(value: string | undefined, what: string, line: string): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n)) throw new DriverError(`the host probe printed no number for ${what} in "${line}"`);
  return n;
}

/** Reads the probe's output; a missing or malformed figure is an error that quotes the line. */
export function parseProbeOutput(text: string): ProbeOutput {
  const single: Record<string, string> = {};
  const processes: ProbedProcess[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    if (line.startsWith('VM=')) {
      const f = fields(line);
      processes.push({
        deployId: f.VM!, pid: int(f.PID, 'PID', line), ticks: int(f.TICKS, 'TICKS', line), rss: int(f.RSS, 'RSS', line),
        netrx: int(f.NETRX, 'NETRX', line), nettx: int(f.NETTX, 'NETTX', line),
      });
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) single[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const numbers = Object.fromEntries(Object.entries(NUMBERS).map(([key, name]) => [key, int(single[name], name, `${name}=${single[name] ?? ''}`)]));
  const attributes = Object.fromEntries(ATTRIBUTES.filter((a) => single[a] !== undefined).map((a) => [a, single[a]!]));
  return { ...(numbers as Omit<ProbeOutput, 'attributes' | 'processes'>), attributes, processes };
}

/** Percent of one core a process used between two probes. */
export function cpuPercent(before: { ticks: number; at: number }, after: { ticks: number; at: number }, clockTicks: number): number {
  const seconds = after.at - before.at;
  if (seconds <= 0 || after.ticks < before.ticks) return 0;
  return Math.round(((after.ticks - before.ticks) / clockTicks / seconds) * 100);
}
