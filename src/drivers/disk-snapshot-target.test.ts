import { describe, expect, it } from 'vitest';
import { requestCreate, requestDelete, requestRevert, settle } from '../domain/disk-snapshots.js';
import { diskSnapshotName, diskSnapshotTarget } from './disk-snapshot-target.js';
import { vm } from './test-fixtures.js';
import { DriverError } from './types.js';

/** VM 3 with snapshot 0 of disk 2 taken and snapshot 1 being created. */
const creating = () => {
  const taken = settle(requestCreate([], 2, 'a', 1, 3).trees, 2, 8);
  return { ...vm(3), diskSnapshots: requestCreate(taken, 2, 'b', 2, 3).trees };
};

describe('diskSnapshotTarget', () => {
  it('reads the disk and snapshot from the pending mark, and names it disk-snap-<id>', () => {
    expect(diskSnapshotTarget(creating(), 'CREATE')).toEqual({ diskId: 2, snapshotId: 1, name: 'disk-snap-1' });
    expect(diskSnapshotName(12)).toBe('disk-snap-12');
  });

  it('refuses to act without the pending operation it is for', () => {
    expect(() => diskSnapshotTarget(vm(3), 'CREATE')).toThrow(
      new DriverError('VM 3 has no disk snapshot CREATE pending (pending: none); ask for the disk snapshot operation again'),
    );
    expect(() => diskSnapshotTarget(creating(), 'DELETE')).toThrow('(pending: CREATE of snapshot 1 of disk 2)');
  });

  it('works for reverts and deletes alike', () => {
    const taken = settle(creating().diskSnapshots, 2);
    expect(diskSnapshotTarget({ ...vm(3), diskSnapshots: requestRevert(taken, 2, 0, 3) }, 'REVERT')).toEqual({ diskId: 2, snapshotId: 0, name: 'disk-snap-0' });
    const back = settle(requestRevert(taken, 2, 0, 3), 2);
    expect(diskSnapshotTarget({ ...vm(3), diskSnapshots: requestDelete(back, 2, 1, 3) }, 'DELETE')).toEqual({ diskId: 2, snapshotId: 1, name: 'disk-snap-1' });
  });
});
