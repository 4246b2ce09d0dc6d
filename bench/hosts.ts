import type { TestDaemon } from '../test/harness/daemon.js';
import { concurrently } from './concurrently.js';

/** What setting up the hosts took, in milliseconds. */
export interface HostSetup {
  ids: number[];
  allocateMs: number;
  /** From the daemon's start to every host MONITORED: one monitoring cycle over all of them. */
  firstMonitorMs: number;
}

/**
 * Allocates `count` dummy hosts, then restarts the daemon so that its first monitoring cycle, which runs at
 * start, probes them all at once rather than after a whole (long) monitoring interval; waits until every
 * host is MONITORED.
 */
export async function setUpHosts(d: TestDaemon, count: number, clients: number): Promise<HostSetup> {
  const t0 = performance.now();
  const ids: number[] = [];
  await concurrently(count, clients, async (i) => {
    ids.push(Number(await d.ok('one.host.allocate', `bench-host-${String(i).padStart(4, '0')}`, 'dummy', 'dummy', -1)));
  });
  const allocateMs = performance.now() - t0;
  await d.stop();
  const t1 = performance.now();
  await d.start();
  for (;;) {
    const pool = String(await d.ok('one.hostpool.info'));
    const monitored = pool.match(/<STATE>2<\/STATE>/g)?.length ?? 0;
    if (monitored >= count) break;
    if (performance.now() - t1 > 300_000) throw new Error(`only ${monitored} of ${count} hosts were MONITORED 5 minutes after the daemon started`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { ids, allocateMs, firstMonitorMs: performance.now() - t1 };
}
