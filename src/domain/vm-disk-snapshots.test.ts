import { describe, expect, it } from 'vitest';
import type { TemplateVector } from '../template/types.js';
import { requestCreate, requestDelete, requestRevert, settle, type DiskSnapshotTree } from './disk-snapshots.js';
import { findDisk } from './vm-disks.js';
import { abandonDiskSnapshot, dropClonedDiskSnapshots, pendingDiskSnapshot, settleDiskSnapshot } from './vm-disk-snapshots.js';
import { newVm } from './vm-new.js';
import type { Vm } from './vm.js';

const OWNER = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };

/** A VM with these DISKs and snapshot trees. */
function vmWith(disks: TemplateVector[], trees?: DiskSnapshotTree[]): Vm {
  const vm = newVm({ id: 4, template: [{ name: 'MEMORY', value: '64' }, { name: 'CPU', value: '1' }, ...disks.map((value) => ({ name: 'DISK', value }))], owner: OWNER, hold: false, now: 0 });
  return trees ? { ...vm, diskSnapshots: trees } : vm;
}

const DISKS: TemplateVector[] = [
  { IMAGE_ID: '3', SOURCE: '/ds/1/a', SIZE: '2048', DRIVER: 'qcow2' },
  { IMAGE_ID: '5', SOURCE: '/ds/1/b', SIZE: '512', DRIVER: 'qcow2', PERSISTENT: 'YES' },
];
/** Disk 1 with snapshot 0 taken (SIZE 512), disk 0 with snapshot 0 being created. */
const trees = () => requestCreate(settle(requestCreate([], 1, 'p', 10, 4).trees, 1, 512), 0, 'c', 20, 4).trees;

describe('pendingDiskSnapshot and findDisk', () => {
  it('finds the operation marked in any tree, and nothing when none is', () => {
    expect(pendingDiskSnapshot(vmWith(DISKS, trees()))).toEqual({ diskId: 0, snapshotId: 0, action: 'CREATE' });
    expect(pendingDiskSnapshot(vmWith(DISKS, settle(trees(), 0)))).toBeUndefined();
    expect(pendingDiskSnapshot(vmWith(DISKS))).toBeUndefined();
  });

  it('finds a disk by DISK_ID', () => {
    expect(findDisk(vmWith(DISKS), 1)).toMatchObject({ DISK_ID: '1', IMAGE_ID: '5' });
    expect(findDisk(vmWith(DISKS), 2)).toBeUndefined();
  });
});

describe('settleDiskSnapshot and abandonDiskSnapshot', () => {
  it('a created snapshot becomes active with its disk\'s SIZE', () => {
    const vm = settleDiskSnapshot(vmWith(DISKS, trees()));
    expect(vm.diskSnapshots?.[0]).toMatchObject({ diskId: 0, snapshots: [{ id: 0, active: true, size: 2048 }] });
    expect(vm.diskSnapshots?.[0]?.pending).toBeUndefined();
    expect(vm.diskSnapshots?.[1]).toEqual(trees()[1]);
  });

  it('a snapshot whose create failed goes (its id stays used), the other trees stay', () => {
    const vm = abandonDiskSnapshot(vmWith(DISKS, trees()));
    expect(vm.diskSnapshots).toEqual([{ diskId: 0, nextSnapshot: 1, snapshots: [] }, trees()[1]]);
  });

  it('a failed delete or revert leaves the tree as it was', () => {
    const before = settle(trees(), 0);
    expect(abandonDiskSnapshot(vmWith(DISKS, requestRevert(before, 1, 0, 4))).diskSnapshots).toEqual(before);
    // disk 0: snapshot 1 taken on 0, then back on 0, so 1 is a leaf that is not active
    const leaf = settle(requestRevert(settle(requestCreate(before, 0, '', 30, 4).trees, 0), 0, 0, 4), 0);
    expect(abandonDiskSnapshot(vmWith(DISKS, requestDelete(leaf, 0, 1, 4))).diskSnapshots).toEqual(leaf);
  });

  it('change nothing without a pending operation', () => {
    const vm = vmWith(DISKS, settle(trees(), 0));
    expect(settleDiskSnapshot(vm)).toBe(vm);
    expect(abandonDiskSnapshot(vm)).toBe(vm);
  });
});

describe('dropClonedDiskSnapshots', () => {
  it('keeps the persistent disk\'s tree only, without a pending mark', () => {
    const vm = dropClonedDiskSnapshots(vmWith(DISKS, settle(trees(), 0)));
    expect(vm.diskSnapshots).toEqual([trees()[1]]);
    const busy = requestRevert(settle(trees(), 0), 1, 0, 4);
    expect(dropClonedDiskSnapshots(vmWith(DISKS, busy)).diskSnapshots).toEqual([trees()[1]]);
  });

  it('leaves a VM without trees alone', () => {
    const vm = vmWith(DISKS);
    expect(dropClonedDiskSnapshots(vm)).toBe(vm);
  });
});
