import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { TestDaemon } from '../test/harness/daemon.js';
import type { SchedulerConfig } from '../src/scheduler/config.js';
import type { BenchOptions } from './options.js';

/**
 * The scheduler settings of the benchmark. The scheduler may consider every pending VM (MAX_VM = 0) and
 * dispatch all of them in one cycle; MAX_HOST = 8 lets one cycle place 10,000 VMs on 1,250 hosts while
 * spreading them as evenly as OpenNebula's rig had them (16 per host), where a higher limit would pack each
 * cycle's VMs onto the best-ranked host until it is full. Policy 1 (striping) is oned's default.
 */
export function benchSchedulerConfig(o: BenchOptions): SchedulerConfig {
  return { maxVm: 0, maxDispatch: Math.max(o.vms, o.pending), maxHost: 8, policy: 1 };
}

/** The daemon's settings for the benchmark; logging stays at the default level, as in production. */
function benchConfig(o: BenchOptions): string {
  const s = benchSchedulerConfig(o);
  return `
LISTEN_ADDRESS = "127.0.0.1"
PORT = 0
MONITORING_INTERVAL_HOST = ${o.monitorInterval}
SCHED_MAX_VM = ${s.maxVm}
SCHED_MAX_DISPATCH = ${s.maxDispatch}
SCHED_MAX_HOST = ${s.maxHost}
DEFAULT_SCHED = [ POLICY = ${s.policy} ]
DRIVER_CONCURRENCY = 512
LOG = [ LEVEL = "info" ]
`;
}

/** A daemon configured for the benchmark, not yet started; with `profile`, it writes a CPU profile when stopped. */
export function benchDaemon(o: BenchOptions): TestDaemon {
  const nodeArgs: string[] = [];
  if (o.profile) {
    const dir = resolve(o.profile);
    mkdirSync(dir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  return new TestDaemon('', { baseConfig: benchConfig(o), nodeArgs });
}
