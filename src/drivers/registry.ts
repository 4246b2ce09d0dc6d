import type { DsDriver, ImDriver, TmDriver, VmmDriver } from './types.js';

/** The drivers oned was configured with, by name (VM_MAD, TM_MAD, IM_MAD and DS_MAD names). */
export interface DriverRegistry {
  vmm: Map<string, VmmDriver>;
  tm: Map<string, TmDriver>;
  im: Map<string, ImDriver>;
  ds: Map<string, DsDriver>;
}

/** Looks a driver up, with a message that names what is configured when it is missing. */
export function driverOf<T>(kind: string, map: Map<string, T>, name: string): T {
  const d = map.get(name);
  if (!d) throw new Error(`No ${kind} driver "${name}" is configured (configured: ${[...map.keys()].join(', ') || 'none'}).`);
  return d;
}
