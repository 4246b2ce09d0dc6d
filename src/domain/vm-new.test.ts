import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../template/parse.js';
import { getSingle, getVectors } from '../template/access.js';
import { OneError } from './errors.js';
import { newVm } from './vm-new.js';

const owner = { uid: 3, gid: 1, groups: [1], uname: 'alice', gname: 'users' };
const make = (text: string, extra: Partial<Parameters<typeof newVm>[0]> = {}) =>
  newVm({ id: 7, template: parseTemplate(text), owner, hold: false, now: 1000, ...extra });

describe('newVm', () => {
  it('splits system and user attributes, numbers devices and adds VMID and requirements', () => {
    const vm = make('NAME="web"\nCPU=0.5\nMEMORY=256\nDISK=[SIZE=1]\nDISK=[SIZE=2]\nNIC=[MODEL=virtio]\nDESCRIPTION="x"\nSCHED_REQUIREMENTS="ID > 1"');
    expect(vm.name).toBe('web');
    expect(getSingle(vm.template, 'CPU')).toBe('0.5');
    expect(getSingle(vm.template, 'VMID')).toBe('7');
    expect(getSingle(vm.template, 'NAME')).toBeUndefined();
    expect(getVectors(vm.template, 'DISK').map((d) => d.DISK_ID)).toEqual(['0', '1']);
    expect(getVectors(vm.template, 'NIC')[0].NIC_ID).toBe('0');
    expect(getSingle(vm.template, 'AUTOMATIC_REQUIREMENTS')).toMatch(/CLUSTER_ID = 0/);
    expect(getSingle(vm.userTemplate, 'DESCRIPTION')).toBe('x');
    expect(getSingle(vm.userTemplate, 'SCHED_REQUIREMENTS')).toBe('ID > 1');
    expect([vm.uid, vm.gid, vm.uname, vm.gname]).toEqual([3, 1, 'alice', 'users']);
    expect([vm.state, vm.lcmState, vm.stime, vm.stateTime]).toEqual([1, 0, 1000, 1000]);
  });

  it('names VMs <prefix>-<id> when nothing names them, and holds on request', () => {
    expect(make('CPU=1\nMEMORY=1').name).toBe('one-7');
    expect(make('CPU=1\nMEMORY=1', { fallbackPrefix: 'tmpl' }).name).toBe('tmpl-7');
    expect(make('CPU=1\nMEMORY=1', { name: 'given' }).name).toBe('given');
    expect(make('CPU=1\nMEMORY=1', { hold: true }).state).toBe(2);
    expect(make('CPU=1\nMEMORY=1\nSUBMIT_ON_HOLD=yes').state).toBe(2);
  });

  it.each([
    ['CPU=1', /MEMORY attribute is missing/],
    ['MEMORY=64', /CPU attribute is missing/],
    ['CPU=0\nMEMORY=64', /CPU attribute must be a positive number/],
    ['CPU=1\nMEMORY=6.4', /MEMORY attribute must be a positive integer/],
    ['CPU=1\nMEMORY=64\nVCPU=two', /VCPU attribute must be a positive integer/],
    ['CPU=1\nMEMORY=64\nSCHED_REQUIREMENTS="A = "', /SCHED_REQUIREMENTS is not a valid expression/],
    ['CPU=1\nMEMORY=64\nSCHED_RANK="FREE_CPU +"', /SCHED_RANK is not a valid expression/],
    ['CPU=1\nMEMORY=64\nUSER_PRIORITY=high', /USER_PRIORITY must be a number/],
    ['NAME="a/b"\nCPU=1\nMEMORY=64', /Invalid NAME/],
  ])('rejects %j with ALLOCATE', (text, message) => {
    expect(() => make(text)).toThrow(message);
    try {
      make(text);
    } catch (e) {
      expect((e as OneError).code).toBe(0x4000);
    }
  });
});
