import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';

/** The machine a run was measured on. */
export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  kernel: string;
  date: string;
}

function firstMatch(file: string, re: RegExp): string | undefined {
  try {
    return re.exec(readFileSync(file, 'utf8'))?.[1]?.trim();
  } catch {
    return undefined;
  }
}

/** Describes this machine: usable CPUs (nproc), CPU model, memory, Node.js, kernel, and today's date. */
export function describeMachine(): Machine {
  return {
    cpus: availableParallelism(),
    cpuModel: firstMatch('/proc/cpuinfo', /^model name\s*:\s*(.+)$/m) ?? 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    kernel: firstMatch('/proc/version', /^Linux version (\S+)/) ?? 'unknown',
    date: new Date().toISOString(),
  };
}
