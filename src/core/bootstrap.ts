import { defaultDatastores } from '../domain/datastore.js';
import type { Store } from '../store/store.js';
import { sha256 } from './auth.js';

/**
 * First start: the oneadmin and users groups, oneadmin (uid 0) with `password` and serveradmin
 * (uid 1). Returns false when the store already had them.
 */
export async function bootstrap(store: Store, password: string, serverPassword: string): Promise<boolean> {
  return store.tx(async (tx) => {
    if (await tx.getUser(0)) return false;
    await tx.putGroup({ id: 0, name: 'oneadmin', users: [0, 1], admins: [], template: [] });
    await tx.putGroup({ id: 1, name: 'users', users: [], admins: [], template: [] });
    const base = { gid: 0, groups: [0], gname: 'oneadmin', authDriver: 'core', enabled: 1, template: [] };
    await tx.putUser({ ...base, id: 0, name: 'oneadmin', password: sha256(password) });
    await tx.putUser({ ...base, id: 1, name: 'serveradmin', password: sha256(serverPassword), authDriver: 'server_cipher' });
    return true;
  });
}

/**
 * Creates the default datastores (0 system, 1 default, 2 files) in a store that has no datastore at
 * all: a new one, or one made before datastores existed. Every start calls it, since VMs need a
 * system datastore. Returns true when it created them.
 */
export function ensureDefaultDatastores(store: Store, dataDir: string): Promise<boolean> {
  return store.tx(async (tx) => {
    if ((await tx.listDatastores()).length > 0) return false;
    for (const ds of defaultDatastores(dataDir)) await tx.putDatastore(ds);
    return true;
  });
}
