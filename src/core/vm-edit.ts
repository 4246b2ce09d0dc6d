import { ErrorCode, OneError } from '../domain/errors.js';
import { checkName } from '../domain/names.js';
import { applyChmod, type Requester, type Right } from '../domain/permissions.js';
import type { Vm } from '../domain/vm.js';
import type { Tx } from '../store/store.js';
import { mergeTemplate } from '../template/merge.js';
import { authorize, mustExist, type Core } from './core.js';
import { lockObject } from './lock.js';
import { checkBits, withOwner } from './ownership.js';
import { parseUserTemplate } from './vm-create.js';
import { vmFor } from './vm-lookup.js';

async function editVm(core: Core, who: Requester, id: number, right: Right, change: (vm: Vm, tx: Tx) => Vm | Promise<Vm>): Promise<number> {
  await core.store.tx(async (tx) => {
    const vm = await vmFor(tx, who, id, right);
    await tx.putVm(await change(vm, tx));
  });
  return id;
}

/** one.vm.update: replace (0) or merge (1) the USER_TEMPLATE. */
export function updateVm(core: Core, who: Requester, id: number, text: string, type: number): Promise<number> {
  if (type !== 0 && type !== 1) throw new OneError(ErrorCode.XML_RPC_API, `Wrong update type ${type}: use 0 (replace) or 1 (merge).`, id);
  const t = parseUserTemplate(text);
  return editVm(core, who, id, 'MANAGE', (vm) => ({ ...vm, userTemplate: type === 0 ? t : mergeTemplate(vm.userTemplate, t) }));
}

/** one.vm.rename */
export function renameVm(core: Core, who: Requester, id: number, name: string): Promise<number> {
  checkName(name);
  return editVm(core, who, id, 'MANAGE', (vm) => ({ ...vm, name }));
}

/** one.vm.chmod: nine bits, -1 leaves one unchanged; ADMIN bits need the oneadmin group. */
export function chmodVm(core: Core, who: Requester, id: number, bits: number[]): Promise<number> {
  checkBits(bits, who, id);
  return editVm(core, who, id, 'MANAGE', (vm) => ({ ...vm, permissions: applyChmod(vm.permissions, bits) }));
}

/** one.vm.chown: -1 leaves owner or group unchanged; only the oneadmin group changes owners. */
export function chownVm(core: Core, who: Requester, id: number, uid: number, gid: number): Promise<number> {
  return editVm(core, who, id, 'ADMIN', (vm, tx) => withOwner(tx, vm, uid, gid));
}

/** one.vm.lock */
export function lockVm(core: Core, who: Requester, id: number, level: number, test: boolean): Promise<number> {
  return editVm(core, who, id, 'MANAGE', (vm) => lockObject(vm, who, level, test, core.now()));
}

/** one.vm.unlock */
export async function unlockVm(core: Core, who: Requester, id: number): Promise<number> {
  await core.store.tx(async (tx) => {
    const vm = mustExist(await tx.getVm(id), 'virtual machine', id);
    authorize(who, vm, 'MANAGE', 'VM');
    await tx.putVm({ ...vm, lock: null });
  });
  return id;
}
