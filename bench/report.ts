import type { HostSetup } from './hosts.js';
import type { DeployRun, ReleaseRun } from './instantiate.js';
import type { Machine } from './machine.js';
import type { ProcessMemory } from './memory.js';
import type { BenchOptions } from './options.js';
import { OPENNEBULA_6_10, TARGET_FACTOR } from './opennebula-figures.js';
import type { PlanTiming } from './plan-timing.js';
import type { RateRun } from './open-loop.js';

/** Everything one run measured. */
export interface BenchResults {
  options: BenchOptions;
  machine: Machine;
  templateChars: number;
  hosts: HostSetup;
  deploy: DeployRun;
  rates: RateRun[];
  memoryAfterLoad: ProcessMemory;
  release: ReleaseRun;
  plan: PlanTiming;
  memoryAtEnd: ProcessMemory;
  totalSeconds: number;
}

const ms = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) : 'n/a');
const s = (msValue: number) => (msValue / 1000).toFixed(1);
const n = (v: number) => Math.round(v).toLocaleString('en-US');

/** OpenNebula's time over ours, "12.3x", and whether it reaches the target. */
function ratio(ours: number, theirsSeconds: number | undefined): string {
  if (theirsSeconds === undefined || !Number.isFinite(ours) || ours <= 0) return 'n/a';
  const r = (theirsSeconds * 1000) / ours;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}x${r >= TARGET_FACTOR ? '' : ' (below target)'}`;
}

function latencyTable(rates: RateRun[]): string[] {
  const lines = [
    '| call (share) | rate (req/s) | answers | p50 (ms) | p99 (ms) | max (ms) | OpenNebula 6.10 (ms) | OpenNebula / our p99 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const shares: Record<string, string> = { 'one.vm.info': '30%', 'one.vmpool.info': '20%', 'one.host.info': '30%', 'one.hostpool.info': '20%' };
  for (const method of Object.keys(OPENNEBULA_6_10) as (keyof typeof OPENNEBULA_6_10)[]) {
    for (const run of rates) {
      const m = run.methods.find((x) => x.method === method)!;
      const theirs = OPENNEBULA_6_10[method][run.rate];
      lines.push(`| ${method} (${shares[method]}) | ${run.rate} | ${m.count} | ${ms(m.p50)} | ${ms(m.p99)} | ${ms(m.max)} | ${theirs === undefined ? 'n/a' : n(theirs * 1000)} | ${ratio(m.p99, theirs)} |`);
    }
  }
  return lines;
}

/** The run as Markdown: machine and date, latency table, throughput, scheduler and memory. */
export function renderReport(r: BenchResults): string {
  const { machine: m, options: o, deploy, release, plan } = r;
  const failures = r.rates.filter((x) => x.failed > 0);
  return [
    `## Nimbus benchmark, ${m.date}`,
    '',
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB memory, Linux ${m.kernel}, Node.js ${m.node}; ` +
      'the daemon and the benchmark client share it.',
    `Workload: ${n(o.hosts)} dummy hosts, ${n(o.vms)} VMs from one template of ${n(r.templateChars)} characters, ` +
      `MONITORING_INTERVAL_HOST ${o.monitorInterval} s, ${o.seconds} s per rate, SQLite store. Whole run: ${n(r.totalSeconds)} s.`,
    '',
    '### API latency, open loop, mix 30/20/30/20 % (from the planned send to the last byte of the answer)',
    '',
    ...latencyTable(r.rates),
    '',
    `one.vmpool.info answer: ${n(r.rates[0]?.vmPoolChars ?? 0)} characters. Largest client send delay: ${ms(Math.max(...r.rates.map((x) => x.maxSendLagMs)))} ms.` +
      (failures.length ? ` Failed requests: ${failures.map((x) => `${x.failed} at ${x.rate} req/s (${x.errors.join('; ')})`).join(', ')}.` : ' No request failed.'),
    '',
    '### Setup, scheduler and memory',
    '',
    '| measure | value |',
    '| --- | ---: |',
    `| ${n(o.hosts)} one.host.allocate calls (${o.clients} clients) | ${s(r.hosts.allocateMs)} s |`,
    `| first monitoring cycle over all hosts (daemon start to all MONITORED) | ${s(r.hosts.firstMonitorMs)} s |`,
    `| ${n(deploy.count)} one.template.instantiate calls (${o.clients} clients) | ${s(deploy.instantiateMs)} s, p50 ${ms(deploy.callP50Ms)} ms, p99 ${ms(deploy.callP99Ms)} ms |`,
    `| first instantiate to all ${n(deploy.count)} RUNNING | ${s(deploy.runningMs)} s = **${n((deploy.count * 1000) / deploy.runningMs)} VMs/s** |`,
    `| daemon RSS after the latency phase (VmRSS / VmHWM) | ${n(r.memoryAfterLoad.rssMb)} MB / ${n(r.memoryAfterLoad.peakRssMb)} MB |`,
    `| ${n(release.count)} held VMs released (${o.clients} clients) | ${s(release.releaseMs)} s |`,
    `| first release to none PENDING (daemon scheduler) | **${s(release.placedMs)} s** |`,
    `| first release to all ${n(release.count)} RUNNING | ${s(release.runningMs)} s |`,
    `| planPlacements() in process, ${n(plan.vms)} pending VMs on ${n(plan.hosts)} hosts (${n(plan.placed)} placed): first call / warm median | **${ms(plan.firstMs)} ms / ${ms(plan.warmMs)} ms** |`,
    `| daemon RSS at the end, ${n(o.vms + o.pending)} VMs (VmRSS / VmHWM) | ${n(r.memoryAtEnd.rssMb)} MB / ${n(r.memoryAtEnd.peakRssMb)} MB |`,
    '',
  ].join('\n');
}
