import type { Core } from '../../core/core.js';
import {
  allocateDatastore, chmodDatastore, chownDatastore, datastoreInfo, datastorePool, deleteDatastore, enableDatastore,
  renameDatastore, updateDatastore,
} from '../../core/datastores.js';
import { datastoreToXml } from '../xml/datastore.js';
import { poolXml } from '../xml/pool.js';
import type { MethodTable } from '../server.js';
import { bool, int, method, str } from './define.js';

const PERMS = ['owner use', 'owner manage', 'owner admin', 'group use', 'group manage', 'group admin', 'other use', 'other manage', 'other admin'].map((n) => int(n));

/** one.datastore.* and one.datastorepool.info */
export function datastoreMethods(core: Core): MethodTable {
  return Object.fromEntries([
    method(core, 'one.datastore.allocate', [str('template'), int('cluster id', -1)], (who, t, cluster) => allocateDatastore(core, who, t, cluster)),
    method(core, 'one.datastore.info', [int('id'), bool('decrypt', false)], async (who, id) => datastoreToXml(await datastoreInfo(core, who, id))),
    method(core, 'one.datastore.update', [int('id'), str('template'), int('type', 0)], (who, id, t, type) => updateDatastore(core, who, id, t, type)),
    method(core, 'one.datastore.delete', [int('id')], (who, id) => deleteDatastore(core, who, id)),
    method(core, 'one.datastore.rename', [int('id'), str('name')], (who, id, name) => renameDatastore(core, who, id, name)),
    method(core, 'one.datastore.chmod', [int('id'), ...PERMS], (who, id, ...bits) => chmodDatastore(core, who, id, bits as number[])),
    method(core, 'one.datastore.chown', [int('id'), int('user id'), int('group id')], (who, id, uid, gid) => chownDatastore(core, who, id, uid, gid)),
    method(core, 'one.datastore.enable', [int('id'), bool('enable')], (who, id, enable) => enableDatastore(core, who, id, enable)),
    method(core, 'one.datastorepool.info', [], async (who) => poolXml('DATASTORE_POOL', (await datastorePool(core, who)).map(datastoreToXml))),
  ]);
}
