import { DatastoreState, DatastoreType, newDatastore, type Datastore } from '../domain/datastore.js';
import { datastoreSpecFrom, updatedDatastore } from '../domain/datastore-spec.js';
import { ErrorCode, OneError } from '../domain/errors.js';
import { checkName } from '../domain/names.js';
import { applyChmod, authorized, type Requester, type Right } from '../domain/permissions.js';
import { currentHistory } from '../domain/vm.js';
import { mergeTemplate } from '../template/merge.js';
import type { Tx } from '../store/store.js';
import { requireAdmin } from './admin.js';
import type { Core } from './core.js';
import { authorize, mustExist } from './core.js';
import { checkBits, withOwner } from './ownership.js';
import { parseUserTemplate } from './vm-create.js';

const KIND = 'DATASTORE';

async function datastoreFor(tx: Tx, who: Requester, id: number, right: Right): Promise<Datastore> {
  const ds = mustExist(await tx.getDatastore(id), 'datastore', id);
  authorize(who, ds, right, KIND);
  return ds;
}

async function editDatastore(core: Core, who: Requester, id: number, right: Right, change: (ds: Datastore, tx: Tx) => Datastore | Promise<Datastore>): Promise<number> {
  await core.store.tx(async (tx) => tx.putDatastore(await change(await datastoreFor(tx, who, id, right), tx)));
  return id;
}

/** one.datastore.info: the datastore, if `who` may use it. */
export async function datastoreInfo(core: Core, who: Requester, id: number): Promise<Datastore> {
  const ds = mustExist(await core.store.read.getDatastore(id), 'datastore', id);
  authorize(who, ds, 'USE', KIND);
  return ds;
}

/** one.datastorepool.info: the datastores `who` may use. */
export async function datastorePool(core: Core, who: Requester): Promise<Datastore[]> {
  return (await core.store.read.listDatastores()).filter((ds) => authorized(who, ds, 'USE'));
}

/** one.datastore.allocate: NAME, TYPE (IMAGE_DS when absent), DS_MAD (not for SYSTEM_DS) and TM_MAD; -1 is the default cluster. */
export async function allocateDatastore(core: Core, who: Requester, text: string, clusterId: number): Promise<number> {
  requireAdmin(who, 'create datastores');
  const spec = datastoreSpecFrom(parseUserTemplate(text, ErrorCode.ALLOCATE));
  if (clusterId !== -1 && clusterId !== 0) throw new OneError(ErrorCode.NO_EXISTS, `Error getting cluster [${clusterId}]. Only the default cluster 0 exists: use -1 or 0.`, clusterId);
  const id = await core.store.tx(async (tx) => {
    const other = await tx.getDatastoreByName(spec.name);
    if (other) throw new OneError(ErrorCode.ALLOCATE, `Error allocating a new datastore. NAME is already taken by DATASTORE ${other.id}: choose another name.`);
    const id = await tx.nextId('datastore');
    await tx.putDatastore(newDatastore(id, spec, { uid: who.uid, gid: who.gid, uname: who.uname, gname: who.gname }, core.config.dataDir));
    return id;
  });
  core.log.info({ datastore: id, name: spec.name }, 'datastore created');
  return id;
}

/** What keeps a datastore from being deleted: its images, or (for a system datastore) the VMs whose files are on it. */
async function usersOf(tx: Tx, ds: Datastore): Promise<string | undefined> {
  if (ds.images.length > 0) return `it holds images ${ds.images.join(', ')}: delete them first`;
  if (ds.type !== DatastoreType.SYSTEM_DS) return undefined;
  const vms = (await tx.queryVms({ state: -1, fromId: -1, toId: -1, offset: 0, size: 0 })).filter((vm) => currentHistory(vm)?.dsId === ds.id);
  if (vms.length === 0) return undefined;
  return `VMs ${vms.map((v) => v.id).join(', ')} have their files on it: terminate them first`;
}

/** one.datastore.delete: refused while images or VMs use it. */
export async function deleteDatastore(core: Core, who: Requester, id: number): Promise<number> {
  await core.store.tx(async (tx) => {
    const ds = await datastoreFor(tx, who, id, 'ADMIN');
    const busy = await usersOf(tx, ds);
    if (busy) throw new OneError(ErrorCode.ACTION, `Cannot delete datastore [${id}]: ${busy}.`, id);
    await tx.deleteDatastore(id);
  });
  core.log.info({ datastore: id }, 'datastore deleted');
  return id;
}

/** one.datastore.update: replace (0) or merge (1) the template; TYPE, DS_MAD and TM_MAD follow it. */
export function updateDatastore(core: Core, who: Requester, id: number, text: string, type: number): Promise<number> {
  if (type !== 0 && type !== 1) throw new OneError(ErrorCode.XML_RPC_API, `Wrong update type ${type}: use 0 (replace) or 1 (merge).`, id);
  const t = parseUserTemplate(text);
  return editDatastore(core, who, id, 'MANAGE', (ds) => updatedDatastore(ds, type === 0 ? t : mergeTemplate(ds.template, t)));
}

/** one.datastore.rename: names are unique among datastores. */
export function renameDatastore(core: Core, who: Requester, id: number, name: string): Promise<number> {
  checkName(name);
  return editDatastore(core, who, id, 'MANAGE', async (ds, tx) => {
    const other = await tx.getDatastoreByName(name);
    if (other && other.id !== id) throw new OneError(ErrorCode.ACTION, `NAME "${name}" is already taken by DATASTORE ${other.id}: choose another name.`, id);
    return { ...ds, name };
  });
}

/** one.datastore.chmod */
export function chmodDatastore(core: Core, who: Requester, id: number, bits: number[]): Promise<number> {
  checkBits(bits, who, id);
  return editDatastore(core, who, id, 'MANAGE', (ds) => ({ ...ds, permissions: applyChmod(ds.permissions, bits) }));
}

/** one.datastore.chown: -1 leaves the owner or group unchanged. */
export function chownDatastore(core: Core, who: Requester, id: number, uid: number, gid: number): Promise<number> {
  return editDatastore(core, who, id, 'ADMIN', (ds, tx) => withOwner(tx, ds, uid, gid));
}

/** one.datastore.enable: READY or DISABLED; only system datastores can be disabled, as in OpenNebula. */
export function enableDatastore(core: Core, who: Requester, id: number, enable: boolean): Promise<number> {
  return editDatastore(core, who, id, 'MANAGE', (ds) => {
    if (ds.type !== DatastoreType.SYSTEM_DS) {
      throw new OneError(ErrorCode.INTERNAL, `Only SYSTEM_DS can be disabled or enabled: datastore ${id} holds images or files.`, id);
    }
    return { ...ds, state: enable ? DatastoreState.READY : DatastoreState.DISABLED };
  });
}
