import { ErrorCode, OneError } from '../domain/errors.js';
import type { Group } from '../domain/group.js';
import { checkName } from '../domain/names.js';
import type { Requester } from '../domain/permissions.js';
import type { User } from '../domain/user.js';
import { requireAdmin } from './admin.js';
import { sha256 } from './auth.js';
import type { Core } from './core.js';
import { mustExist } from './core.js';

const USERS_GID = 1;

function checkPassword(password: string, id = -1): void {
  if (password.length === 0) throw new OneError(ErrorCode.XML_RPC_API, 'The password cannot be empty.', id);
  if (/[\s:]/.test(password)) throw new OneError(ErrorCode.XML_RPC_API, 'The password cannot contain spaces or ":".', id);
}

/** one.user.allocate: the first group is the primary one; none means "users". */
export async function allocateUser(core: Core, who: Requester, name: string, password: string, driver: string, gids: number[]): Promise<number> {
  requireAdmin(who, 'create users');
  checkName(name, ErrorCode.ALLOCATE);
  checkPassword(password);
  return core.store.tx(async (tx) => {
    if (await tx.getUserByName(name)) throw new OneError(ErrorCode.ALLOCATE, `Error allocating a new user. NAME is already taken by another user: ${name}.`);
    const groups: Group[] = [];
    for (const gid of gids.length ? gids : [USERS_GID]) groups.push(mustExist(await tx.getGroup(gid), 'group', gid));
    const id = await tx.nextId('user');
    const user: User = {
      id, gid: groups[0].id, groups: groups.map((g) => g.id), gname: groups[0].name, name,
      password: sha256(password), authDriver: driver || 'core', enabled: 1, template: [],
    };
    await tx.putUser(user);
    for (const g of groups) await tx.putGroup({ ...g, users: [...g.users, id] });
    return id;
  });
}

/** one.user.passwd: users change their own password; the oneadmin group changes anyone's. */
export async function userPasswd(core: Core, who: Requester, id: number, password: string): Promise<number> {
  if (who.uid !== id) requireAdmin(who, 'change other users\' passwords', id);
  checkPassword(password, id);
  await core.store.tx(async (tx) => {
    const u = mustExist(await tx.getUser(id), 'user', id);
    await tx.putUser({ ...u, password: sha256(password) });
  });
  return id;
}

/** one.user.delete: oneadmin and serveradmin stay. */
export async function deleteUser(core: Core, who: Requester, id: number): Promise<number> {
  requireAdmin(who, 'delete users', id);
  if (id <= 1) throw new OneError(ErrorCode.ACTION, `User ${id} is a system user and cannot be deleted.`, id);
  await core.store.tx(async (tx) => {
    const u = mustExist(await tx.getUser(id), 'user', id);
    for (const gid of u.groups) {
      const g = await tx.getGroup(gid);
      if (g) await tx.putGroup({ ...g, users: g.users.filter((x) => x !== id) });
    }
    await tx.deleteUser(id);
  });
  return id;
}

/** one.user.chgrp: a new primary group. */
export async function userChgrp(core: Core, who: Requester, id: number, gid: number): Promise<number> {
  requireAdmin(who, 'change user groups', id);
  await core.store.tx(async (tx) => {
    const u = mustExist(await tx.getUser(id), 'user', id);
    const g = mustExist(await tx.getGroup(gid), 'group', gid);
    const old = await tx.getGroup(u.gid);
    if (old && old.id !== g.id) await tx.putGroup({ ...old, users: old.users.filter((x) => x !== id) });
    await tx.putGroup({ ...g, users: g.users.includes(id) ? g.users : [...g.users, id] });
    await tx.putUser({ ...u, gid: g.id, gname: g.name, groups: [g.id, ...u.groups.filter((x) => x !== g.id && x !== u.gid)] });
  });
  return id;
}
