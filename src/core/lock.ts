import { ErrorCode, OneError } from '../domain/errors.js';
import type { Lock } from '../domain/lock.js';
import type { Requester } from '../domain/permissions.js';

/** Locks an object at `level` (1 use, 2 manage, 3 admin, 4 all = use); with `test`, an existing lock is an error. */
export function lockObject<T extends { id: number; lock: Lock | null }>(obj: T, who: Requester, level: number, test: boolean, now: number): T {
  if (![1, 2, 3, 4].includes(level)) {
    throw new OneError(ErrorCode.XML_RPC_API, `Wrong lock level ${level}: use 1 (use), 2 (manage), 3 (admin) or 4 (all).`, obj.id);
  }
  if (test && obj.lock) throw new OneError(ErrorCode.LOCKED, `The resource is already locked. [${obj.id}].`, obj.id);
  return { ...obj, lock: { locked: level === 4 ? 1 : level, owner: who.uid, time: now, reqId: who.reqId ?? -1 } };
}
