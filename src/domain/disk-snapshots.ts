import { ErrorCode, OneError } from './errors.js';
import { checkName } from './names.js';

/** One snapshot of a disk (`<SNAPSHOT>`): DATE in epoch seconds, SIZE in MB. */
export interface DiskSnapshot {
  id: number;
  name: string;
  date: number;
  /** The snapshot this one was taken on top of; -1 when taken on the disk's original state. */
  parent: number;
  children: number[];
  /** The disk runs on top of this snapshot; at most one per tree. */
  active: boolean;
  size: number;
}

export type DiskSnapshotAction = 'CREATE' | 'REVERT' | 'DELETE';

/**
 * The snapshots of one disk (`<SNAPSHOTS>`). Orphans are never allowed, so ALLOW_ORPHANS is always NO and
 * CURRENT_BASE always -1; the XML renders them. `pending` is the driver operation under way, if any.
 */
export interface DiskSnapshotTree {
  diskId: number;
  /** The id the next snapshot gets; ids are never reused while the tree lives. */
  nextSnapshot: number;
  snapshots: DiskSnapshot[];
  pending?: { action: DiskSnapshotAction; snapshotId: number };
}

/** The snapshot tree of disk `diskId`, if it has one. */
export function treeOf(trees: readonly DiskSnapshotTree[], diskId: number): DiskSnapshotTree | undefined {
  return trees.find((t) => t.diskId === diskId);
}

/** The id of the snapshot the disk runs on, or -1 when it runs on its original state. */
export function activeSnapshotId(tree: DiskSnapshotTree | undefined): number {
  return tree?.snapshots.find((s) => s.active)?.id ?? -1;
}

/**
 * The trees with disk `diskId`'s replaced by `tree`, sorted by disk. A tree that never numbered a snapshot
 * goes; one that did stays even when empty, so that an id (and the disk-snap-<id> tag in the disk file) is
 * never given twice.
 */
function putTree(trees: readonly DiskSnapshotTree[], diskId: number, tree: DiskSnapshotTree | undefined): DiskSnapshotTree[] {
  const others = trees.filter((t) => t.diskId !== diskId);
  if (!tree || (tree.snapshots.length === 0 && !tree.pending && tree.nextSnapshot === 0)) return others;
  return [...others, tree].sort((a, b) => a.diskId - b.diskId);
}

/** The tree and snapshot an operation names; refuses a snapshot the disk does not have. */
function existing(trees: readonly DiskSnapshotTree[], diskId: number, snapshotId: number, verb: string, vmId: number) {
  const tree = treeOf(trees, diskId);
  const snapshot = tree?.snapshots.find((s) => s.id === snapshotId);
  if (!tree || !snapshot) {
    throw new OneError(
      ErrorCode.ACTION,
      `Cannot ${verb} snapshot ${snapshotId} of disk ${diskId}: the disk has no such snapshot; onevm show ${vmId} lists its snapshots`,
      vmId,
    );
  }
  return { tree, snapshot };
}

/** checkName's rules, refused as an ACTION error of the VM. */
function checkSnapshotName(name: string, vmId: number): void {
  try {
    checkName(name);
  } catch (e) {
    throw e instanceof OneError ? new OneError(ErrorCode.ACTION, `${e.message} Choose another snapshot name.`, vmId) : e;
  }
}

/** The tree without the pending mark. */
function unmarked(tree: DiskSnapshotTree): DiskSnapshotTree {
  const { pending: _pending, ...rest } = tree;
  return rest;
}

/** The tree with snapshot `id` the active one (and `sizeMb` as its SIZE when given). */
function activate(tree: DiskSnapshotTree, id: number, sizeMb?: number): DiskSnapshotTree {
  const snapshots = tree.snapshots.map((s) => {
    if (s.id === id) return { ...s, active: true, size: sizeMb ?? s.size };
    return s.active ? { ...s, active: false } : s;
  });
  return { ...tree, snapshots };
}

/** The tree without snapshot `id`, and without it among its parent's children. */
function remove(tree: DiskSnapshotTree, id: number): DiskSnapshotTree {
  const snapshots = tree.snapshots
    .filter((s) => s.id !== id)
    .map((s) => (s.children.includes(id) ? { ...s, children: s.children.filter((c) => c !== id) } : s));
  return { ...tree, snapshots };
}

/**
 * Asks for a new snapshot of disk `diskId`, numbered NEXT_SNAPSHOT and taken on top of the active one (its
 * PARENT, which lists it among its CHILDREN). It is listed at once, with SIZE 0 until `settle` gives one, and
 * becomes active only when the driver made it. An empty name becomes `snapshot-<id>`, like system snapshots.
 */
export function requestCreate(
  trees: readonly DiskSnapshotTree[], diskId: number, name: string, now: number, vmId: number,
): { trees: DiskSnapshotTree[]; snapshotId: number } {
  if (name !== '') checkSnapshotName(name, vmId);
  const tree = treeOf(trees, diskId) ?? { diskId, nextSnapshot: 0, snapshots: [] };
  const id = tree.nextSnapshot;
  const parent = activeSnapshotId(tree);
  const snapshot: DiskSnapshot = { id, name: name || `snapshot-${id}`, date: now, parent, children: [], active: false, size: 0 };
  const snapshots = [...tree.snapshots.map((s) => (s.id === parent ? { ...s, children: [...s.children, id] } : s)), snapshot];
  const next: DiskSnapshotTree = { diskId, nextSnapshot: id + 1, snapshots, pending: { action: 'CREATE', snapshotId: id } };
  return { trees: putTree(trees, diskId, next), snapshotId: id };
}

/** Asks to bring disk `diskId` back to snapshot `snapshotId` (the active one too: that drops later changes). */
export function requestRevert(trees: readonly DiskSnapshotTree[], diskId: number, snapshotId: number, vmId: number): DiskSnapshotTree[] {
  const { tree } = existing(trees, diskId, snapshotId, 'revert to', vmId);
  return putTree(trees, diskId, { ...tree, pending: { action: 'REVERT', snapshotId } });
}

/** Asks to delete snapshot `snapshotId` of disk `diskId`; only a leaf the disk does not run on can go. */
export function requestDelete(trees: readonly DiskSnapshotTree[], diskId: number, snapshotId: number, vmId: number): DiskSnapshotTree[] {
  const { tree, snapshot } = existing(trees, diskId, snapshotId, 'delete', vmId);
  const refuse = (why: string) => new OneError(ErrorCode.ACTION, `Cannot delete snapshot ${snapshotId} of disk ${diskId}: ${why}`, vmId);
  if (snapshot.active) throw refuse('it is the active snapshot; revert to another one first');
  if (snapshot.children.length > 0) {
    throw refuse(`snapshots ${snapshot.children.join(', ')} were taken on top of it; delete them first`);
  }
  return putTree(trees, diskId, { ...tree, pending: { action: 'DELETE', snapshotId } });
}

/** Renames snapshot `snapshotId` of disk `diskId` at once: no driver is involved. */
export function rename(
  trees: readonly DiskSnapshotTree[], diskId: number, snapshotId: number, name: string, vmId: number,
): DiskSnapshotTree[] {
  const { tree } = existing(trees, diskId, snapshotId, 'rename', vmId);
  checkSnapshotName(name, vmId);
  const snapshots = tree.snapshots.map((s) => (s.id === snapshotId ? { ...s, name } : s));
  return putTree(trees, diskId, { ...tree, snapshots });
}

/**
 * The pending operation on disk `diskId` succeeded: a created snapshot becomes active (with SIZE `sizeMb`
 * when given), a reverted one becomes active, a deleted one goes. Without a pending operation, nothing changes.
 */
export function settle(trees: readonly DiskSnapshotTree[], diskId: number, sizeMb?: number): DiskSnapshotTree[] {
  const tree = treeOf(trees, diskId);
  if (!tree?.pending) return [...trees];
  const { action, snapshotId } = tree.pending;
  const done = unmarked(tree);
  if (action === 'DELETE') return putTree(trees, diskId, remove(done, snapshotId));
  return putTree(trees, diskId, activate(done, snapshotId, action === 'CREATE' ? sizeMb : undefined));
}

/**
 * The pending operation on disk `diskId` failed: a snapshot being created never existed and goes, its id
 * staying used as in OpenNebula (the tree keeps counting, even when left empty); a revert
 * or delete leaves the tree as it was.
 */
export function abandon(trees: readonly DiskSnapshotTree[], diskId: number): DiskSnapshotTree[] {
  const tree = treeOf(trees, diskId);
  if (!tree?.pending) return [...trees];
  const done = unmarked(tree);
  return putTree(trees, diskId, tree.pending.action === 'CREATE' ? remove(done, tree.pending.snapshotId) : done);
}

/** The trees without disk `diskId`'s: a detached disk takes its snapshots with it. */
export function dropDisk(trees: readonly DiskSnapshotTree[], diskId: number): DiskSnapshotTree[] {
  return putTree(trees, diskId, undefined);
}
