import { describe, expect, it } from 'vitest';
import type { TemplateVector } from '../template/types.js';
import { snapshotableDisk } from './disk-snapshot-rules.js';
import { ErrorCode, OneError } from './errors.js';
import { newVm } from './vm-new.js';

const OWNER = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };
const DISKS: TemplateVector[] = [
  { IMAGE_ID: '1', SOURCE: '/ds/1/a', TYPE: 'FILE', FORMAT: 'raw', DRIVER: 'qcow2' },
  { IMAGE_ID: '2', SOURCE: '/ds/1/b', TYPE: 'FILE', FORMAT: 'raw', DRIVER: 'raw' },
  { TYPE: 'fs', SIZE: '16', FORMAT: 'qcow2' },
  { IMAGE_ID: '3', SOURCE: '/ds/1/c', TYPE: 'CDROM', FORMAT: 'qcow2', DRIVER: 'qcow2' },
  { IMAGE_ID: '4', SOURCE: '/ds/1/d', FORMAT: 'qcow2' },
];
const vm = newVm({
  id: 6, owner: OWNER, hold: false, now: 0,
  template: [{ name: 'CPU', value: '1' }, { name: 'MEMORY', value: '64' }, ...DISKS.map((value) => ({ name: 'DISK', value }))],
});

/** The ACTION refusal of disk `diskId`. */
function refusal(diskId: number): OneError {
  try {
    snapshotableDisk(vm, diskId);
  } catch (e) {
    if (e instanceof OneError) return e;
    throw e;
  }
  throw new Error(`disk ${diskId} was not refused`);
}

describe('snapshotableDisk', () => {
  it('gives a disk from an image that the host opens as qcow2', () => {
    expect(snapshotableDisk(vm, 0)).toMatchObject({ DISK_ID: '0', DRIVER: 'qcow2' });
    expect(snapshotableDisk(vm, 4)).toMatchObject({ DISK_ID: '4', FORMAT: 'qcow2' });
  });

  it.each([
    [1, 'Cannot snapshot disk 1 of VM 6: the host opens it as raw, and disk snapshots live inside qcow2 files; use an image in a qcow2 datastore (TM_MAD = "qcow2"), or a qcow2 image (FORMAT = "qcow2").'],
    [2, 'Cannot snapshot disk 2 of VM 6: it is a volatile disk (TYPE fs), which has no snapshots; keep data you want to snapshot on a DATABLOCK image.'],
    [3, 'Cannot snapshot disk 3 of VM 6: it is a CD-ROM, which is read-only and has no snapshots.'],
    [9, 'Cannot snapshot disk 9 of VM 6: the VM has no such disk; onevm show 6 lists its disks (VM DISKS).'],
  ])('refuses disk %i with ACTION, saying why and what to use', (diskId, message) => {
    const e = refusal(diskId);
    expect([e.code, e.message, e.objectId]).toEqual([ErrorCode.ACTION, message, 6]);
  });
});
