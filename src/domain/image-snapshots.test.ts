import { describe, expect, it } from 'vitest';
import { requestCreate, requestRevert, settle, type DiskSnapshotTree } from './disk-snapshots.js';
import { newImage, type Image } from './image.js';
import { keepDiskSnapshots, treeFromImage } from './image-snapshots.js';
import { newVm } from './vm-new.js';
import type { Vm } from './vm.js';

const OWNER = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };
const image = (id: number, snapshots?: DiskSnapshotTree): Image => ({
  ...newImage(id, { name: `i${id}`, type: 2, persistent: true, path: '', format: 'qcow2', fsType: '', size: 8, template: [] }, OWNER, { id: 1, name: 'default' }, '/ds/1/x', 0),
  ...(snapshots ? { snapshots } : {}),
});
/** VM 2: disk 0 from image 3 (not persistent), disk 1 from image 5 (persistent). */
const vm = (trees?: DiskSnapshotTree[]): Vm => ({
  ...newVm({
    id: 2, owner: OWNER, hold: false, now: 0,
    template: [
      { name: 'CPU', value: '1' }, { name: 'MEMORY', value: '64' },
      { name: 'DISK', value: { IMAGE_ID: '3', SOURCE: '/ds/1/a' } },
      { name: 'DISK', value: { IMAGE_ID: '5', SOURCE: '/ds/1/b', PERSISTENT: 'YES' } },
    ],
  }),
  ...(trees ? { diskSnapshots: trees } : {}),
});
/** One settled snapshot on each disk. */
const both = () => settle(requestCreate(settle(requestCreate([], 0, 'a', 1, 2).trees, 0, 8), 1, 'b', 2, 2).trees, 1, 8);

describe('keepDiskSnapshots', () => {
  it('gives a persistent image the tree of the disk that used it', () => {
    expect(keepDiskSnapshots(image(5), vm(both())).snapshots).toEqual(both()[1]);
  });

  it('leaves images the VM used without persistence alone', () => {
    expect(keepDiskSnapshots(image(3), vm(both()))).toEqual(image(3));
  });

  it('forgets the image\'s old tree when the disk has no snapshots left', () => {
    expect(keepDiskSnapshots(image(5, both()[1]), vm([both()[0]])).snapshots).toBeUndefined();
  });

  it('counts an operation still pending as not done', () => {
    const pending = requestRevert(both(), 1, 0, 2);
    expect(keepDiskSnapshots(image(5), vm(pending)).snapshots).toEqual(both()[1]);
    const creating = requestCreate([], 1, 'never made', 3, 2).trees;
    // the id it took stays used, so no later snapshot meets a stale tag in the image file
    expect(keepDiskSnapshots(image(5), vm(creating)).snapshots).toEqual({ diskId: 1, nextSnapshot: 1, snapshots: [] });
  });
});

describe('treeFromImage', () => {
  it('hands the image\'s tree to the disk that takes it, under that disk\'s id', () => {
    expect(treeFromImage(both()[1], 4)).toEqual({ ...both()[1], diskId: 4 });
  });

  it('gives nothing for an image that never had snapshots, and the count of one that had', () => {
    expect(treeFromImage(undefined, 0)).toBeUndefined();
    expect(treeFromImage({ diskId: 1, nextSnapshot: 0, snapshots: [] }, 0)).toBeUndefined();
    expect(treeFromImage({ diskId: 1, nextSnapshot: 3, snapshots: [] }, 0)).toEqual({ diskId: 0, nextSnapshot: 3, snapshots: [] });
  });
});
