import type { TestDaemon } from '../test/harness/daemon.js';
import { concurrently } from './concurrently.js';
import { summary } from './percentile.js';
import { benchTemplate } from './vm-template.js';
import { untilAllVms } from './vm-progress.js';

/** LCM_STATE RUNNING within STATE ACTIVE. */
const ACTIVE = 3;
const RUNNING = 3;
/** VM_STATE numbers a VM waits in before the scheduler places it. */
const PENDING = 1;
const HOLD = 2;

/** A template registered once; every VM of the benchmark is instantiated from it. */
export async function allocateTemplate(d: TestDaemon): Promise<number> {
  return Number(await d.ok('one.template.allocate', benchTemplate('bench-web')));
}

/** `count` VMs instantiated from `templateId` by `clients` concurrent clients, with each call's time. */
async function instantiateMany(d: TestDaemon, templateId: number, count: number, clients: number, hold: boolean) {
  const ids: number[] = [];
  const callMs: number[] = [];
  await concurrently(count, clients, async () => {
    const t = performance.now();
    ids.push(Number(await d.ok('one.template.instantiate', templateId, '', hold, '', false)));
    callMs.push(performance.now() - t);
  });
  ids.sort((a, b) => a - b);
  return { ids, first: ids[0], last: ids[ids.length - 1], calls: summary(callMs) };
}

/** From the first one.template.instantiate to every VM RUNNING. */
export interface DeployRun {
  count: number;
  /** Until the last instantiate call was answered. */
  instantiateMs: number;
  /** Until the last VM was seen RUNNING. */
  runningMs: number;
  callP50Ms: number;
  callP99Ms: number;
  firstId: number;
  lastId: number;
}

/** Instantiates `count` VMs and waits until all of them are RUNNING. */
export async function deployVms(d: TestDaemon, templateId: number, count: number, clients: number): Promise<DeployRun> {
  const t0 = performance.now();
  const made = await instantiateMany(d, templateId, count, clients, false);
  const instantiateMs = performance.now() - t0;
  const end = await untilAllVms(d, made.first, made.last, (vm) => vm.state === ACTIVE && vm.lcm === RUNNING, 900_000);
  return {
    count, instantiateMs, runningMs: end - t0, callP50Ms: made.calls.p50, callP99Ms: made.calls.p99,
    firstId: made.first, lastId: made.last,
  };
}

/** The daemon's scheduler placing VMs released from HOLD together. */
export interface ReleaseRun {
  count: number;
  /** Until the last release call was answered. */
  releaseMs: number;
  /** From the first release until no VM was PENDING any more. */
  placedMs: number;
  /** Until all of them were RUNNING. */
  runningMs: number;
}

/**
 * Instantiates `count` VMs on hold, releases them all as fast as `clients` can, and times the scheduler
 * taking them out of PENDING. A release wakes the scheduler, so it starts placing before the last release.
 */
export async function releaseVms(d: TestDaemon, templateId: number, count: number, clients: number): Promise<ReleaseRun> {
  const held = await instantiateMany(d, templateId, count, clients, true);
  const t0 = performance.now();
  await concurrently(count, clients, async (i) => {
    await d.ok('one.vm.action', 'release', held.ids[i]);
  });
  const releaseMs = performance.now() - t0;
  const placed = await untilAllVms(d, held.first, held.last, (vm) => vm.state !== PENDING && vm.state !== HOLD, 900_000, 100);
  const running = await untilAllVms(d, held.first, held.last, (vm) => vm.state === ACTIVE && vm.lcm === RUNNING, 900_000);
  return { count, releaseMs, placedMs: placed - t0, runningMs: running - t0 };
}
