import type { Core } from '../core/core.js';
import { recordDatastoreCapacity } from '../core/datastore-capacity.js';
import { hostMonitored, hostUnreachable } from '../core/host-report.js';
import type { Datastore, DatastoreCapacity } from '../domain/datastore.js';
import { HostState, type Host } from '../domain/host.js';
import type { Executor } from '../executor/executor.js';

export interface MonitorOptions {
  /** Probes running at once. */
  concurrency: number;
  /** Samples older than this many seconds are dropped. */
  retentionSeconds: number;
}

/**
 * One monitoring cycle: probe every host that is not OFFLINE, apply what each says, read the
 * datastores' capacity, drop old samples.
 */
export async function monitorCycle(core: Core, executor: Executor, opts: MonitorOptions): Promise<void> {
  const hosts = (await core.store.read.listHosts()).filter((h) => h.state !== HostState.OFFLINE);
  let next = 0;
  const worker = async () => {
    while (next < hosts.length) await probeOne(core, executor, hosts[next++]);
  };
  await Promise.all([...Array.from({ length: Math.min(opts.concurrency, hosts.length) }, worker), probeDatastores(core, (ds) => executor.probeDatastore(ds))]);
  await core.store.tx((tx) => tx.purgeSamples(core.now() - opts.retentionSeconds));
}

/** Every datastore's capacity from its DS driver (`probe`); one that cannot be read keeps what it had. */
export async function probeDatastores(core: Core, probe: (ds: Datastore) => Promise<DatastoreCapacity>): Promise<void> {
  const measured = new Map<number, DatastoreCapacity>();
  for (const ds of await core.store.read.listDatastores()) {
    try {
      measured.set(ds.id, await probe(ds));
    } catch (e) {
      core.log.warn({ datastore: ds.id, path: ds.basePath, err: e }, 'cannot read the datastore capacity: check BASE_PATH exists and is readable');
    }
  }
  await recordDatastoreCapacity(core, measured);
}

async function probeOne(core: Core, executor: Executor, host: Host): Promise<void> {
  const probedAt = core.now();
  const vms = await core.store.read.vmsOnHost(host.id);
  let report;
  try {
    report = await executor.probe(host, vms);
  } catch (e) {
    await hostUnreachable(core, host.id, e instanceof Error ? e.message : String(e), probedAt);
    return;
  }
  await hostMonitored(core, host.id, report, probedAt);
}
