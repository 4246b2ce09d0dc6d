import { eventually, type TestDaemon } from '../test/harness/daemon.js';
import { concurrently } from './concurrently.js';
import { summary } from './percentile.js';
import { benchTemplate } from './vm-template.js';
import { untilAllVms, type VmStates } from './vm-progress.js';

/** VM_STATE numbers a VM waits in before the scheduler places it, and ACTIVE. */
const PENDING = 1;
const HOLD = 2;
const ACTIVE = 3;
/** LCM_STATE RUNNING. */
const RUNNING = 3;

const isRunning = (vm: VmStates) => vm.state === ACTIVE && vm.lcm === RUNNING;
const isPlaced = (vm: VmStates) => vm.state !== PENDING && vm.state !== HOLD;

/** Waiting for VMs gets what is left of the phase's time, and at least this much. */
const MIN_WAIT_MS = 120_000;

/**
 * A template registered once; every VM of the benchmark is instantiated from it. Its two disks name images
 * (non-persistent, so every VM shares them) in a datastore of the dummy drivers, made first.
 */
export async function allocateTemplate(d: TestDaemon): Promise<number> {
  const ds = Number(await d.ok('one.datastore.allocate', 'NAME="bench"\nDS_MAD="dummy"\nTM_MAD="dummy"', -1));
  const image = async (name: string) => {
    const id = Number(await d.ok('one.image.allocate', `NAME="${name}"\nTYPE="DATABLOCK"\nSIZE=1\nFORMAT="raw"`, ds, false));
    await eventually(async () => (/<STATE>1<\/STATE>/.test(String(await d.ok('one.image.info', id))) || undefined), 60_000, `image ${name} READY`);
    return id;
  };
  const images = [await image('ubuntu-22.04'), await image('app-data')] as const;
  return Number(await d.ok('one.template.allocate', benchTemplate('bench-web', images)));
}

/** Up to `count` VMs instantiated from `templateId` by `clients` concurrent clients until `deadline`. */
async function instantiateMany(d: TestDaemon, templateId: number, count: number, clients: number, hold: boolean, deadline: number) {
  const ids: number[] = [];
  const callMs: number[] = [];
  await concurrently(count, clients, async () => {
    const t = performance.now();
    ids.push(Number(await d.ok('one.template.instantiate', templateId, '', hold, '', false)));
    callMs.push(performance.now() - t);
  }, deadline);
  if (ids.length === 0) throw new Error(`no VM was instantiated within the time allowed; raise --setup-minutes`);
  ids.sort((a, b) => a - b);
  return { ids, calls: summary(callMs) };
}

/** From the first one.template.instantiate to every VM RUNNING. */
export interface DeployRun {
  requested: number;
  /** VMs created before the phase's time ran out. */
  created: number;
  /** Until the last instantiate call was answered. */
  instantiateMs: number;
  /** Until the last VM was seen RUNNING. */
  runningMs: number;
  callP50Ms: number;
  callP99Ms: number;
  ids: number[];
}

/** Instantiates `count` VMs (as many as fit in `budgetMs`) and waits until all of them are RUNNING. */
export async function deployVms(d: TestDaemon, templateId: number, count: number, clients: number, budgetMs: number): Promise<DeployRun> {
  const t0 = performance.now();
  const made = await instantiateMany(d, templateId, count, clients, false, t0 + budgetMs);
  const instantiateMs = performance.now() - t0;
  const wait = Math.max(MIN_WAIT_MS, t0 + budgetMs - performance.now());
  const end = await untilAllVms(d, made.ids[0], made.ids[made.ids.length - 1], isRunning, wait);
  return {
    requested: count, created: made.ids.length, instantiateMs, runningMs: end - t0,
    callP50Ms: made.calls.p50, callP99Ms: made.calls.p99, ids: made.ids,
  };
}

/** The daemon's scheduler placing VMs released from HOLD together. */
export interface ReleaseRun {
  requested: number;
  /** VMs held and released before the phase's time ran out. */
  released: number;
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
 * Holding and releasing share `budgetMs`: what is held by half of it is released.
 */
export async function releaseVms(d: TestDaemon, templateId: number, count: number, clients: number, budgetMs: number): Promise<ReleaseRun> {
  const start = performance.now();
  const held = await instantiateMany(d, templateId, count, clients, true, start + budgetMs / 2);
  const t0 = performance.now();
  const released = await concurrently(held.ids.length, clients, async (i) => {
    await d.ok('one.vm.action', 'release', held.ids[i]);
  }, start + budgetMs);
  const releaseMs = performance.now() - t0;
  const ids = held.ids.slice(0, released);
  const wait = () => Math.max(MIN_WAIT_MS, start + budgetMs - performance.now());
  const placed = await untilAllVms(d, ids[0], ids[ids.length - 1], isPlaced, wait(), 100);
  const running = await untilAllVms(d, ids[0], ids[ids.length - 1], isRunning, wait());
  return { requested: count, released, releaseMs, placedMs: placed - t0, runningMs: running - t0 };
}
