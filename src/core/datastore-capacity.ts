import { capacityChanged, type DatastoreCapacity } from '../domain/datastore.js';
import type { Core } from './core.js';

/**
 * The datastore monitor's outcome: TOTAL_MB, FREE_MB and USED_MB of each datastore its DS driver measured.
 * Writes only the datastores whose capacity changed, in one transaction.
 */
export async function recordDatastoreCapacity(core: Core, measured: ReadonlyMap<number, DatastoreCapacity>): Promise<void> {
  await core.store.tx(async (tx) => {
    for (const [id, c] of measured) {
      const ds = await tx.getDatastore(id);
      if (ds && capacityChanged(ds, c)) await tx.putDatastore({ ...ds, ...c });
    }
  });
}
