import { readFileSync } from 'node:fs';

/** A process's memory from /proc/<pid>/status, in MB: resident now (VmRSS) and at its peak (VmHWM). */
export interface ProcessMemory {
  rssMb: number;
  peakRssMb: number;
}

/** Reads VmRSS and VmHWM of process `pid` (Linux). */
export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!m) throw new Error(`/proc/${pid}/status has no ${field}; the benchmark reads memory the Linux way`);
    return Number(m[1]);
  };
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}
