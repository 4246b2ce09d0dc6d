import type { HostSetup } from './hosts.js';
import type { DeployRun, ReleaseRun } from './instantiate.js';
import type { Machine } from './machine.js';
import type { ProcessMemory } from './memory.js';
import { MIX, type MixMethod } from './mix.js';
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
  unloaded: Record<MixMethod, number>;
  rates: RateRun[];
  memoryAfterLoad: ProcessMemory;
  release: ReleaseRun;
  plan: PlanTiming;
  memoryAtEnd: ProcessMemory;
  totalSeconds: number;
}

/** Milliseconds with sensible precision; a failed request makes a percentile "failed". */
const ms = (v: number) => (v === Infinity ? 'failed' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const s = (msValue: number) => (msValue / 1000).toFixed(1);
const n = (v: number) => Math.round(v).toLocaleString('en-US');

/** OpenNebula's time over ours, "12.3x", marked when it misses the target. */
function ratio(ours: number, theirsSeconds: number | undefined): string {
  if (theirsSeconds === undefined) return 'n/a';
  if (ours === Infinity) return `0 (below ${TARGET_FACTOR}x)`;
  const r = (theirsSeconds * 1000) / ours;
  const text = r >= 10 ? r.toFixed(0) : r >= 0.1 ? r.toFixed(1) : r.toFixed(3);
  return `${text}x${r >= TARGET_FACTOR ? '' : ` (below ${TARGET_FACTOR}x)`}`;
}

function latencyTable(r: BenchResults): string[] {
  const lines = [
    '| call (share) | alone p50 (ms) | rate (req/s) | answered / failed | p50 (ms) | p99 (ms) | max (ms) | OpenNebula 6.10 (ms) | OpenNebula / our p50 | OpenNebula / our p99 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { method, share } of MIX) {
    for (const run of r.rates) {
      const m = run.methods.find((x) => x.method === method)!;
      const theirs = OPENNEBULA_6_10[method][run.rate];
      lines.push(
        `| ${method} (${share * 100}%) | ${ms(r.unloaded[method])} | ${run.rate} | ${m.count - m.failed} / ${m.failed} | ` +
          `${ms(m.p50)} | ${ms(m.p99)} | ${ms(m.max)} | ${theirs === undefined ? 'n/a' : n(theirs * 1000)} | ${ratio(m.p50, theirs)} | ${ratio(m.p99, theirs)} |`,
      );
    }
  }
  return lines;
}

function shortfalls(r: BenchResults): string[] {
  const out: string[] = [];
  if (r.deploy.created < r.deploy.requested) {
    out.push(`**Only ${n(r.deploy.created)} of ${n(r.deploy.requested)} VMs were instantiated within ${r.options.setupMinutes} minutes; the latency phase ran on ${n(r.deploy.created)} VMs.**`);
  }
  if (r.release.released < r.release.requested) {
    out.push(`**Only ${n(r.release.released)} of ${n(r.release.requested)} VMs were held and released within ${r.options.setupMinutes} minutes.**`);
  }
  for (const run of r.rates.filter((x) => x.failed > 0)) {
    out.push(`At ${run.rate} requests/s ${run.failed} of ${run.sent} requests failed or were given up after 60 s (${run.errors.join('; ')}).`);
  }
  return out;
}

/** The run as Markdown: machine and date, latency table, throughput, scheduler and memory. */
export function renderReport(r: BenchResults): string {
  const { machine: m, options: o, deploy, release, plan } = r;
  const vms = deploy.created;
  return [
    `## Nimbus benchmark, ${m.date}`,
    '',
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB memory, Linux ${m.kernel}, Node.js ${m.node}; ` +
      (o.pin ? 'the daemon runs on CPU 0 and the benchmark client on CPU 1 (--pin).' : 'the daemon and the benchmark client share it.'),
    `Workload: ${n(o.hosts)} dummy hosts, ${n(vms)} VMs from one template of ${n(r.templateChars)} characters, ` +
      `MONITORING_INTERVAL_HOST ${o.monitorInterval} s, ${o.seconds} s per rate, SQLite store. Whole run: ${n(r.totalSeconds)} s.`,
    ...shortfalls(r).map((line) => `\n${line}`),
    '',
    '### API latency, open loop, mix 30/20/30/20 % (from the planned send to the last byte of the answer)',
    '',
    ...latencyTable(r),
    '',
    `"alone": the call made one at a time on the otherwise idle daemon. one.vmpool.info answer: ${n(r.rates[0]?.vmPoolBytes ?? 0)} bytes. ` +
      `Largest client send delay: ${ms(Math.max(...r.rates.map((x) => x.maxSendLagMs)))} ms. ` +
      `Time for the daemon to answer promptly again after each step: ${r.rates.map((x) => `${s(x.settleMs)} s`).join(', ')}.`,
    '',
    '### Setup, scheduler and memory',
    '',
    '| measure | value |',
    '| --- | ---: |',
    `| ${n(o.hosts)} one.host.allocate calls (${o.clients} clients) | ${s(r.hosts.allocateMs)} s |`,
    `| first one.host.allocate to all hosts MONITORED | ${s(r.hosts.monitoredMs)} s |`,
    `| ${n(vms)} one.template.instantiate calls (${o.clients} clients) | ${s(deploy.instantiateMs)} s, p50 ${ms(deploy.callP50Ms)} ms, p99 ${ms(deploy.callP99Ms)} ms |`,
    `| first instantiate to all ${n(vms)} RUNNING | ${s(deploy.runningMs)} s = **${n((vms * 1000) / deploy.runningMs)} VMs/s** |`,
    `| daemon RSS after the latency phase (VmRSS / VmHWM) | ${n(r.memoryAfterLoad.rssMb)} MB / ${n(r.memoryAfterLoad.peakRssMb)} MB |`,
    `| ${n(release.released)} held VMs released (${o.clients} clients) | ${s(release.releaseMs)} s |`,
    `| first release to none PENDING (daemon scheduler) | **${s(release.placedMs)} s** (${s(release.placedMs - release.releaseMs)} s after the last release) |`,
    `| first release to all ${n(release.released)} RUNNING | ${s(release.runningMs)} s |`,
    `| planPlacements() in process, ${n(plan.vms)} pending VMs on ${n(plan.hosts)} hosts (${n(plan.placed)} placed): first call / warm median | **${ms(plan.firstMs)} ms / ${ms(plan.warmMs)} ms** |`,
    `| daemon RSS at the end, ${n(vms + release.released)} VMs (VmRSS / VmHWM) | ${n(r.memoryAtEnd.rssMb)} MB / ${n(r.memoryAtEnd.peakRssMb)} MB |`,
    '',
  ].join('\n');
}
