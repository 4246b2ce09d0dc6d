import { describe, expect, it } from 'vitest';
import { getSingle, getVector } from '../template/access.js';
import { ErrorCode } from './errors.js';
import { newVm } from './vm-new.js';
import type { Vm } from './vm.js';
import {
  capacityOf, keepResize, liveRoom, resized, resizeRequest, sameCapacity, undoResize, withCapacity, withResizeBackup,
} from './vm-resize.js';

const OWNER = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };
const vm = (extra: Record<string, string> = {}): Vm => newVm({
  id: 4,
  template: Object.entries({ CPU: '0.5', MEMORY: '512', ...extra }).map(([name, value]) => ({ name, value })),
  owner: OWNER, hold: false, now: 100,
});
const t = (attrs: Record<string, string>) => Object.entries(attrs).map(([name, value]) => ({ name, value }));

describe('resizeRequest', () => {
  it('reads CPU, VCPU and MEMORY; missing or 0 means unchanged', () => {
    expect(resizeRequest(t({ CPU: '1.5', VCPU: '2', MEMORY: '2048' }))).toEqual({ cpu: 1.5, vcpu: 2, memory: 2048 });
    expect(resizeRequest(t({ MEMORY: '1024', CPU: '0', NAME: 'ignored' }))).toEqual({ memory: 1024 });
    expect(resizeRequest([])).toEqual({});
  });

  it.each([
    [{ CPU: '-1' }, 'CPU must be a positive float or integer value, got "-1"'],
    [{ CPU: 'lots' }, 'CPU must be a positive float or integer value, got "lots"'],
    [{ VCPU: '1.5' }, 'VCPU must be a positive integer value, got "1.5"'],
    [{ MEMORY: '-512' }, 'MEMORY must be a positive integer value, got "-512"'],
    [{ MEMORY: '2g' }, 'MEMORY must be a positive integer value, got "2g"'],
  ])('refuses %j with INTERNAL, as OpenNebula does', (attrs, message) => {
    expect(() => resizeRequest(t(attrs))).toThrow(expect.objectContaining({ code: ErrorCode.INTERNAL, message: expect.stringContaining(message) }));
  });
});

describe('capacity', () => {
  it('reads the template, VCPU 1 when absent', () => {
    expect(capacityOf(vm())).toEqual({ cpu: 0.5, vcpu: 1, memory: 512 });
  });

  it('writes only what changes, so an absent VCPU stays absent', () => {
    const v = withCapacity(vm(), resized(capacityOf(vm()), { memory: 1024 }));
    expect([getSingle(v.template, 'MEMORY'), getSingle(v.template, 'CPU'), getSingle(v.template, 'VCPU')]).toEqual(['1024', '0.5', undefined]);
    expect(getSingle(withCapacity(vm(), { cpu: 2, vcpu: 4, memory: 512 }).template, 'VCPU')).toBe('4');
  });

  it('compares capacities', () => {
    expect(sameCapacity(capacityOf(vm()), resized(capacityOf(vm()), { cpu: 0.5 }))).toBe(true);
    expect(sameCapacity(capacityOf(vm()), resized(capacityOf(vm()), { vcpu: 2 }))).toBe(false);
  });

  it('has room to grow live up to VCPU_MAX and MEMORY_MAX, else up to what it has', () => {
    expect(liveRoom(vm())).toEqual({ vcpu: 1, memory: 512 });
    expect(liveRoom(vm({ VCPU: '2', VCPU_MAX: '4', MEMORY_MAX: '2048' }))).toEqual({ vcpu: 4, memory: 2048 });
  });
});

describe('the RESIZE backup', () => {
  const grown = (v: Vm) => withCapacity(withResizeBackup(v), { cpu: 1, vcpu: 2, memory: 1024 });

  it('keeps the old values while the live resize runs', () => {
    expect(getVector(grown(vm()).template, 'RESIZE')).toEqual({ CPU: '0.5', MEMORY: '512' });
    expect(getVector(grown(vm({ VCPU: '1' })).template, 'RESIZE')).toEqual({ CPU: '0.5', MEMORY: '512', VCPU: '1' });
  });

  it('goes when the resize worked, leaving the new values', () => {
    const v = keepResize(grown(vm()));
    expect(getVector(v.template, 'RESIZE')).toBeUndefined();
    expect(capacityOf(v)).toEqual({ cpu: 1, vcpu: 2, memory: 1024 });
  });

  it('gives the old values back when it failed, removing a VCPU the VM did not have', () => {
    const v = undoResize(grown(vm()));
    expect(v.template).toEqual(vm().template);
    expect(undoResize(grown(vm({ VCPU: '1' }))).template).toEqual(vm({ VCPU: '1' }).template);
  });

  it('changes nothing when there is no backup', () => {
    const v = vm();
    expect(keepResize(v)).toBe(v);
    expect(undoResize(v)).toBe(v);
  });
});
