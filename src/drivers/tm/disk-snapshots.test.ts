import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestCreate, requestDelete, requestRevert, settle, type DiskSnapshotTree } from '../../domain/disk-snapshots.js';
import { vm } from '../test-fixtures.js';
import { LocalTransport } from '../transport/local.js';
import { snapshotDiskFile, snapshotTags } from './disk-snapshots.js';

describe('snapshotTags', () => {
  it('reads the tags qemu-img info lists, spaces and all', () => {
    const info = JSON.stringify({ format: 'qcow2', snapshots: [{ id: '1', name: 'disk-snap-0' }, { id: '2', name: 'a b' }] });
    expect(snapshotTags(info)).toEqual(['disk-snap-0', 'a b']);
    expect(snapshotTags('{"format":"qcow2"}')).toEqual([]);
  });
});

const hasQemuImg = spawnSync('qemu-img', ['--version']).status === 0;

// The real qemu-img on a real qcow2 file, through the local transport, as on a host.
describe.skipIf(!hasQemuImg)('snapshotDiskFile', () => {
  let dir: string;
  const t = new LocalTransport();
  const file = () => join(dir, 'disk.1');
  const tags = () => snapshotTags(execFileSync('qemu-img', ['info', '--output=json', file()]).toString());
  /** Bytes at the start of the disk. */
  const head = () => execFileSync('qemu-io', ['-c', 'read -v 0 8', file()]).toString();
  const write = (pattern: number) => execFileSync('qemu-io', ['-c', `write -P ${pattern} 0 8`, file()]);
  const withTrees = (diskSnapshots: DiskSnapshotTree[]) => ({ ...vm(5), diskSnapshots });
  /** Disk 1 with snapshot 0 settled. */
  const taken = () => settle(requestCreate([], 1, 'a', 1, 5).trees, 1, 8);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-snap-'));
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file(), '8M']);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the snapshot in the file, and a retry finds it made', async () => {
    const creating = withTrees(requestCreate([], 1, 'a', 1, 5).trees);
    await snapshotDiskFile(t, dir, creating, 'CREATE');
    await snapshotDiskFile(t, dir, creating, 'CREATE');
    expect(tags()).toEqual(['disk-snap-0']);
  });

  it('reverts the file to the snapshot', async () => {
    write(0x11);
    await snapshotDiskFile(t, dir, withTrees(requestCreate([], 1, 'a', 1, 5).trees), 'CREATE');
    write(0x22);
    await snapshotDiskFile(t, dir, withTrees(requestRevert(taken(), 1, 0, 5)), 'REVERT');
    expect(head()).toContain('11 11 11 11');
  });

  it('refuses to revert to a snapshot the file does not have', async () => {
    await expect(snapshotDiskFile(t, dir, withTrees(requestRevert(taken(), 1, 0, 5)), 'REVERT')).rejects.toThrow(
      `disk 1 of VM 5 (${file()} on localhost) has no snapshot disk-snap-0 to revert to; it has none`,
    );
  });

  it('deletes the snapshot, and one already gone is deleted', async () => {
    const two = settle(requestCreate(taken(), 1, 'b', 2, 5).trees, 1, 8);
    const deleting = withTrees(requestDelete(settle(requestRevert(two, 1, 0, 5), 1), 1, 1, 5));
    execFileSync('qemu-img', ['snapshot', '-c', 'disk-snap-0', file()]);
    execFileSync('qemu-img', ['snapshot', '-c', 'disk-snap-1', file()]);
    await snapshotDiskFile(t, dir, deleting, 'DELETE');
    await snapshotDiskFile(t, dir, deleting, 'DELETE');
    expect(tags()).toEqual(['disk-snap-0']);
  });

  it('works on nothing but the pending operation it is for', async () => {
    await expect(snapshotDiskFile(t, dir, withTrees(taken()), 'CREATE')).rejects.toThrow('VM 5 has no disk snapshot CREATE pending');
    expect(tags()).toEqual([]);
  });
});
