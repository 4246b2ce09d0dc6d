import { ErrorCode, OneError } from '../domain/errors.js';
import { checkName } from '../domain/names.js';
import { applyChmod, DEFAULT_PERMISSIONS, type Requester, type Right } from '../domain/permissions.js';
import type { VmTemplate } from '../domain/vm-template.js';
import { getSingle, removeAttr, setSingle } from '../template/access.js';
import { mergeTemplate } from '../template/merge.js';
import type { Template } from '../template/types.js';
import type { Tx } from '../store/store.js';
import type { Core } from './core.js';
import { authorize, checkLock, mustExist } from './core.js';
import { lockObject } from './lock.js';
import { instantiatePersistent } from './template-persistent.js';
import { checkBits, withOwner } from './ownership.js';
import { createVm, parseUserTemplate } from './vm-create.js';

/** The template `id`, if `who` has `right` on it and no lock blocks that right. */
export async function templateFor(tx: Tx, who: Requester, id: number, right: Right): Promise<VmTemplate> {
  const t = mustExist(await tx.getTemplate(id), 'template', id);
  authorize(who, t, right, 'VMTEMPLATE');
  checkLock(t, right, 'VMTEMPLATE');
  return t;
}

async function editTemplate(core: Core, who: Requester, id: number, right: Right, change: (t: VmTemplate, tx: Tx) => VmTemplate | Promise<VmTemplate>): Promise<number> {
  await core.store.tx(async (tx) => tx.putTemplate(await change(await templateFor(tx, who, id, right), tx)));
  return id;
}

/** Inside `tx`: a new template `name` owned by `who`; names are unique per owner. Returns its id. */
export async function addTemplate(core: Core, tx: Tx, who: Requester, name: string, body: Template): Promise<number> {
  checkName(name, ErrorCode.ALLOCATE);
  if (await tx.getTemplateByName(name, who.uid)) throw new OneError(ErrorCode.ALLOCATE, `Error allocating a new template. NAME is already taken by another template of yours: ${name}.`);
  const id = await tx.nextId('template');
  await tx.putTemplate({
    id, uid: who.uid, gid: who.gid, uname: who.uname, gname: who.gname, name, lock: null,
    permissions: { ...DEFAULT_PERMISSIONS }, regtime: core.now(), template: setSingle(body, 'NAME', name),
  });
  return id;
}

async function insertTemplate(core: Core, who: Requester, name: string, body: Template): Promise<number> {
  return core.store.tx((tx) => addTemplate(core, tx, who, name, body));
}

/** one.template.allocate: the template needs a NAME. */
export async function allocateTemplate(core: Core, who: Requester, text: string): Promise<number> {
  const body = parseUserTemplate(text, ErrorCode.ALLOCATE);
  const name = getSingle(body, 'NAME');
  if (!name) throw new OneError(ErrorCode.ALLOCATE, 'Error allocating a new template. The template has no NAME: add NAME = "my-template".');
  return insertTemplate(core, who, name, body);
}

/** one.template.update: replace (0) or merge (1). */
export function updateTemplate(core: Core, who: Requester, id: number, text: string, type: number): Promise<number> {
  if (type !== 0 && type !== 1) throw new OneError(ErrorCode.XML_RPC_API, `Wrong update type ${type}: use 0 (replace) or 1 (merge).`, id);
  const body = parseUserTemplate(text);
  return editTemplate(core, who, id, 'MANAGE', (t) => ({ ...t, template: setSingle(type === 0 ? body : mergeTemplate(t.template, body), 'NAME', t.name) }));
}

/** one.template.delete */
export async function deleteTemplate(core: Core, who: Requester, id: number): Promise<number> {
  await core.store.tx(async (tx) => {
    await templateFor(tx, who, id, 'MANAGE');
    await tx.deleteTemplate(id);
  });
  return id;
}

/** one.template.rename */
export function renameTemplate(core: Core, who: Requester, id: number, name: string): Promise<number> {
  checkName(name);
  return editTemplate(core, who, id, 'MANAGE', (t) => ({ ...t, name, template: setSingle(t.template, 'NAME', name) }));
}

/** one.template.chmod */
export function chmodTemplate(core: Core, who: Requester, id: number, bits: number[]): Promise<number> {
  checkBits(bits, who, id);
  return editTemplate(core, who, id, 'MANAGE', (t) => ({ ...t, permissions: applyChmod(t.permissions, bits) }));
}

/** one.template.chown */
export function chownTemplate(core: Core, who: Requester, id: number, uid: number, gid: number): Promise<number> {
  return editTemplate(core, who, id, 'ADMIN', (t, tx) => withOwner(tx, t, uid, gid));
}

/** one.template.lock */
export function lockTemplate(core: Core, who: Requester, id: number, level: number, test: boolean): Promise<number> {
  return editTemplate(core, who, id, 'MANAGE', (t) => lockObject(t, who, level, test, core.now()));
}

/** one.template.unlock */
export async function unlockTemplate(core: Core, who: Requester, id: number): Promise<number> {
  await core.store.tx(async (tx) => {
    const t = mustExist(await tx.getTemplate(id), 'template', id);
    authorize(who, t, 'MANAGE', 'VMTEMPLATE');
    await tx.putTemplate({ ...t, lock: null });
  });
  return id;
}

/** one.template.clone: a copy owned by the caller. */
export async function cloneTemplate(core: Core, who: Requester, id: number, name: string): Promise<number> {
  const source = await core.store.tx((tx) => templateFor(tx, who, id, 'USE'));
  return insertTemplate(core, who, name, source.template);
}

/**
 * one.template.instantiate: a VM from the template; every attribute named in `extra` replaces the
 * template's attribute of that name (a DISK given there must be complete). With `persistent`, the VM is
 * made from a private persistent copy of the template and its images (template-persistent.ts).
 */
export async function instantiateTemplate(core: Core, who: Requester, id: number, name: string, hold: boolean, extraText: string, persistent: boolean): Promise<number> {
  const extra = extraText.trim() ? parseUserTemplate(extraText) : [];
  if (name) checkName(name);
  if (persistent) return instantiatePersistent(core, who, id, name, hold, extra);
  const source = await core.store.tx((tx) => templateFor(tx, who, id, 'USE'));
  const body = setSingle(removeAttr(mergeTemplate(source.template, extra), 'NAME'), 'TEMPLATE_ID', String(id));
  return createVm(core, who, body, { name: name || undefined, fallbackPrefix: source.name, hold });
}
