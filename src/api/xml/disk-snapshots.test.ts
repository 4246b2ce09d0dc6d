import { describe, expect, it } from 'vitest';
import { newImage } from '../../domain/image.js';
import type { DiskSnapshotTree } from '../../domain/disk-snapshots.js';
import { diskSnapshotsXml, imageSnapshotsXml } from './disk-snapshots.js';
import { imageToXml } from './image.js';
import { sampleVm, xsdErrors } from './test-fixtures.js';
import { vmToXml } from './vm.js';

/** Disk 0: 0 <- 1 (active) and 0 <- 2 being created; disk 1: one active snapshot. */
const trees: DiskSnapshotTree[] = [
  {
    diskId: 0, nextSnapshot: 3, pending: { action: 'CREATE', snapshotId: 2 },
    snapshots: [
      { id: 0, name: 'base & co', date: 1700000500, parent: -1, children: [1, 2], active: false, size: 2048 },
      { id: 1, name: 'snapshot-1', date: 1700000600, parent: 0, children: [], active: true, size: 1024.4 },
      { id: 2, name: 'snapshot-2', date: 1700000700, parent: 0, children: [], active: false, size: 0 },
    ],
  },
  { diskId: 1, nextSnapshot: 1, snapshots: [{ id: 0, name: 'data', date: 1700000800, parent: -1, children: [], active: true, size: 512 }] },
];

describe('diskSnapshotsXml', () => {
  it('renders one SNAPSHOTS per disk in vm.xsd order, ACTIVE before CHILDREN', () => {
    const xml = diskSnapshotsXml(trees);
    expect(xml.match(/<SNAPSHOTS>/g)).toHaveLength(2);
    expect(xml).toContain(
      '<SNAPSHOTS><ALLOW_ORPHANS>NO</ALLOW_ORPHANS><CURRENT_BASE>-1</CURRENT_BASE><DISK_ID>0</DISK_ID><NEXT_SNAPSHOT>3</NEXT_SNAPSHOT>' +
        '<SNAPSHOT><CHILDREN>1,2</CHILDREN><DATE>1700000500</DATE><ID>0</ID><NAME>base &amp; co</NAME><PARENT>-1</PARENT><SIZE>2048</SIZE></SNAPSHOT>' +
        '<SNAPSHOT><ACTIVE>YES</ACTIVE><DATE>1700000600</DATE><ID>1</ID><NAME>snapshot-1</NAME><PARENT>0</PARENT><SIZE>1024</SIZE></SNAPSHOT>',
    );
    expect(xml).toContain('<DISK_ID>1</DISK_ID><NEXT_SNAPSHOT>1</NEXT_SNAPSHOT><SNAPSHOT><ACTIVE>YES</ACTIVE><DATE>');
  });

  it('renders nothing for a VM without snapshots', () => {
    expect(diskSnapshotsXml([])).toBe('');
  });

  it('puts them in a valid vm.xsd document, between HISTORY_RECORDS and BACKUPS', () => {
    const doc = vmToXml({ ...sampleVm(), diskSnapshots: trees });
    expect(xsdErrors('vm', doc)).toBeUndefined();
    expect(doc).toMatch(/<\/HISTORY_RECORDS><SNAPSHOTS>.*<\/SNAPSHOTS><BACKUPS>/);
  });
});

describe('imageSnapshotsXml', () => {
  it('renders the empty tree of an image without snapshots', () => {
    expect(imageSnapshotsXml(undefined)).toBe(
      '<SNAPSHOTS><ALLOW_ORPHANS>NO</ALLOW_ORPHANS><CURRENT_BASE>-1</CURRENT_BASE><NEXT_SNAPSHOT>0</NEXT_SNAPSHOT></SNAPSHOTS>',
    );
  });

  it('renders image.xsd order: no DISK_ID, CHILDREN before ACTIVE', () => {
    const xml = imageSnapshotsXml({ ...trees[0], snapshots: [{ ...trees[0].snapshots[0], active: true }] });
    expect(xml).toBe(
      '<SNAPSHOTS><ALLOW_ORPHANS>NO</ALLOW_ORPHANS><CURRENT_BASE>-1</CURRENT_BASE><NEXT_SNAPSHOT>3</NEXT_SNAPSHOT>' +
        '<SNAPSHOT><CHILDREN>1,2</CHILDREN><ACTIVE>YES</ACTIVE><DATE>1700000500</DATE><ID>0</ID><NAME>base &amp; co</NAME><PARENT>-1</PARENT><SIZE>2048</SIZE></SNAPSHOT>' +
        '</SNAPSHOTS>',
    );
  });

  it('puts them in a valid image.xsd document', () => {
    const spec = { name: 'disk', type: 0, persistent: true, path: '', format: 'qcow2', fsType: '', size: 2048, template: [] };
    const img = newImage(5, spec, { uid: 0, gid: 0, uname: 'oneadmin', gname: 'oneadmin' }, { id: 1, name: 'default' }, '/ds/1/x', 10);
    const doc = imageToXml({ ...img, snapshots: trees[0] });
    expect(xsdErrors('image', doc)).toBeUndefined();
    expect(doc.match(/<SNAPSHOT>/g)).toHaveLength(3);
  });
});
