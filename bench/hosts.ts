import type { TestDaemon } from '../test/harness/daemon.js';
import { concurrently } from './concurrently.js';

/** What setting up the hosts took, in milliseconds. */
export interface HostSetup {
  ids: number[];
  /** Until the last one.host.allocate was answered. */
  allocateMs: number;
  /** From the first one.host.allocate until every host was MONITORED. */
  monitoredMs: number;
}

/** Allocates `count` dummy hosts and waits until every one is MONITORED (a new host wakes the monitor). */
export async function setUpHosts(d: TestDaemon, count: number, clients: number): Promise<HostSetup> {
  const t0 = performance.now();
  const ids: number[] = [];
  await concurrently(count, clients, async (i) => {
    ids.push(Number(await d.ok('one.host.allocate', `bench-host-${String(i).padStart(4, '0')}`, 'dummy', 'dummy', -1)));
  });
  const allocateMs = performance.now() - t0;
  for (;;) {
    const pool = String(await d.ok('one.hostpool.info'));
    const monitored = pool.match(/<STATE>2<\/STATE>/g)?.length ?? 0;
    if (monitored >= count) break;
    if (performance.now() - t0 > 300_000) throw new Error(`only ${monitored} of ${count} hosts were MONITORED 5 minutes after they were allocated`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { ids, allocateMs, monitoredMs: performance.now() - t0 };
}
