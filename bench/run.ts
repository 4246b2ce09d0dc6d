import { writeFileSync } from 'node:fs';
import { benchDaemon, benchSchedulerConfig } from './bench-daemon.js';
import { setUpHosts } from './hosts.js';
import { allocateTemplate, deployVms, releaseVms } from './instantiate.js';
import { describeMachine } from './machine.js';
import { processMemory } from './memory.js';
import { runAtRate, type RateRun } from './open-loop.js';
import { readOptions } from './options.js';
import { pinProcesses } from './pin.js';
import { timePlanPlacements } from './plan-timing.js';
import { realHostsBench } from './real-hosts.js';
import { renderReport } from './report.js';
import { unloadedLatency } from './unloaded.js';
import { benchTemplate } from './vm-template.js';

// Progress goes to standard error as each phase ends, so that an interrupted run still leaves its numbers.
const log = (text: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}`);
const sec = (ms: number) => (ms / 1000).toFixed(1);

/** The benchmark: hosts, VMs, the latency steps, the scheduler, memory; then the Markdown report. */
async function main(): Promise<void> {
  const o = readOptions(process.argv);
  if (o.realGuests) return realHostsBench(o);
  const started = performance.now();
  const machine = describeMachine();
  const d = benchDaemon(o);
  // Interrupted (Ctrl-C, kill), the benchmark takes its daemon and data with it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`stopped by ${signal}; the lines above are what was measured`);
      void d.dispose().finally(() => process.exit(130));
    });
  }
  try {
    await d.start();
    if (o.pin) pinProcesses(d.pid!);
    log(`daemon started on ${d.endpoint}; allocating ${o.hosts} hosts`);
    const hosts = await setUpHosts(d, o.hosts, o.clients);
    log(`hosts allocated in ${sec(hosts.allocateMs)} s, all MONITORED ${sec(hosts.monitoredMs)} s after the first`);
    const templateId = await allocateTemplate(d);
    const budgetMs = o.setupMinutes * 60_000;
    log(`instantiating ${o.vms} VMs`);
    const deploy = await deployVms(d, templateId, o.vms, o.clients, budgetMs);
    log(`${deploy.created} VMs RUNNING ${sec(deploy.runningMs)} s after the first instantiate (${(deploy.created / deploy.runningMs * 1000).toFixed(1)} VMs/s); ` +
      `instantiate calls took ${sec(deploy.instantiateMs)} s, p50 ${deploy.callP50Ms.toFixed(1)} ms, p99 ${deploy.callP99Ms.toFixed(1)} ms`);
    const targets = { vmIds: deploy.ids, hostIds: hosts.ids };
    const unloaded = await unloadedLatency(d, targets);
    log(`alone: ${Object.entries(unloaded).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')}`);
    const rates: RateRun[] = [];
    for (const rate of o.rates) {
      log(`latency at ${rate} requests/s for ${o.seconds} s`);
      const run = await runAtRate(d, targets, rate, o.seconds);
      rates.push(run);
      for (const m of run.methods) log(`  ${m.method}: p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, max ${m.max.toFixed(1)} ms, ${m.count - m.failed} answered, ${m.failed} failed`);
      log(`  settled ${sec(run.settleMs)} s after the step; vmpool.info answer ${Math.round(run.vmPoolBytes)} bytes`);
    }
    const memoryAfterLoad = processMemory(d.pid!);
    log(`daemon VmRSS ${memoryAfterLoad.rssMb.toFixed(0)} MB, VmHWM ${memoryAfterLoad.peakRssMb.toFixed(0)} MB`);
    log(`releasing ${o.pending} held VMs`);
    const release = await releaseVms(d, templateId, o.pending, o.clients, budgetMs);
    log(`${release.released} released in ${sec(release.releaseMs)} s; none PENDING ${sec(release.placedMs)} s and all RUNNING ${sec(release.runningMs)} s after the first release`);
    const memoryAtEnd = processMemory(d.pid!);
    await d.stop();
    const plan = timePlanPlacements(o.pending, o.hosts, deploy.created, benchSchedulerConfig(o));
    const report = renderReport({
      options: o, machine, templateChars: benchTemplate('bench-web').length, hosts, deploy, unloaded, rates, memoryAfterLoad,
      release, plan, memoryAtEnd, totalSeconds: (performance.now() - started) / 1000,
    });
    console.log(report);
    if (o.out) writeFileSync(o.out, report);
  } catch (e) {
    console.error(`bench failed: ${(e as Error).message}\nlast daemon log lines:\n${d.log.split('\n').slice(-20).join('\n')}`);
    process.exitCode = 1;
  } finally {
    await d.dispose();
  }
}

await main();
