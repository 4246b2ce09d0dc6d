import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host } from '../domain/host.js';
import { DEFAULT_PERMISSIONS } from '../domain/permissions.js';
import type { Vm } from '../domain/vm.js';
import type { Template, TemplateVector } from '../template/types.js';
import type { VmContext } from './types.js';

// Shared fixtures of the drivers' tests.

/** A template from plain attributes, names upper-cased as the parser leaves them; objects become vectors. */
export function template(attrs: Record<string, string | TemplateVector>): Template {
  const upper = (v: TemplateVector) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toUpperCase(), x]));
  return Object.entries(attrs).map(([name, value]) => ({
    name: name.toUpperCase(),
    value: typeof value === 'string' ? value : upper(value),
  }));
}

/** A host with just what the dummy drivers read. */
export function host(id: number, attrs: Record<string, string | TemplateVector> = {}): Host {
  return {
    id, name: `host${id}`, state: 2, prevState: 2, imMad: 'dummy', vmMad: 'dummy', clusterId: 0, cluster: 'default',
    share: { memUsage: 0, cpuUsage: 0, totalMem: 0, totalCpu: 0, maxMem: 0, maxCpu: 0, runningVms: 0 },
    vms: [], template: template(attrs), monitoring: null, lastMonAt: 0,
  };
}

/** A VM with CPU 1 and MEMORY 512 unless `attrs` says otherwise, and the given user template. */
export function vm(id: number, user: Record<string, string | TemplateVector> = {}, attrs: Record<string, string> = {}): Vm {
  return {
    id, uid: 0, gid: 0, uname: 'oneadmin', gname: 'oneadmin', name: `vm-${id}`,
    permissions: { ...DEFAULT_PERMISSIONS },
    lastPoll: 0, state: 3, lcmState: 3, prevState: 3, prevLcmState: 3, resched: 0, stime: 0, etime: 0,
    deployId: '', lock: null, stateTime: 0, monitoring: {}, template: template({ CPU: '1', MEMORY: '512', ...attrs }),
    userTemplate: template(user), history: [],
  };
}

/** A driver context for `v` on `h`. */
export function ctx(v: Vm, h: Host, dataDir: string, sourceHost?: Host): VmContext {
  return { vm: v, host: h, dataDir, ...(sourceHost ? { sourceHost } : {}) };
}

/** A sleep that returns at once and records what it was asked to wait. */
export function fakeSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

/** 'pending' if `p` has not settled after a few milliseconds, else how it settled. */
export async function settlement(p: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  const timer = new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 20));
  return Promise.race([p.then(() => 'resolved' as const, () => 'rejected' as const), timer]);
}

/** A fresh data directory and its removal. */
export async function tempDataDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'nimbus-dummy-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
