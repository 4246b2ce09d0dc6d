import { afterEach, describe, expect, it } from 'vitest';
import type { DiskSnapshotTarget } from '../disk-snapshot-target.js';
import { DriverError } from '../types.js';
import { deleteDiskSnapshot, takeDiskSnapshot } from './disk-snapshots.js';
import { QmpConnection } from './qmp/connection.js';
import { FakeQmpServer } from './qmp/fake-server.js';

const TARGET: DiskSnapshotTarget = { diskId: 1, snapshotId: 0, name: 'disk-snap-0' };
const WHERE = 'one-7 on host1';

let server: FakeQmpServer;
afterEach(() => server.close());

/** A QEMU whose drive-disk1 holds the internal snapshots in `tags`, which the two commands change. */
async function qemuWith(tags: string[]): Promise<QmpConnection> {
  server = new FakeQmpServer();
  server.answer('query-block', () => ({
    return: [{ device: 'drive-disk1', removable: false, inserted: { file: '/d/disk.1', drv: 'qcow2', ro: false, image: { snapshots: tags.map((name, i) => ({ id: String(i + 1), name })) } } }],
  }));
  server.answer('blockdev-snapshot-internal-sync', (call) => {
    tags.push(String(call.args?.name));
    return {};
  });
  server.answer('blockdev-snapshot-delete-internal-sync', (call) => {
    tags.splice(tags.indexOf(String(call.args?.name)), 1);
    return { return: { id: '1', name: call.args?.name } };
  });
  return QmpConnection.open(server.connect());
}

const commands = () => server.calls.slice(1).map((c) => c.command);

describe('live disk snapshots', () => {
  it('takes the snapshot on the disk\'s drive', async () => {
    const tags: string[] = [];
    await takeDiskSnapshot(await qemuWith(tags), TARGET, WHERE);
    expect(tags).toEqual(['disk-snap-0']);
    expect(server.calls.at(-1)).toMatchObject({ command: 'blockdev-snapshot-internal-sync', args: { device: 'drive-disk1', name: 'disk-snap-0' } });
  });

  it('finds a snapshot taken before a daemon restart and takes no other', async () => {
    const tags = ['disk-snap-0'];
    await takeDiskSnapshot(await qemuWith(tags), TARGET, WHERE);
    expect(tags).toEqual(['disk-snap-0']);
    expect(commands()).toEqual(['query-block']);
  });

  it('deletes the snapshot, and one already gone is deleted', async () => {
    const tags = ['onesnap-0', 'disk-snap-0'];
    const qmp = await qemuWith(tags);
    await deleteDiskSnapshot(qmp, TARGET, WHERE);
    await deleteDiskSnapshot(qmp, TARGET, WHERE);
    expect(tags).toEqual(['onesnap-0']);
    expect(commands()).toEqual(['query-block', 'blockdev-snapshot-delete-internal-sync', 'query-block']);
  });

  it('says so when QEMU has no drive for the disk', async () => {
    const qmp = await qemuWith([]);
    await expect(takeDiskSnapshot(qmp, { ...TARGET, diskId: 4 }, WHERE)).rejects.toThrow(
      new DriverError('one-7 on host1 has no drive drive-disk4 for disk 4; was the disk detached?'),
    );
  });

  it('passes QEMU\'s refusal on', async () => {
    const qmp = await qemuWith([]);
    server.answer('blockdev-snapshot-internal-sync', { error: { class: 'GenericError', desc: "Device 'drive-disk1' is writable but does not support snapshots" } });
    await expect(takeDiskSnapshot(qmp, TARGET, WHERE)).rejects.toThrow('does not support snapshots');
  });
});
