import { describe, expect, it } from 'vitest';
import { newVm } from './vm-new.js';
import type { Vm } from './vm.js';
import {
  abandonSnapshot, activeSnapshot, addSnapshot, dropSnapshots, findSnapshot, markSnapshot, settleSnapshot, snapshotsOf,
} from './vm-snapshots.js';

const OWNER = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };
const vm = (): Vm => newVm({ id: 4, template: [{ name: 'MEMORY', value: '768' }, { name: 'CPU', value: '1' }], owner: OWNER, hold: false, now: 100 });

/** A VM whose snapshots 0 and 1 were taken and settled (onesnap-0, onesnap-1). */
function twoTaken(): Vm {
  let v = vm();
  for (const name of ['first', 'second']) v = settleSnapshot(addSnapshot(v, name, 200).vm, `onesnap-${snapshotsOf(v).length}`);
  return v;
}

describe('addSnapshot', () => {
  it('adds SNAPSHOT_ID 0 marked for creation, with the memory it saves and the time', () => {
    const { vm: v, snapId } = addSnapshot(vm(), 'just in case', 300);
    expect(snapId).toBe(0);
    expect(snapshotsOf(v)).toEqual([{
      ACTION: 'CREATE', ACTIVE: 'YES', HYPERVISOR_ID: '', NAME: 'just in case', SNAPSHOT_ID: '0', SYSTEM_DISK_SIZE: '768', TIME: '300',
    }]);
    expect(activeSnapshot(v)).toBe(snapshotsOf(v)[0]);
  });

  it('numbers after the highest id, even when earlier ones were deleted, and names an unnamed one', () => {
    const v = settleSnapshot(markSnapshot(twoTaken(), 0, 'DELETE')!, undefined);
    const { vm: next, snapId } = addSnapshot(v, '', 300);
    expect(snapId).toBe(2);
    expect(findSnapshot(next, 2)?.NAME).toBe('snapshot-2');
  });
});

describe('markSnapshot', () => {
  it('marks the snapshot asked for, and only it', () => {
    const v = markSnapshot(twoTaken(), 1, 'REVERT')!;
    expect(activeSnapshot(v)).toMatchObject({ SNAPSHOT_ID: '1', ACTION: 'REVERT' });
    expect(findSnapshot(v, 0)).not.toHaveProperty('ACTIVE');
  });

  it('answers undefined for a snapshot the VM does not have', () => {
    expect(markSnapshot(twoTaken(), 7, 'DELETE')).toBeUndefined();
  });
});

describe('settling', () => {
  it('a created snapshot keeps the hypervisor name and loses its marks', () => {
    const v = settleSnapshot(addSnapshot(vm(), 'x', 300).vm, 'onesnap-0');
    expect(snapshotsOf(v)).toEqual([{ HYPERVISOR_ID: 'onesnap-0', NAME: 'x', SNAPSHOT_ID: '0', SYSTEM_DISK_SIZE: '768', TIME: '300' }]);
  });

  it('a deleted one goes, a reverted one stays, the others are untouched', () => {
    expect(snapshotsOf(settleSnapshot(markSnapshot(twoTaken(), 0, 'DELETE')!, '')).map((s) => s.SNAPSHOT_ID)).toEqual(['1']);
    expect(settleSnapshot(markSnapshot(twoTaken(), 0, 'REVERT')!, '').template).toEqual(twoTaken().template);
  });

  it('a failed create forgets the snapshot; a failed revert or delete keeps it unmarked', () => {
    expect(snapshotsOf(abandonSnapshot(addSnapshot(twoTaken(), 'x', 300).vm))).toEqual(snapshotsOf(twoTaken()));
    expect(abandonSnapshot(markSnapshot(twoTaken(), 1, 'DELETE')!).template).toEqual(twoTaken().template);
  });

  it('without a marked snapshot, changes nothing', () => {
    expect(settleSnapshot(twoTaken(), 'x').template).toEqual(twoTaken().template);
    expect(abandonSnapshot(twoTaken()).template).toEqual(twoTaken().template);
  });
});

describe('dropSnapshots', () => {
  it('removes every snapshot and keeps the rest of the template', () => {
    const v = dropSnapshots(twoTaken());
    expect(snapshotsOf(v)).toEqual([]);
    expect(v.template).toEqual(vm().template);
  });

  it('returns the same VM when it has none', () => {
    const v = vm();
    expect(dropSnapshots(v)).toBe(v);
  });
});
