import { writeFileSync } from 'node:fs';
import { benchDaemon, benchSchedulerConfig } from './bench-daemon.js';
import { setUpHosts } from './hosts.js';
import { allocateTemplate, deployVms, releaseVms } from './instantiate.js';
import { describeMachine } from './machine.js';
import { processMemory } from './memory.js';
import { runAtRate, type RateRun } from './open-loop.js';
import { readOptions } from './options.js';
import { timePlanPlacements } from './plan-timing.js';
import { renderReport } from './report.js';
import { benchTemplate } from './vm-template.js';

const log = (text: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}`);

/** The benchmark: hosts, VMs, the latency steps, the scheduler, memory; then the Markdown report. */
async function main(): Promise<void> {
  const o = readOptions(process.argv);
  const started = performance.now();
  const machine = describeMachine();
  const d = benchDaemon(o);
  try {
    await d.start();
    log(`daemon started on ${d.endpoint}; allocating ${o.hosts} hosts`);
    const hosts = await setUpHosts(d, o.hosts, o.clients);
    log(`hosts allocated in ${(hosts.allocateMs / 1000).toFixed(1)} s, all MONITORED ${(hosts.firstMonitorMs / 1000).toFixed(1)} s after the restart`);
    const templateId = await allocateTemplate(d);
    const deploy = await deployVms(d, templateId, o.vms, o.clients);
    log(`${o.vms} VMs RUNNING ${(deploy.runningMs / 1000).toFixed(1)} s after the first instantiate`);
    const targets = {
      vmIds: Array.from({ length: deploy.lastId - deploy.firstId + 1 }, (_, i) => deploy.firstId + i),
      hostIds: Array.from({ length: o.hosts }, (_, i) => i),
    };
    const rates: RateRun[] = [];
    for (const rate of o.rates) {
      log(`latency at ${rate} requests/s for ${o.seconds} s`);
      rates.push(await runAtRate(d, targets, rate, o.seconds));
    }
    const memoryAfterLoad = processMemory(d.pid!);
    log(`releasing ${o.pending} held VMs`);
    const release = await releaseVms(d, templateId, o.pending, o.clients);
    log(`scheduler placed them ${(release.placedMs / 1000).toFixed(1)} s after the first release`);
    const memoryAtEnd = processMemory(d.pid!);
    await d.stop();
    const plan = timePlanPlacements(o.pending, o.hosts, o.vms, benchSchedulerConfig(o));
    const report = renderReport({
      options: o, machine, templateChars: benchTemplate('bench-web').length, hosts, deploy, rates, memoryAfterLoad,
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
