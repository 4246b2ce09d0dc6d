import type { Core } from '../../core/core.js';
import { ErrorCode, OneError } from '../../domain/errors.js';
import { defaultClusterXml } from '../xml/cluster.js';
import { poolXml } from '../xml/pool.js';
import type { MethodTable } from '../server.js';
import { bool, int, method } from './define.js';

/** one.cluster.info and one.clusterpool.info: the one default cluster (the CLI shows VMs' cluster names). */
export function clusterMethods(core: Core): MethodTable {
  const xml = async () => {
    const [hosts, datastores] = await Promise.all([core.store.read.listHosts(), core.store.read.listDatastores()]);
    return defaultClusterXml(hosts.map((h) => h.id), datastores.filter((ds) => ds.clusterIds.includes(0)).map((ds) => ds.id));
  };
  return Object.fromEntries([
    method(core, 'one.cluster.info', [int('id'), bool('decrypt', false)], async (_who, id) => {
      if (id !== 0) throw new OneError(ErrorCode.NO_EXISTS, `Error getting cluster [${id}]. Only the default cluster 0 exists.`, id);
      return xml();
    }),
    method(core, 'one.clusterpool.info', [], async () => poolXml('CLUSTER_POOL', [await xml()])),
  ]);
}
