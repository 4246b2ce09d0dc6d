import { mkdir, statfs } from 'node:fs/promises';
import { capacityChanged, capacityOf, type DatastoreCapacity, type FsStats } from '../domain/datastore.js';
import type { Core } from './core.js';

/** Reads the file system holding `path`, creating the directory first when it is missing. */
export async function statfsOf(path: string): Promise<FsStats> {
  await mkdir(path, { recursive: true });
  return statfs(path);
}

/**
 * The datastore monitor: TOTAL_MB, FREE_MB and USED_MB of every datastore from the front-end's file
 * system under its BASE_PATH. Writes only the datastores whose capacity changed, in one transaction.
 */
export async function refreshDatastoreCapacity(core: Core, stat: (path: string) => Promise<FsStats> = statfsOf): Promise<void> {
  const changed = new Map<number, DatastoreCapacity>();
  for (const ds of await core.store.read.listDatastores()) {
    try {
      const c = capacityOf(await stat(ds.basePath));
      if (capacityChanged(ds, c)) changed.set(ds.id, c);
    } catch (e) {
      core.log.warn({ datastore: ds.id, path: ds.basePath, err: e }, 'cannot read the datastore capacity: check BASE_PATH exists and is readable');
    }
  }
  if (changed.size === 0) return;
  await core.store.tx(async (tx) => {
    for (const [id, c] of changed) {
      const ds = await tx.getDatastore(id);
      if (ds) await tx.putDatastore({ ...ds, ...c });
    }
  });
}
