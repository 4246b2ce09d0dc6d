import { withUsage, type Host } from '../domain/host.js';
import type { Store } from '../store/store.js';

/** Every host with its usage derived from the VMs on it. */
export async function hostsWithUsage(store: Store): Promise<Host[]> {
  const [hosts, usage] = await Promise.all([store.read.listHosts(), store.hostUsage()]);
  return hosts.map((h) => withUsage(h, usage.get(h.id)));
}

/** One host with its usage, or undefined. */
export async function hostWithUsage(store: Store, id: number): Promise<Host | undefined> {
  const host = await store.read.getHost(id);
  return host && withUsage(host, (await store.hostUsage(id)).get(id));
}
