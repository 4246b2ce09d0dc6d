import { ErrorCode, OneError } from '../../domain/errors.js';
import { isAdmin } from '../../core/admin.js';
import { authorized, type Owned, type Requester } from '../../domain/permissions.js';

/** Pool filter flags (PoolSQL): -4 primary group, -3 mine, -2 all, -1 mine and my groups, >= 0 that user. */
export interface OwnerFilter {
  uids?: number[];
  gids?: number[];
}

/** The owners a pool filter flag selects, before permission bits are considered. */
export function ownerFilter(who: Requester, flag: number): OwnerFilter {
  if (flag === -4) return { gids: [who.gid] };
  if (flag === -3) return { uids: [who.uid] };
  if (flag === -2) return {};
  if (flag === -1) return isAdmin(who) ? {} : { uids: [who.uid], gids: who.groups };
  if (flag >= 0) return { uids: [flag] };
  throw new OneError(ErrorCode.XML_RPC_API, `Wrong filter flag ${flag}: use -4 (group), -3 (mine), -2 (all), -1 (mine and my groups) or a user id.`);
}

/** Keeps the objects `who` may see (USE right); the oneadmin group sees everything. */
export function visible<T extends Owned>(who: Requester, objs: T[]): T[] {
  return isAdmin(who) ? objs : objs.filter((o) => authorized(who, o, 'USE'));
}

/** Applies a flag to objects already loaded (templates): owner selection, then visibility. */
export function filterPool<T extends Owned>(who: Requester, flag: number, objs: T[]): T[] {
  const f = ownerFilter(who, flag);
  const owned = objs.filter((o) => (!f.uids && !f.gids) || f.uids?.includes(o.uid) || f.gids?.includes(o.gid));
  return visible(who, owned);
}

/**
 * OpenNebula's (start, end) pair: end >= -1 is an id range (-1 open), end < -1 makes start an offset
 * and -end a page size.
 */
export function range(start: number, end: number): { fromId: number; toId: number; offset: number; size: number } {
  if (end < -1) return { fromId: -1, toId: -1, offset: Math.max(start, 0), size: -end };
  return { fromId: start, toId: end, offset: 0, size: 0 };
}

/** Applies (start, end) to objects already loaded, in id order. */
export function slice<T extends { id: number }>(objs: T[], start: number, end: number): T[] {
  const r = range(start, end);
  if (r.size > 0) return objs.slice(r.offset, r.offset + r.size);
  return objs.filter((o) => (r.fromId < 0 || o.id >= r.fromId) && (r.toId < 0 || o.id <= r.toId));
}
