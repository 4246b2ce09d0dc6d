import { getVectors } from '../template/access.js';
import { abandon, treeOf, type DiskSnapshotTree } from './disk-snapshots.js';
import type { Image } from './image.js';
import type { Vm } from './vm.js';

// A persistent image is the disk itself (its qcow2 file holds the internal snapshots), so its snapshot tree
// moves with it: onto the image when the VM is done, back onto the disk of the next VM that takes it.

/** The snapshots disk `diskId` starts with when a VM takes a persistent image: the image's tree, if any. */
export function treeFromImage(tree: DiskSnapshotTree | undefined, diskId: number): DiskSnapshotTree | undefined {
  if (!tree || (tree.snapshots.length === 0 && tree.nextSnapshot === 0)) return undefined;
  const { pending: _pending, ...rest } = tree;
  return { ...rest, diskId };
}

/**
 * The image once VM `vm` is done: a persistent image gets the tree of the VM's disk using it (an operation
 * still pending counts as not done), or loses its tree if the disk has none left. Other images are unchanged.
 */
export function keepDiskSnapshots(img: Image, vm: Vm): Image {
  const disk = getVectors(vm.template, 'DISK').find((d) => d.PERSISTENT === 'YES' && d.IMAGE_ID !== undefined && Number(d.IMAGE_ID) === img.id);
  if (!disk) return img;
  const diskId = Number(disk.DISK_ID);
  const tree = treeOf(abandon(vm.diskSnapshots ?? [], diskId), diskId);
  const { snapshots: _old, ...rest } = img;
  return tree ? { ...rest, snapshots: tree } : rest;
}
