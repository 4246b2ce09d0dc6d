import { ErrorCode, OneError } from '../domain/errors.js';
import { ONEADMIN_GID, type Requester } from '../domain/permissions.js';

/** True for oneadmin and the members of its group. */
export function isAdmin(who: Requester): boolean {
  return who.uid === 0 || who.gid === ONEADMIN_GID || who.groups.includes(ONEADMIN_GID);
}

/** Throws AUTHORIZATION unless `who` is in the oneadmin group (hosts, users and groups are admin objects). */
export function requireAdmin(who: Requester, what: string, id = -1): void {
  if (isAdmin(who)) return;
  throw new OneError(ErrorCode.AUTHORIZATION, `User [${who.uid}] not authorized to ${what}: only the oneadmin group can.`, id);
}
