import { HostState, type Host } from '../src/domain/host.js';
import { newVm } from '../src/domain/vm-new.js';
import type { Vm } from '../src/domain/vm.js';
import type { SchedulerConfig } from '../src/scheduler/config.js';
import { planPlacements } from '../src/scheduler/place.js';
import { parseTemplate } from '../src/template/parse.js';
import { benchTemplate } from './vm-template.js';

const GB_KB = 1024 * 1024;
const OWNER = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };

/** A MONITORED dummy host (8 cores, 16 GB) already running `vmsEach` VMs of the benchmark's size. */
function busyHost(id: number, vmsEach: number, firstVm: number): Host {
  const vms = Array.from({ length: vmsEach }, (_, i) => firstVm + i);
  return {
    id, name: `bench-host-${id}`, state: HostState.MONITORED, prevState: HostState.MONITORED, imMad: 'dummy', vmMad: 'dummy',
    clusterId: 0, cluster: 'default',
    share: { cpuUsage: vmsEach * 10, memUsage: vmsEach * 128 * 1024, totalCpu: 800, totalMem: 16 * GB_KB, maxCpu: 800, maxMem: 16 * GB_KB, runningVms: vmsEach },
    vms,
    template: [
      { name: 'HYPERVISOR', value: 'dummy' }, { name: 'ARCH', value: 'x86_64' }, { name: 'MODELNAME', value: 'Dummy CPU' },
      { name: 'CPUSPEED', value: '2000' }, { name: 'TOTALCPU', value: '800' }, { name: 'TOTALMEMORY', value: String(16 * GB_KB) },
    ],
    monitoring: { timestamp: 1, freeCpu: 800 - vmsEach * 5, usedCpu: vmsEach * 5, freeMemory: 16 * GB_KB - vmsEach * 131072, usedMemory: vmsEach * 131072, netrx: 0, nettx: 0 },
    lastMonAt: 1,
  };
}

/** Timings of planPlacements over one cycle's worth of pending VMs, in milliseconds. */
export interface PlanTiming {
  vms: number;
  hosts: number;
  placed: number;
  firstMs: number;
  /** Median of the calls after the first, once the code is warm. */
  warmMs: number;
}

/**
 * Times planPlacements in this process for `pending` PENDING VMs of the benchmark template on `hosts`
 * hosts already running `running` VMs between them, with the daemon's scheduler settings.
 */
export function timePlanPlacements(pending: number, hosts: number, running: number, config: SchedulerConfig, repeats = 5): PlanTiming {
  const perHost = Math.floor(running / hosts);
  const hostList = Array.from({ length: hosts }, (_, i) => busyHost(i, perHost, i * perHost));
  const template = parseTemplate(benchTemplate('bench-web'));
  const vms: Vm[] = Array.from({ length: pending }, (_, i) =>
    newVm({ id: running + i, template, owner: OWNER, hold: false, now: 1 }),
  );
  const times: number[] = [];
  let placed = 0;
  for (let r = 0; r <= repeats; r++) {
    const t = performance.now();
    placed = planPlacements({ vms, hosts: hostList, config }).placements.length;
    times.push(performance.now() - t);
  }
  const warm = times.slice(1).sort((a, b) => a - b);
  return { vms: pending, hosts, placed, firstMs: times[0], warmMs: warm[Math.floor(warm.length / 2)] };
}
