import { describe, expect, it } from 'vitest';
import { historyActionNumber } from '../lifecycle/history-actions.js';
import { getAll, getSingle } from '../template/access.js';
import { newHistory, type Placement } from './history.js';
import { EFFECTS, errorText, type EventArgs } from './vm-effects.js';
import { newVm } from './vm-new.js';
import type { Vm } from './vm.js';

const HOST_A: Placement = { hostname: 'host-a', hid: 1, cid: 0, vmMad: 'kvm', tmMad: 'ssh', dsId: 0 };
const HOST_B: Placement = { hostname: 'host-b', hid: 2, cid: 100, vmMad: 'qemu', tmMad: 'qcow2', dsId: 101 };
const OWNER = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };
const NOW = 2000;

const pending = (): Vm =>
  newVm({ id: 3, template: [{ name: 'MEMORY', value: '64' }, { name: 'CPU', value: '0.5' }], owner: OWNER, hold: false, now: 1000 });
/** A VM running on host-a since 1100 (record 0). */
const onHostA = (): Vm => ({ ...pending(), history: [{ ...newHistory(undefined, HOST_A, 1000), pstime: 1000, petime: 1050, rstime: 1100 }] });
/** A VM in the middle of a migration from host-a (record 0, closed) to host-b (record 1). */
const migrating = (): Vm => EFFECTS.openHistory(onHostA(), { now: 1500, action: 'live-migrate', placement: HOST_B });

const args = (a: Partial<EventArgs> = {}): EventArgs => ({ now: NOW, action: 'none', ...a });

describe('openHistory', () => {
  it('opens the first record, SEQ 0, on the deploy target', () => {
    const vm = EFFECTS.openHistory(pending(), args({ action: 'deploy', placement: HOST_A }));
    expect(vm.history).toEqual([{ ...newHistory(undefined, HOST_A, NOW) }]);
  });

  it('on a redeploy, leaves the closed record of the last stay alone', () => {
    const before = { ...onHostA(), history: [{ ...onHostA().history[0], etime: 1200, action: historyActionNumber('undeploy') }] };
    const vm = EFFECTS.openHistory(before, args({ action: 'deploy', placement: HOST_B }));
    expect(vm.history[0]).toEqual(before.history[0]);
    expect(vm.history[1]).toMatchObject({ seq: 1, hostname: 'host-b', hid: 2, cid: 100, dsId: 101, vmMad: 'qemu', tmMad: 'qcow2', stime: NOW });
  });

  it('on a migration, closes the source record with the ACTION and who asked, and opens one on the target', () => {
    const vm = EFFECTS.openHistory(onHostA(), args({ action: 'migrate', placement: HOST_B, uid: 4, gid: 5, reqId: 6 }));
    expect(vm.history[0]).toMatchObject({ action: historyActionNumber('migrate'), uid: 4, gid: 5, reqId: 6, etime: NOW, retime: NOW });
    expect(vm.history[1]).toMatchObject({ seq: 1, hostname: 'host-b', stime: NOW, rstime: 0, etime: 0, action: 0 });
  });

  it('needs a placement', () => {
    expect(() => EFFECTS.openHistory(pending(), args({ action: 'deploy' }))).toThrow(/placement/);
  });
});

describe('revertMigration', () => {
  it('closes the target record and goes back to the source host in a new, running record', () => {
    const vm = EFFECTS.revertMigration(migrating(), args());
    expect(vm.history).toHaveLength(3);
    expect(vm.history[1]).toMatchObject({ hostname: 'host-b', etime: NOW });
    expect(vm.history[2]).toMatchObject({ seq: 2, hostname: 'host-a', hid: 1, cid: 0, dsId: 0, stime: NOW, rstime: NOW, etime: 0, action: 0 });
  });

  it('does nothing without a source record', () => {
    const vm = onHostA();
    expect(EFFECTS.revertMigration(vm, args())).toBe(vm);
  });
});

describe('recordAction and splitHistory', () => {
  it('recordAction marks the open record, -1 for an unknown requester', () => {
    const vm = EFFECTS.recordAction(onHostA(), args({ action: 'terminate' }));
    expect(vm.history).toHaveLength(1);
    expect(vm.history[0]).toMatchObject({ action: historyActionNumber('terminate'), uid: -1, gid: -1, reqId: -1, etime: 0 });
  });

  it('splitHistory closes the marked record and opens a copy on the same host', () => {
    const vm = EFFECTS.splitHistory(onHostA(), args({ action: 'poweroff', uid: 2, gid: 1, reqId: 8 }));
    expect(vm.history[0]).toMatchObject({ action: historyActionNumber('poweroff'), uid: 2, gid: 1, reqId: 8, etime: NOW, retime: NOW });
    expect(vm.history[1]).toMatchObject({ seq: 1, hostname: 'host-a', hid: 1, stime: NOW, etime: 0, action: 0, uid: -1 });
  });

  it.each(['recordAction', 'splitHistory'] as const)('%s does nothing to a VM never placed', (effect) => {
    const vm = pending();
    expect(EFFECTS[effect](vm, args({ action: 'terminate' }))).toBe(vm);
  });
});

describe('setError', () => {
  it('writes the stamped message to USER_TEMPLATE/ERROR, replacing an older one', () => {
    const once = EFFECTS.setError(pending(), args({ message: 'first' }));
    const twice = EFFECTS.setError(once, args({ now: NOW + 1, message: 'second' }));
    expect(getAll(twice.userTemplate, 'ERROR')).toHaveLength(1);
    expect(getSingle(twice.userTemplate, 'ERROR')).toBe(errorText(NOW + 1, 'second'));
  });

  it('says "unknown error" when the outcome brought no message', () => {
    expect(getSingle(EFFECTS.setError(pending(), args()).userTemplate, 'ERROR')).toBe(errorText(NOW, 'unknown error'));
  });

  it('stamps the time before the message', () => {
    expect(errorText(0, 'boom')).toMatch(/1970.* : boom$/);
  });

  // OpenNebula stamps ERROR with ctime(3): "Thu Jan  1 00:00:00 1970 : boom".
  it('stamps the time the way OpenNebula does', () => {
    expect(errorText(0, 'boom')).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} : boom$/);
  });
});

describe('RESCHED and the deploy id', () => {
  it('setResched and clearResched set and clear the flag', () => {
    const set = EFFECTS.setResched(pending(), args());
    expect(set.resched).toBe(1);
    expect(EFFECTS.clearResched(set, args()).resched).toBe(0);
  });

  it('setDeployId keeps what the driver returned, and an empty answer changes nothing', () => {
    expect(EFFECTS.setDeployId(pending(), args({ info: 'one-3' })).deployId).toBe('one-3');
    const vm = { ...pending(), deployId: 'one-3' };
    expect(EFFECTS.setDeployId(vm, args({ info: '' })).deployId).toBe('one-3');
  });
});

describe('every effect', () => {
  it.each(Object.keys(EFFECTS) as (keyof typeof EFFECTS)[])('%s leaves the VM it is given unchanged', (effect) => {
    const vm = migrating();
    const before = structuredClone(vm);
    EFFECTS[effect](vm, args({ action: 'poweroff', placement: HOST_A, message: 'x', info: 'one-3' }));
    expect(vm).toEqual(before);
  });
});
