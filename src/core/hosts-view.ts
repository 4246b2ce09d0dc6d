import { withUsage, type Host, type HostUsage } from '../domain/host.js';
import type { Store } from '../store/store.js';

/** The last host-with-usage made from each stored host, reused while its usage is the same. */
const lastView = new WeakMap<Host, { usage: HostUsage | undefined; key: string; host: Host }>();

/** `withUsage`, returning the same object as last time when nothing changed (renderers remember by object). */
function viewOf(host: Host, usage: HostUsage | undefined): Host {
  const last = lastView.get(host);
  // The store hands out the same usage objects until VMs change: then not even the key is needed.
  if (last && last.usage === usage) return last.host;
  const key = usage ? `${usage.cpu}/${usage.mem}/${usage.vms.join(',')}` : '';
  if (last?.key === key) {
    lastView.set(host, { usage, key, host: last.host });
    return last.host;
  }
  const view = withUsage(host, usage);
  lastView.set(host, { usage, key, host: view });
  return view;
}

/** Every host with its usage derived from the VMs on it. */
export async function hostsWithUsage(store: Store): Promise<Host[]> {
  const [hosts, usage] = await Promise.all([store.read.listHosts(), store.hostUsage()]);
  return hosts.map((h) => viewOf(h, usage.get(h.id)));
}

/** One host with its usage, or undefined. */
export async function hostWithUsage(store: Store, id: number): Promise<Host | undefined> {
  const host = await store.read.getHost(id);
  return host && viewOf(host, (await store.hostUsage(id)).get(id));
}
