import { describe, expect, it } from 'vitest';
import { getVectors } from '../template/access.js';
import { clearSaveAs, diskToSave, isBeingSaved, markSaveAs, saveAsImageSpec, savingDisk } from './disk-saveas.js';
import { requestCreate, settle } from './disk-snapshots.js';
import { ErrorCode } from './errors.js';
import { ImageState, ImageType, newImage, withState } from './image.js';
import { newVm } from './vm-new.js';
import type { Vm } from './vm.js';

const OWNER = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };
const IMAGE_DISK = { IMAGE_ID: '3', IMAGE: 'deb', SOURCE: '/d/1/abc', FORMAT: 'qcow2', SIZE: '512', TYPE: 'FILE' };

/** VM 7 with DISK 0 from image 3 and volatile DISK 1. */
function vm(): Vm {
  const template = [
    { name: 'MEMORY', value: '64' }, { name: 'CPU', value: '1' },
    { name: 'DISK', value: { ...IMAGE_DISK } }, { name: 'DISK', value: { TYPE: 'fs', SIZE: '10' } },
  ];
  return newVm({ id: 7, template, owner: OWNER, hold: false, now: 0 });
}

const source = withState(
  newImage(3, { name: 'deb', type: ImageType.OS, persistent: false, path: '', format: 'qcow2', fsType: 'ext4', size: 256, template: [{ name: 'DEV_PREFIX', value: 'vd' }, { name: 'DESCRIPTION', value: 'x' }] },
    OWNER, { id: 1, name: 'default' }, '/d/1/abc', 0),
  ImageState.USED,
);

describe('diskToSave', () => {
  it('gives the disk from an image', () => {
    expect(diskToSave(vm(), 0, -1)).toMatchObject({ DISK_ID: '0', IMAGE_ID: '3' });
  });

  it.each<[string, number, number, RegExp]>([
    ['a disk the VM has not', 5, -1, /Cannot save DISK 5 of VM 7: the VM has no such disk; onevm show 7 lists its disks/],
    ['a volatile disk, saying why', 1, -1, /Cannot save DISK 1 of VM 7: it is a volatile disk \(TYPE "fs"\), created empty on the host with no image behind it/],
    ['a snapshot the disk has not', 0, 0, /the disk has no snapshot 0; give one onevm show 7 lists, or -1/],
    ['a snapshot id below -1', 0, -2, /the disk has no snapshot -2/],
  ])('refuses %s with ACTION', (_, disk, snap, message) => {
    expect(() => diskToSave(vm(), disk, snap)).toThrow(expect.objectContaining({ code: ErrorCode.ACTION, objectId: 7, message: expect.stringMatching(message) }));
  });

  it('takes a snapshot the disk has', () => {
    const withSnap = { ...vm(), diskSnapshots: settle(requestCreate([], 0, 's', 1, 7).trees, 0) };
    expect(diskToSave(withSnap, 0, 0).DISK_ID).toBe('0');
  });
});

describe('saveAsImageSpec', () => {
  it('is a non-persistent image of the disk\'s format, size and image type, remembering where it came from', () => {
    const disk = diskToSave(vm(), 0, -1);
    expect(saveAsImageSpec(vm(), disk, source, 'copy', '')).toEqual({
      name: 'copy', type: ImageType.OS, persistent: false, path: '', format: 'qcow2', fsType: 'ext4', size: 512,
      template: [
        { name: 'SAVED_IMAGE_ID', value: '3' }, { name: 'SAVED_DISK_ID', value: '0' }, { name: 'SAVED_VM_ID', value: '7' },
        { name: 'DEV_PREFIX', value: 'vd' },
      ],
    });
  });

  it('takes the type asked for, and refuses one a disk cannot be with ALLOCATE', () => {
    const disk = diskToSave(vm(), 0, -1);
    expect(saveAsImageSpec(vm(), disk, source, 'copy', 'datablock').type).toBe(ImageType.DATABLOCK);
    for (const type of ['KERNEL', 'nonsense']) {
      expect(() => saveAsImageSpec(vm(), disk, source, 'copy', type)).toThrow(expect.objectContaining({ code: ErrorCode.ALLOCATE, message: expect.stringContaining(`Invalid TYPE "${type}"`) }));
    }
  });
});

describe('the save-as marks', () => {
  it('are set on the disk being saved, found, and cleared without touching the rest', () => {
    const marked = markSaveAs(vm(), 0, { id: 12, source: '/d/1/new' }, -1);
    expect(savingDisk(marked)).toEqual({
      ...IMAGE_DISK, DISK_ID: '0', HOTPLUG_SAVE_AS: '12', HOTPLUG_SAVE_AS_ACTIVE: 'YES', HOTPLUG_SAVE_AS_SNAPSHOT_ID: '-1', HOTPLUG_SAVE_AS_SOURCE: '/d/1/new',
    });
    expect(getVectors(marked.template, 'DISK')[1]).toEqual(getVectors(vm().template, 'DISK')[1]);
    expect(clearSaveAs(marked)).toEqual(vm());
    expect(savingDisk(vm())).toBeUndefined();
    expect(clearSaveAs(vm())).toEqual(vm());
  });
});

describe('isBeingSaved', () => {
  it('is true for a LOCKED image made by disk-saveas only', () => {
    const saved = { ...source, template: [{ name: 'SAVED_VM_ID', value: '7' }] };
    expect(isBeingSaved(withState(saved, ImageState.LOCKED))).toBe(true);
    expect(isBeingSaved(withState(saved, ImageState.READY))).toBe(false);
    expect(isBeingSaved(withState(source, ImageState.LOCKED))).toBe(false);
  });
});
