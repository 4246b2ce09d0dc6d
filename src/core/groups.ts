import { ErrorCode, OneError } from '../domain/errors.js';
import { checkName } from '../domain/names.js';
import type { Requester } from '../domain/permissions.js';
import { requireAdmin } from './admin.js';
import type { Core } from './core.js';
import { mustExist } from './core.js';

/** one.group.allocate */
export async function allocateGroup(core: Core, who: Requester, name: string): Promise<number> {
  requireAdmin(who, 'create groups');
  checkName(name, ErrorCode.ALLOCATE);
  return core.store.tx(async (tx) => {
    if (await tx.getGroupByName(name)) throw new OneError(ErrorCode.ALLOCATE, `Error allocating a new group. NAME is already taken by another group: ${name}.`);
    const id = await tx.nextId('group');
    await tx.putGroup({ id, name, users: [], admins: [], template: [] });
    return id;
  });
}

/** one.group.delete: system groups stay, and a group with users cannot go. */
export async function deleteGroup(core: Core, who: Requester, id: number): Promise<number> {
  requireAdmin(who, 'delete groups', id);
  if (id <= 1) throw new OneError(ErrorCode.ACTION, `Group ${id} is a system group and cannot be deleted.`, id);
  await core.store.tx(async (tx) => {
    const g = mustExist(await tx.getGroup(id), 'group', id);
    if (g.users.length) throw new OneError(ErrorCode.ACTION, `Group ${id} has users (${g.users.join(', ')}): move them to another group first.`, id);
    await tx.deleteGroup(id);
  });
  return id;
}
