import { ErrorCode, OneError } from '../domain/errors.js';
import type { Requester } from '../domain/permissions.js';
import type { Tx } from '../store/store.js';
import { isAdmin } from './admin.js';
import { mustExist } from './core.js';

/** Validates chmod bits: nine values of -1, 0 or 1; ADMIN bits are the oneadmin group's to set. */
export function checkBits(bits: number[], who: Requester, id: number): void {
  if (bits.length !== 9 || bits.some((b) => b !== -1 && b !== 0 && b !== 1)) {
    throw new OneError(ErrorCode.XML_RPC_API, 'Permissions need nine values, each -1 (unchanged), 0 or 1.', id);
  }
  if ([bits[2], bits[5], bits[8]].some((b) => b === 1) && !isAdmin(who)) {
    throw new OneError(ErrorCode.AUTHORIZATION, 'Only the oneadmin group can set ADMIN permission bits.', id);
  }
}

/** The object with a new owner and/or group (-1 leaves either unchanged); both must exist. */
export async function withOwner<T extends { uid: number; gid: number; uname: string; gname: string }>(
  tx: Tx, obj: T, uid: number, gid: number,
): Promise<T> {
  let next = obj;
  if (uid >= 0) {
    const user = mustExist(await tx.getUser(uid), 'user', uid);
    next = { ...next, uid: user.id, uname: user.name };
  }
  if (gid >= 0) {
    const group = mustExist(await tx.getGroup(gid), 'group', gid);
    next = { ...next, gid: group.id, gname: group.name };
  }
  return next;
}
