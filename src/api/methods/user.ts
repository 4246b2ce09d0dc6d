import type { Core } from '../../core/core.js';
import { mustExist } from '../../core/core.js';
import { allocateUser, deleteUser, userChgrp, userPasswd } from '../../core/users.js';
import { allocateGroup, deleteGroup } from '../../core/groups.js';
import { isAdmin, requireAdmin } from '../../core/admin.js';
import { groupPoolXml, groupToXml } from '../xml/group.js';
import { userPoolXml, userToXml } from '../xml/user.js';
import type { MethodTable } from '../server.js';
import { int, ints, method, str } from './define.js';

/** one.user.*, one.userpool.info, one.group.*, one.grouppool.info */
export function userMethods(core: Core): MethodTable {
  return Object.fromEntries([
    method(core, 'one.user.allocate', [str('name'), str('password'), str('auth driver', ''), ints('group ids', [])],
      (who, name, pw, driver, gids) => allocateUser(core, who, name, pw, driver, gids)),
    method(core, 'one.user.info', [int('id', -1)], async (who, id) => {
      const uid = id === -1 ? who.uid : id;
      if (uid !== who.uid) requireAdmin(who, 'see other users', uid);
      return userToXml(mustExist(await core.store.read.getUser(uid), 'user', uid));
    }),
    method(core, 'one.user.passwd', [int('id'), str('password')], (who, id, pw) => userPasswd(core, who, id, pw)),
    method(core, 'one.user.delete', [int('id')], (who, id) => deleteUser(core, who, id)),
    method(core, 'one.user.chgrp', [int('id'), int('group id')], (who, id, gid) => userChgrp(core, who, id, gid)),
    method(core, 'one.userpool.info', [], async (who) => {
      const users = (await core.store.read.listUsers()).filter((u) => isAdmin(who) || u.id === who.uid);
      return userPoolXml(users);
    }),
    method(core, 'one.group.allocate', [str('name')], (who, name) => allocateGroup(core, who, name)),
    method(core, 'one.group.info', [int('id', -1)], async (who, id) => {
      const gid = id === -1 ? who.gid : id;
      if (!who.groups.includes(gid) && gid !== who.gid) requireAdmin(who, 'see other groups', gid);
      return groupToXml(mustExist(await core.store.read.getGroup(gid), 'group', gid));
    }),
    method(core, 'one.group.delete', [int('id')], (who, id) => deleteGroup(core, who, id)),
    method(core, 'one.grouppool.info', [], async () => groupPoolXml(await core.store.read.listGroups())),
  ]);
}
