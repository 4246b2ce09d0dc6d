/** OWNER/GROUP/OTHER x USE/MANAGE/ADMIN bits, 0 or 1 each, in OpenNebula's order. */
export interface Permissions {
  ownerU: number; ownerM: number; ownerA: number;
  groupU: number; groupM: number; groupA: number;
  otherU: number; otherM: number; otherA: number;
}

export const PERMISSION_KEYS = [
  'ownerU', 'ownerM', 'ownerA', 'groupU', 'groupM', 'groupA', 'otherU', 'otherM', 'otherA',
] as const satisfies readonly (keyof Permissions)[];

/** Default umask 177 -> um- --- --- (what OpenNebula gives a new object). */
export const DEFAULT_PERMISSIONS: Permissions = {
  ownerU: 1, ownerM: 1, ownerA: 0, groupU: 0, groupM: 0, groupA: 0, otherU: 0, otherM: 0, otherA: 0,
};

/** The three kinds of right a request can need. */
export type Right = 'USE' | 'MANAGE' | 'ADMIN';

/** Who asks: a user with their primary and secondary groups. */
export interface Requester {
  uid: number;
  gid: number;
  groups: number[];
  uname: string;
  gname: string;
  /** The API request this comes with (history REQUEST_ID, lock REQ_ID); absent for the daemon's own work. */
  reqId?: number;
}

/** What an object exposes for an authorization check. */
export interface Owned {
  uid: number;
  gid: number;
  permissions: Permissions;
}

/** What every pooled object (VM, template, image, datastore) has: an id, a name, an owner and a group. */
export interface PoolObject extends Owned {
  id: number;
  uname: string;
  gname: string;
  name: string;
}

export const ONEADMIN_UID = 0;
export const ONEADMIN_GID = 0;

const SUFFIX: Record<Right, 'U' | 'M' | 'A'> = { USE: 'U', MANAGE: 'M', ADMIN: 'A' };

/** True when the requester may exercise `right` on `obj` by owner, group or other bits. */
export function authorized(who: Requester, obj: Owned, right: Right): boolean {
  if (who.uid === ONEADMIN_UID || who.groups.includes(ONEADMIN_GID) || who.gid === ONEADMIN_GID) return true;
  const s = SUFFIX[right];
  const p = obj.permissions;
  if (obj.uid === who.uid && p[`owner${s}`] === 1) return true;
  if ((who.gid === obj.gid || who.groups.includes(obj.gid)) && p[`group${s}`] === 1) return true;
  return p[`other${s}`] === 1;
}

/** Applies a chmod request where -1 leaves a bit unchanged. */
export function applyChmod(p: Permissions, bits: readonly number[]): Permissions {
  const out = { ...p };
  PERMISSION_KEYS.forEach((k, i) => {
    const b = bits[i];
    if (b !== undefined && b !== -1) out[k] = b ? 1 : 0;
  });
  return out;
}

/** `um-` style string for one of OWNER/GROUP/OTHER, as the CLI prints it. */
export function permissionString(p: Permissions, who: 'owner' | 'group' | 'other'): string {
  return (p[`${who}U`] ? 'u' : '-') + (p[`${who}M`] ? 'm' : '-') + (p[`${who}A`] ? 'a' : '-');
}
