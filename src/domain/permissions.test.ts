import { describe, expect, it } from 'vitest';
import { applyChmod, authorized, DEFAULT_PERMISSIONS, permissionString, type Requester } from './permissions.js';

const alice: Requester = { uid: 3, gid: 1, groups: [1, 5], uname: 'alice', gname: 'users' };
const admin: Requester = { uid: 9, gid: 0, groups: [0], uname: 'ops', gname: 'oneadmin' };
const obj = (uid: number, gid: number, bits: number[]) => ({ uid, gid, permissions: applyChmod(DEFAULT_PERMISSIONS, bits) });

describe('permissions', () => {
  it('grants by owner, group (primary or secondary) and other bits', () => {
    expect(authorized(alice, obj(3, 2, []), 'MANAGE')).toBe(true);
    expect(authorized(alice, obj(3, 2, []), 'ADMIN')).toBe(false);
    expect(authorized(alice, obj(4, 5, []), 'USE')).toBe(false);
    expect(authorized(alice, obj(4, 5, [-1, -1, -1, 1]), 'USE')).toBe(true);
    expect(authorized(alice, obj(4, 6, [-1, -1, -1, 1]), 'USE')).toBe(false);
    expect(authorized(alice, obj(4, 6, [-1, -1, -1, -1, -1, -1, 1, 1]), 'MANAGE')).toBe(true);
  });

  it('lets the oneadmin group do anything', () => {
    expect(authorized(admin, obj(4, 6, [0, 0, 0]), 'ADMIN')).toBe(true);
  });

  it('chmod leaves -1 bits unchanged and prints um- strings', () => {
    const p = applyChmod(DEFAULT_PERMISSIONS, [-1, 0, 1, 1, -1, -1, -1, -1, 1]);
    expect([permissionString(p, 'owner'), permissionString(p, 'group'), permissionString(p, 'other')]).toEqual(['u-a', 'u--', '--a']);
  });
});
