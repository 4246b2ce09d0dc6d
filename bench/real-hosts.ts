import { writeFileSync } from 'node:fs';
import { eventually } from '../test/harness/daemon.js';
import { guestTemplate, labDaemon, QemuLab } from '../test/harness/qemu-lab.js';
import { createTestHosts, destroyTestHosts } from '../test/harness/test-kit.js';
import { untilState } from '../test/harness/vm-state.js';
import { describeMachine } from './machine.js';
import type { BenchOptions } from './options.js';
import { percentile } from './percentile.js';

const log = (text: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}`);

/** Milliseconds `step` takes. */
async function timed(step: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await step();
  return performance.now() - t0;
}

interface Samples {
  [measure: string]: number[];
}

/** The downtime and total time the qemu driver logged for the live migration of VM `id`. */
function migrationFigures(daemonLog: string, id: number): { downtime: number; total: number } {
  const line = daemonLog.split('\n').reverse().find((l) => l.includes(`"vm":${id},`) && l.includes('"op":"vmm.migrate"') && l.includes('"info"'));
  const m = /downtime (\d+) ms, total (\d+) ms/.exec(line ?? '');
  if (!m) throw new Error(`the daemon logged no live migration figures for VM ${id}`);
  return { downtime: Number(m[1]), total: Number(m[2]) };
}

/**
 * Real guests one at a time (boots are CPU-bound, and the machine has two cores): instantiate to RUNNING and
 * to the guest's init, ACPI poweroff, suspend and resume, and a live migration between two hosts sharing a
 * system datastore, with the downtime QEMU measured.
 */
export async function realHostsBench(o: BenchOptions): Promise<void> {
  const count = o.realGuests!;
  const d = labDaemon();
  const samples: Samples = {};
  const add = (name: string, ms: number) => (samples[name] ??= []).push(ms);
  try {
    await d.start();
    const lab = new QemuLab(d, await createTestHosts(2));
    await lab.register(['shared', 'shared']);
    const [h1, h2] = [lab.hostIds.h1!, lab.hostIds.h2!];
    for (let i = 0; i < count; i++) {
      const id = Number(await d.ok('one.vm.allocate', guestTemplate(`bench-${i}`), true));
      const t0 = performance.now();
      await d.ok('one.vm.deploy', id, h1, false);
      await untilState(d, id, 'RUNNING', 60_000);
      add('deploy to RUNNING', performance.now() - t0);
      await lab.untilBooted(id);
      add('deploy to guest init', performance.now() - t0);
      await d.ok('one.vm.migrate', id, h2, true, false, -1, 0);
      add('live migration (call to RUNNING on the new host)', await timed(() =>
        eventually(async () => ((await lab.hostOf(id)) === 'h2' && (await lab.vmXml(id)).includes('<LCM_STATE>3</LCM_STATE>')) || undefined, 60_000)));
      const { downtime, total } = migrationFigures(d.log, id);
      add('live migration downtime (QEMU)', downtime);
      add('live migration total (QEMU)', total);
      add('suspend (to SUSPENDED)', await timed(async () => {
        await d.ok('one.vm.action', 'suspend', id);
        await untilState(d, id, 'SUSPENDED', 60_000);
      }));
      add('resume (to RUNNING)', await timed(async () => {
        await d.ok('one.vm.action', 'resume', id);
        await untilState(d, id, 'RUNNING', 60_000);
      }));
      add('poweroff, ACPI (to POWEROFF)', await timed(async () => {
        await d.ok('one.vm.action', 'poweroff', id);
        await untilState(d, id, 'POWEROFF', 120_000);
      }));
      await d.ok('one.vm.action', 'terminate-hard', id);
      await untilState(d, id, 'DONE', 60_000);
      log(`guest ${i + 1} of ${count} done`);
    }
  } finally {
    await d.dispose();
    await destroyTestHosts();
  }
  const m = describeMachine();
  const rows = Object.entries(samples).map(([name, ms]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return `| ${name} | ${percentile(sorted, 50).toFixed(0)} | ${sorted[0]!.toFixed(0)} | ${sorted[sorted.length - 1]!.toFixed(0)} |`;
  });
  const report = [
    `## Real guests — ${m.date.slice(0, 10)}, ${m.cpus} vCPU ${m.cpuModel}, ${m.memoryGb} GB, Linux ${m.kernel}, Node.js ${m.node}`,
    `${count} guests one after another (128 MB, 1 vCPU, TCG), two namespace hosts over SSH sharing a system datastore.`,
    '',
    '| measure (ms) | median | min | max |',
    '| --- | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
  console.log(report);
  if (o.out) writeFileSync(o.out, report);
}
