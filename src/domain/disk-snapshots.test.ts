import { describe, expect, it } from 'vitest';
import {
  abandon, activeSnapshotId, dropDisk, rename, requestCreate, requestDelete, requestRevert, settle, treeOf,
  type DiskSnapshotTree,
} from './disk-snapshots.js';
import { ErrorCode, OneError } from './errors.js';

const VM = 9;

/** Creates and settles a snapshot of `diskId`, with a size of 10 MB per snapshot id. */
function taken(trees: DiskSnapshotTree[], diskId: number, name = ''): DiskSnapshotTree[] {
  const r = requestCreate(trees, diskId, name, 100, VM);
  return settle(r.trees, diskId, 10 * (r.snapshotId + 1));
}

/** Disk 0 with snapshots 0 <- 1 <- 2, the disk running on 2. */
function chain(): DiskSnapshotTree[] {
  return taken(taken(taken([], 0, 'base'), 0), 0);
}

/** What `f` throws, for checking code, VM id and message. */
function refusal(f: () => unknown): OneError {
  try {
    f();
  } catch (e) {
    if (e instanceof OneError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('requestCreate', () => {
  it('starts a tree at id 0 on the original state, listed but not active until settled', () => {
    const { trees, snapshotId } = requestCreate([], 1, 'first', 500, VM);
    expect(snapshotId).toBe(0);
    expect(trees).toEqual([{
      diskId: 1, nextSnapshot: 1, pending: { action: 'CREATE', snapshotId: 0 },
      snapshots: [{ id: 0, name: 'first', date: 500, parent: -1, children: [], active: false, size: 0 }],
    }]);
    expect(activeSnapshotId(trees[0])).toBe(-1);
  });

  it('takes the next one on top of the active snapshot, which lists it among its children', () => {
    const { trees, snapshotId } = requestCreate(chain(), 0, 'more', 900, VM);
    expect(snapshotId).toBe(3);
    const tree = treeOf(trees, 0)!;
    expect(tree.snapshots.find((s) => s.id === 2)).toMatchObject({ children: [3], active: true });
    expect(tree.snapshots.find((s) => s.id === 3)).toMatchObject({ parent: 2, active: false });
    expect(tree.nextSnapshot).toBe(4);
  });

  it('names an unnamed snapshot snapshot-<id>', () => {
    expect(treeOf(chain(), 0)!.snapshots.map((s) => s.name)).toEqual(['base', 'snapshot-1', 'snapshot-2']);
  });

  it('refuses a name other names could not have, changing nothing', () => {
    const before = chain();
    const e = refusal(() => requestCreate(before, 0, 'a/b', 1, VM));
    expect(e.code).toBe(ErrorCode.ACTION);
    expect(e.objectId).toBe(VM);
    expect(e.message).toMatch(/Invalid NAME "a\/b".*snapshot name/);
    expect(before).toEqual(chain());
  });

  it('keeps trees sorted by disk and leaves the other disks alone', () => {
    const trees = taken(taken(taken([], 2), 0), 1);
    expect(trees.map((t) => t.diskId)).toEqual([0, 1, 2]);
    expect(treeOf(trees, 2)!.snapshots).toHaveLength(1);
  });
});

describe('settle', () => {
  it('makes a created snapshot active with the size given, and the former one inactive', () => {
    const tree = treeOf(chain(), 0)!;
    expect(tree.pending).toBeUndefined();
    expect(tree.snapshots.map((s) => [s.id, s.parent, s.children, s.active, s.size])).toEqual([
      [0, -1, [1], false, 10], [1, 0, [2], false, 20], [2, 1, [], true, 30],
    ]);
    expect(activeSnapshotId(tree)).toBe(2);
  });

  it('keeps SIZE 0 when no size is given', () => {
    const trees = settle(requestCreate([], 0, '', 1, VM).trees, 0);
    expect(treeOf(trees, 0)!.snapshots[0]).toMatchObject({ active: true, size: 0 });
  });

  it('makes a reverted snapshot active, so the next one branches from it', () => {
    let trees = settle(requestRevert(chain(), 0, 0, VM), 0, 999);
    expect(activeSnapshotId(treeOf(trees, 0))).toBe(0);
    expect(treeOf(trees, 0)!.snapshots[0].size).toBe(10);
    trees = taken(trees, 0);
    expect(treeOf(trees, 0)!.snapshots.find((s) => s.id === 0)!.children).toEqual([1, 3]);
    expect(treeOf(trees, 0)!.snapshots.find((s) => s.id === 3)!.parent).toBe(0);
  });

  it('removes a deleted snapshot from the tree and from its parent\'s children', () => {
    const trees = settle(requestDelete(settle(requestRevert(chain(), 0, 1, VM), 0), 0, 2, VM), 0);
    const tree = treeOf(trees, 0)!;
    expect(tree.snapshots.map((s) => s.id)).toEqual([0, 1]);
    expect(tree.snapshots[1].children).toEqual([]);
    expect(tree.nextSnapshot).toBe(3);
  });

  it('changes nothing without a pending operation', () => {
    expect(settle(chain(), 0, 5)).toEqual(chain());
    expect(settle(chain(), 4)).toEqual(chain());
  });
});

describe('abandon', () => {
  it('forgets a snapshot whose creation failed, keeping its id used', () => {
    const trees = abandon(requestCreate(chain(), 0, 'x', 1, VM).trees, 0);
    const tree = treeOf(trees, 0)!;
    expect(tree.snapshots).toEqual(treeOf(chain(), 0)!.snapshots);
    expect(tree.pending).toBeUndefined();
    expect(tree.nextSnapshot).toBe(4);
  });

  it('keeps counting in a tree a failed first creation leaves empty: id 0 is never given again', () => {
    expect(abandon(requestCreate(chain(), 1, '', 1, VM).trees, 1)).toEqual([...chain(), { diskId: 1, nextSnapshot: 1, snapshots: [] }]);
    expect(requestCreate(abandon(requestCreate(chain(), 1, '', 1, VM).trees, 1), 1, '', 2, VM).snapshotId).toBe(1);
  });

  it('leaves the tree as it was after a failed revert or delete', () => {
    const reverted = settle(requestRevert(chain(), 0, 1, VM), 0);
    expect(abandon(requestRevert(chain(), 0, 0, VM), 0)).toEqual(chain());
    expect(abandon(requestDelete(reverted, 0, 2, VM), 0)).toEqual(reverted);
  });

  it('changes nothing without a pending operation', () => {
    expect(abandon(chain(), 0)).toEqual(chain());
  });
});

describe('requestRevert', () => {
  it('marks the tree, the active snapshot included', () => {
    expect(treeOf(requestRevert(chain(), 0, 2, VM), 0)!.pending).toEqual({ action: 'REVERT', snapshotId: 2 });
    expect(activeSnapshotId(treeOf(requestRevert(chain(), 0, 0, VM), 0))).toBe(2);
  });

  it('refuses a snapshot or a disk that does not exist', () => {
    for (const [disk, snap] of [[0, 7], [3, 0]]) {
      const e = refusal(() => requestRevert(chain(), disk, snap, VM));
      expect(e.code).toBe(ErrorCode.ACTION);
      expect(e.objectId).toBe(VM);
      expect(e.message).toBe(`Cannot revert to snapshot ${snap} of disk ${disk}: the disk has no such snapshot; onevm show ${VM} lists its snapshots`);
    }
  });
});

describe('requestDelete', () => {
  it('marks an inactive leaf', () => {
    const reverted = settle(requestRevert(chain(), 0, 1, VM), 0);
    expect(treeOf(requestDelete(reverted, 0, 2, VM), 0)!.pending).toEqual({ action: 'DELETE', snapshotId: 2 });
  });

  it('refuses the active snapshot', () => {
    const e = refusal(() => requestDelete(chain(), 0, 2, VM));
    expect([e.code, e.objectId]).toEqual([ErrorCode.ACTION, VM]);
    expect(e.message).toBe('Cannot delete snapshot 2 of disk 0: it is the active snapshot; revert to another one first');
  });

  it('refuses a snapshot with children', () => {
    const branched = taken(settle(requestRevert(chain(), 0, 0, VM), 0), 0);
    const e = refusal(() => requestDelete(branched, 0, 0, VM));
    expect([e.code, e.objectId]).toEqual([ErrorCode.ACTION, VM]);
    expect(e.message).toBe('Cannot delete snapshot 0 of disk 0: snapshots 1, 3 were taken on top of it; delete them first');
  });

  it('refuses a snapshot that does not exist', () => {
    expect(refusal(() => requestDelete(chain(), 0, 5, VM)).message).toMatch(/^Cannot delete snapshot 5 of disk 0: the disk has no such snapshot/);
  });
});

describe('rename', () => {
  it('renames at once, leaving the rest of the tree as it was', () => {
    const tree = treeOf(rename(chain(), 0, 1, 'before upgrade', VM), 0)!;
    expect(tree.snapshots.map((s) => s.name)).toEqual(['base', 'before upgrade', 'snapshot-2']);
    expect(tree.pending).toBeUndefined();
  });

  it('refuses a snapshot that does not exist, an empty name and a forbidden one', () => {
    expect(refusal(() => rename(chain(), 0, 5, 'x', VM)).message).toMatch(/^Cannot rename snapshot 5 of disk 0: the disk has no such snapshot/);
    for (const name of ['', 'a"b', 'x'.repeat(129)]) {
      const e = refusal(() => rename(chain(), 0, 1, name, VM));
      expect([e.code, e.objectId]).toEqual([ErrorCode.ACTION, VM]);
      expect(e.message).toMatch(/^Invalid NAME.*Choose another snapshot name\.$/);
    }
  });
});

describe('dropDisk', () => {
  it('removes the detached disk\'s tree only', () => {
    const trees = taken(chain(), 1);
    expect(dropDisk(trees, 1)).toEqual(chain());
    expect(dropDisk(trees, 5)).toEqual(trees);
  });
});

describe('immutability', () => {
  it('never changes the trees it is given', () => {
    const before = chain();
    const frozen = structuredClone(before);
    requestCreate(before, 0, 'x', 1, VM);
    settle(requestRevert(before, 0, 0, VM), 0);
    rename(before, 0, 0, 'y', VM);
    dropDisk(before, 0);
    expect(before).toEqual(frozen);
  });
});
