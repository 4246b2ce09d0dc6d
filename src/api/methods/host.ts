import type { Core } from '../../core/core.js';
import { mustExist } from '../../core/core.js';
import { allocateHost, deleteHost, hostStatus, renameHost, updateHost } from '../../core/hosts.js';
import { hostsWithUsage, hostWithUsage } from '../../core/hosts-view.js';
import type { DriverRegistry } from '../../drivers/registry.js';
import { hostToXml } from '../xml/host.js';
import { monitoringXml } from '../xml/monitoring.js';
import { memoByObject } from '../xml/memo.js';
import { escapedBytes, escapedPool } from '../xml/pool.js';
import type { Host } from '../../domain/host.js';
import type { MethodTable } from '../server.js';
import { bool, int, method, str } from './define.js';
import { samplesFor } from './samples.js';

/** Each host's document, escaped for XML-RPC once per version of the host and its usage. */
const escapedHost = memoByObject((h: Host) => escapedBytes(hostToXml(h)));

/** one.host.* and one.hostpool.* */
export function hostMethods(core: Core, drivers: DriverRegistry): MethodTable {
  const names = { im: [...drivers.im.keys()], vmm: [...drivers.vmm.keys()] };
  return Object.fromEntries([
    method(core, 'one.host.allocate', [str('name'), str('im_mad'), str('vmm_mad'), int('cluster id', -1)],
      (who, name, im, vmm, cluster) => allocateHost(core, who, name, im, vmm, cluster, names)),
    method(core, 'one.host.info', [int('id'), bool('decrypt', false)], async (_who, id) => hostToXml(mustExist(await hostWithUsage(core.store, id), 'host', id))),
    method(core, 'one.host.update', [int('id'), str('template'), int('type', 0)], (who, id, t, type) => updateHost(core, who, id, t, type)),
    method(core, 'one.host.delete', [int('id')], (who, id) => deleteHost(core, who, id)),
    method(core, 'one.host.status', [int('id'), int('status')], (who, id, status) => hostStatus(core, who, id, status)),
    method(core, 'one.host.rename', [int('id'), str('name')], (who, id, name) => renameHost(core, who, id, name)),
    method(core, 'one.host.monitoring', [int('id')], async (_who, id) => {
      mustExist(await core.store.read.getHost(id), 'host', id);
      return monitoringXml(await core.store.read.hostSamples(id), 'host');
    }),
    method(core, 'one.hostpool.info', [], async () => escapedPool('HOST_POOL', (await hostsWithUsage(core.store)).map(escapedHost))),
    method(core, 'one.hostpool.monitoring', [int('seconds', -1)], async (_who, seconds) => {
      const hosts = await core.store.read.listHosts();
      const all = await Promise.all(hosts.map((h) => core.store.read.hostSamples(h.id)));
      return monitoringXml(all.flatMap((s) => samplesFor(s, seconds, core.now())), 'host');
    }),
  ]);
}
