import { describe, expect, it } from 'vitest';
import { getVectors } from '../template/access.js';
import { newVm } from './vm-new.js';
import { abandonDiskOperation, addAttachingDisk, markDetach, markedDisk, markResize, nextDiskId, settleDiskOperation } from './vm-disk-operations.js';
import type { Vm } from './vm.js';

const disks = (v: Vm) => getVectors(v.template, 'DISK');
const OWNER = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };
const withDisks = (): Vm => newVm({
  id: 4, owner: OWNER, hold: false, now: 100, template: [
    { name: 'MEMORY', value: '768' }, { name: 'CPU', value: '1' },
    { name: 'DISK', value: { TARGET: 'vda', SIZE: '100', SOURCE: '/i/a' } },
    { name: 'DISK', value: { TARGET: 'vdb', TYPE: 'CDROM', SOURCE: '/i/b' } },
    { name: 'CONTEXT', value: { DISK_ID: '2', TARGET: 'hda' } },
  ],
});

describe('disk attach, detach and resize marks', () => {
  it('numbers a new disk after every disk and the context CD-ROM, with the next free target', () => {
    expect(nextDiskId(withDisks())).toBe(3);
    const v = addAttachingDisk(withDisks(), { IMAGE_ID: '5', SOURCE: '/i/c' });
    expect(disks(v)[2]).toEqual({ IMAGE_ID: '5', SOURCE: '/i/c', DISK_ID: '3', TARGET: 'vdc', ATTACH: 'YES' });
    expect(markedDisk(v)).toMatchObject({ op: 'attach', disk: { DISK_ID: '3' } });
    expect(addAttachingDisk(withDisks(), { TYPE: 'CDROM' }).template.at(-1)!.value).toMatchObject({ TARGET: 'hdb' });
  });

  it('keeps an attached disk when the driver succeeds and drops it when it fails', () => {
    const v = addAttachingDisk(withDisks(), { IMAGE_ID: '5' });
    expect(disks(settleDiskOperation(v))[2]).toEqual({ IMAGE_ID: '5', DISK_ID: '3', TARGET: 'vdc' });
    expect(disks(abandonDiskOperation(v))).toHaveLength(2);
  });

  it('removes a detached disk on success and keeps it unmarked on failure', () => {
    const v = markDetach(withDisks(), 0);
    expect(markedDisk(v)?.op).toBe('detach');
    expect(disks(settleDiskOperation(v)).map((d) => d.DISK_ID)).toEqual(['1']);
    expect(disks(abandonDiskOperation(v))[0]).toEqual(disks(withDisks())[0]);
  });

  it('refuses to detach a disk the VM has not, or its context CD-ROM', () => {
    expect(() => markDetach(withDisks(), 9)).toThrow(/Cannot detach DISK 9 of VM 4: the VM has no such disk/);
    expect(() => markDetach(withDisks(), 2)).toThrow(/it is the context CD-ROM/);
  });

  it('grows a disk, giving the old size back when the driver fails; never shrinks one', () => {
    const v = markResize(withDisks(), 0, 300);
    expect(disks(v)[0]).toMatchObject({ SIZE: '300', SIZE_PREV: '100', RESIZE: 'YES' });
    expect(disks(settleDiskOperation(v))[0]).toEqual({ ...disks(withDisks())[0], SIZE: '300' });
    expect(disks(abandonDiskOperation(v))[0]).toEqual(disks(withDisks())[0]);
    expect(() => markResize(withDisks(), 0, 50)).toThrow(/a disk can only grow: it has 100 MB/);
    expect(() => markResize(withDisks(), 0, 100)).toThrow(/can only grow/);
    expect(() => markResize(withDisks(), 1, 500)).toThrow(/it is read-only/);
    expect(() => markResize(withDisks(), 0, 1.5)).toThrow(/whole number of MB/);
  });
});
