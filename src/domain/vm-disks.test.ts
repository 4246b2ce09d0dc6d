import { describe, expect, it } from 'vitest';
import { defaultDatastores } from './datastore.js';
import { ErrorCode } from './errors.js';
import { ImageState, ImageType, newImage, withState } from './image.js';
import { acquireImage, assignTargets, diskFromImage, imageIdsOf, imageRefOf, releaseImage } from './vm-disks.js';

const owner = { uid: 0, gid: 0, uname: 'oneadmin', gname: 'oneadmin' };
const image = (over: Partial<ReturnType<typeof newImage>> = {}) => ({
  ...withState(newImage(3, { name: 'deb', type: ImageType.OS, persistent: false, path: '/p', format: 'raw', fsType: '', size: 100, template: [] }, owner, { id: 1, name: 'default' }, '/d/datastores/1/abc', 10), ImageState.READY),
  ...over,
});
const [, imagesDs] = defaultDatastores('/d');
const qcow2Ds = { ...imagesDs!, tmMad: 'qcow2' };
const A = ErrorCode.ALLOCATE;

describe('which image a DISK names', () => {
  it('reads IMAGE_ID, or IMAGE with IMAGE_UNAME or IMAGE_UID; volatile disks name none', () => {
    expect(imageRefOf({ IMAGE_ID: '4' }, A)).toEqual({ id: 4 });
    expect(imageRefOf({ IMAGE: 'deb', IMAGE_UNAME: 'alice' }, A)).toEqual({ name: 'deb', uname: 'alice' });
    expect(imageRefOf({ IMAGE: 'deb', IMAGE_UID: '2' }, A)).toEqual({ name: 'deb', uid: 2 });
    expect(imageRefOf({ IMAGE: 'deb' }, A)).toEqual({ name: 'deb' });
    expect(imageRefOf({ TYPE: 'fs', SIZE: '10' }, A)).toBeUndefined();
  });

  it('refuses a disk that names no image, or a bad id, saying what to write', () => {
    expect(() => imageRefOf({ DISK_ID: '0', SIZE: '10' }, A)).toThrow(/DISK 0 names no image: give IMAGE_ID/);
    expect(() => imageRefOf({ DISK_ID: '1', IMAGE_ID: 'x' }, A)).toThrow(/DISK 1 has IMAGE_ID "x" which is not an image id/);
    expect(() => imageRefOf({ IMAGE: 'a', IMAGE_UID: '-3' }, A)).toThrow(/IMAGE_UID "-3"/);
  });
});

describe('taking and giving back images', () => {
  it('a READY image becomes USED and counts each VM; it is READY again when the last lets go', () => {
    const one = acquireImage(image(), 10, A);
    expect([one.state, one.runningVms, one.vms]).toEqual([ImageState.USED, 1, [10]]);
    const two = acquireImage(one, 11, A);
    expect([two.state, two.runningVms, two.vms]).toEqual([ImageState.USED, 2, [10, 11]]);
    const back = releaseImage(releaseImage(two, 10), 11);
    expect([back.state, back.runningVms, back.vms]).toEqual([ImageState.READY, 0, []]);
  });

  it('a persistent image serves one VM only', () => {
    const taken = acquireImage(image({ persistent: true }), 10, A);
    expect(taken.state).toBe(ImageState.USED_PERS);
    expect(() => acquireImage(taken, 11, A)).toThrow(/persistent and another VM uses it/);
  });

  it('takes a clone still being copied only for a VM instantiated to persistent, and leaves it LOCKED', () => {
    const copying = image({ state: ImageState.LOCKED, cloningId: 2, persistent: true });
    expect(() => acquireImage(copying, 10, A)).toThrow(/still being copied/);
    const taken = acquireImage(copying, 10, A, true);
    expect([taken.state, taken.runningVms, taken.vms]).toEqual([ImageState.LOCKED, 1, [10]]);
    expect(() => acquireImage(image({ state: ImageState.LOCKED }), 10, A, true)).toThrow(/still being copied/);
  });

  it('counts a VM that has the same image twice, and lets both disks go at once', () => {
    const twice = acquireImage(acquireImage(image(), 10, A), 10, A);
    expect([twice.runningVms, twice.vms]).toEqual([2, [10]]);
    expect(releaseImage(twice, 10, 2).state).toBe(ImageState.READY);
    expect(releaseImage(twice, 99)).toBe(twice);
  });

  it('refuses disabled, locked, failed and non-disk images with the code given', () => {
    for (const [state, why] of [[ImageState.DISABLED, /disabled/], [ImageState.LOCKED, /still being copied/], [ImageState.ERROR, /ERROR/]] as const) {
      try {
        acquireImage(image({ state }), 1, ErrorCode.ACTION);
        expect.unreachable();
      } catch (e) {
        expect((e as { code: number }).code).toBe(ErrorCode.ACTION);
        expect((e as Error).message).toMatch(why);
      }
    }
    expect(() => acquireImage(image({ type: ImageType.KERNEL }), 1, A)).toThrow(/only OS, CDROM and DATABLOCK/);
  });
});

describe('a DISK filled in from its image', () => {
  it('carries where the file is and how the host gets it', () => {
    const d = diskFromImage({ IMAGE_ID: '3', DISK_ID: '0' }, image(), imagesDs!, A);
    expect(d).toMatchObject({
      IMAGE: 'deb', IMAGE_ID: '3', IMAGE_UNAME: 'oneadmin', DATASTORE: 'default', DATASTORE_ID: '1', SOURCE: '/d/datastores/1/abc',
      TM_MAD: 'ssh', CLONE: 'YES', SAVE: 'NO', TYPE: 'FILE', FORMAT: 'raw', DRIVER: 'raw', SIZE: '100', ORIGINAL_SIZE: '100', READONLY: 'NO',
    });
    expect(d.PERSISTENT).toBeUndefined();
  });

  it('opens a cloned disk on a qcow2 datastore as a qcow2 overlay, a persistent one as the image', () => {
    expect(diskFromImage({}, image(), qcow2Ds, A).DRIVER).toBe('qcow2');
    expect(diskFromImage({}, image({ persistent: true }), qcow2Ds, A)).toMatchObject({ DRIVER: 'raw', CLONE: 'NO', SAVE: 'YES', PERSISTENT: 'YES' });
  });

  it('makes CD-ROM images read-only CDROM disks that are never saved', () => {
    expect(diskFromImage({}, image({ type: ImageType.CDROM, persistent: true }), qcow2Ds, A)).toMatchObject({ TYPE: 'CDROM', READONLY: 'YES', SAVE: 'NO', DRIVER: 'raw' });
  });

  it('grows the disk to a larger SIZE and refuses a smaller one', () => {
    expect(diskFromImage({ SIZE: '300' }, image(), imagesDs!, A)).toMatchObject({ SIZE: '300', ORIGINAL_SIZE: '100' });
    expect(() => diskFromImage({ SIZE: '50' }, image(), imagesDs!, A)).toThrow(/DISK SIZE 50 MB is smaller than image \[3\] \(100 MB\)/);
    expect(() => diskFromImage({ SIZE: '1.5' }, image(), imagesDs!, A)).toThrow(/not a whole number/);
    expect(() => diskFromImage({}, image({ format: 'vmdk' }), imagesDs!, A)).toThrow(/raw or qcow2/);
  });
});

describe('disk targets', () => {
  it('gives the next free device of each prefix, keeping targets set by hand', () => {
    const out = assignTargets([{}, { TARGET: 'vdb' }, { TYPE: 'CDROM' }, {}, { DEV_PREFIX: 'sd' }]);
    expect(out.map((d) => d.TARGET)).toEqual(['vda', 'vdb', 'hda', 'vdc', 'sda']);
  });

  it('lists the images a VM holds, once per disk', () => {
    expect(imageIdsOf([{ IMAGE_ID: '3', SOURCE: 's' }, { TYPE: 'fs' }, { IMAGE_ID: '3', SOURCE: 's' }])).toEqual([3, 3]);
  });
});
