import { ErrorCode, OneError } from '../domain/errors.js';
import { HostState, type Host } from '../domain/host.js';
import { checkName } from '../domain/names.js';
import type { Requester } from '../domain/permissions.js';
import { mergeTemplate } from '../template/merge.js';
import { requireAdmin } from './admin.js';
import type { Core } from './core.js';
import { mustExist } from './core.js';
import { parseUserTemplate } from './vm-create.js';

/** one.host.allocate */
export async function allocateHost(core: Core, who: Requester, name: string, imMad: string, vmMad: string, clusterId: number, drivers: { im: string[]; vmm: string[] }): Promise<number> {
  requireAdmin(who, 'create hosts');
  checkName(name, ErrorCode.ALLOCATE);
  if (!drivers.im.includes(imMad)) throw new OneError(ErrorCode.ALLOCATE, `Error allocating a new host. No IM_MAD "${imMad}": use one of ${drivers.im.join(', ')}.`);
  if (!drivers.vmm.includes(vmMad)) throw new OneError(ErrorCode.ALLOCATE, `Error allocating a new host. No VM_MAD "${vmMad}": use one of ${drivers.vmm.join(', ')}.`);
  if (clusterId !== -1 && clusterId !== 0) throw new OneError(ErrorCode.ALLOCATE, `Error allocating a new host. No cluster [${clusterId}]: only the default cluster 0 exists.`);
  const id = await core.store.tx(async (tx) => {
    if (await tx.getHostByName(name)) throw new OneError(ErrorCode.ALLOCATE, `Error allocating a new host. NAME is already taken by another host: ${name}.`);
    const id = await tx.nextId('host');
    const host: Host = {
      id, name, state: HostState.INIT, prevState: HostState.INIT, imMad, vmMad, clusterId: 0, cluster: 'default',
      share: { memUsage: 0, cpuUsage: 0, totalMem: 0, totalCpu: 0, maxMem: 0, maxCpu: 0, runningVms: 0 },
      vms: [], template: [], monitoring: null, lastMonAt: 0,
    };
    await tx.putHost(host);
    core.log.info({ host: id, name }, 'host created');
    return id;
  });
  core.onHostsChanged();
  return id;
}

async function editHost(core: Core, who: Requester, id: number, change: (h: Host) => Host): Promise<number> {
  requireAdmin(who, 'manage hosts', id);
  await core.store.tx(async (tx) => {
    const host = mustExist(await tx.getHost(id), 'host', id);
    await tx.putHost(change(host));
  });
  return id;
}

/** one.host.delete: refused while VMs are on the host. */
export async function deleteHost(core: Core, who: Requester, id: number): Promise<number> {
  requireAdmin(who, 'delete hosts', id);
  await core.store.tx(async (tx) => {
    mustExist(await tx.getHost(id), 'host', id);
    const vms = await tx.vmsOnHost(id);
    if (vms.length) throw new OneError(ErrorCode.ACTION, `Host ${id} has VMs (${vms.map((v) => v.id).join(', ')}): terminate or migrate them first.`, id);
    await tx.deleteHost(id);
  });
  return id;
}

/** one.host.update: replace (0) or merge (1) the host template. */
export function updateHost(core: Core, who: Requester, id: number, text: string, type: number): Promise<number> {
  if (type !== 0 && type !== 1) throw new OneError(ErrorCode.XML_RPC_API, `Wrong update type ${type}: use 0 (replace) or 1 (merge).`, id);
  const t = parseUserTemplate(text);
  return editHost(core, who, id, (h) => ({ ...h, template: type === 0 ? t : mergeTemplate(h.template, t) }));
}

/** one.host.rename */
export async function renameHost(core: Core, who: Requester, id: number, name: string): Promise<number> {
  checkName(name);
  const other = await core.store.read.getHostByName(name);
  if (other && other.id !== id) throw new OneError(ErrorCode.ACTION, `NAME is already taken by host ${other.id}.`, id);
  return editHost(core, who, id, (h) => ({ ...h, name }));
}

/** one.host.status: 0 enabled, 1 disabled, 2 offline. An enabled host waits for its next probe (INIT). */
const STATUS: Record<number, number> = { 0: HostState.INIT, 1: HostState.DISABLED, 2: HostState.OFFLINE };
export async function hostStatus(core: Core, who: Requester, id: number, status: number): Promise<number> {
  const state = STATUS[status];
  if (state === undefined) throw new OneError(ErrorCode.XML_RPC_API, `Wrong host status ${status}: use 0 (enabled), 1 (disabled) or 2 (offline).`, id);
  await editHost(core, who, id, (h) => {
    const keep = state === HostState.INIT && h.state === HostState.MONITORED;
    return { ...h, prevState: h.state, state: keep ? h.state : state };
  });
  if (state === HostState.INIT) core.onHostsChanged();
  return id;
}
