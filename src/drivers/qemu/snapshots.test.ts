import { afterEach, describe, expect, it } from 'vitest';
import { vm } from '../test-fixtures.js';
import { QmpConnection } from './qmp/connection.js';
import { FakeQmpServer } from './qmp/fake-server.js';
import { revertSnapshot, snapshotDiskProblem, takeSnapshot } from './snapshots.js';

let server: FakeQmpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connect(hmp: (line: string) => string): Promise<QmpConnection> {
  const fake = new FakeQmpServer().answer('human-monitor-command', (call) => ({ return: hmp(String(call.args?.['command-line'])) }));
  server = fake;
  return QmpConnection.open(fake.connect());
}
const hmpLines = () => server!.calls.filter((c) => c.command === 'human-monitor-command').map((c) => c.args?.['command-line']);

const qcow2 = { DISK_ID: '0', TYPE: 'fs', SIZE: '1024', FORMAT: 'qcow2' };
const withDisks = (...disks: Record<string, string>[]) => {
  const v = vm(5);
  return { ...v, template: [...v.template, ...disks.map((value) => ({ name: 'DISK', value }))] };
};

describe('snapshotDiskProblem', () => {
  it('accepts a VM whose writable disks are all qcow2; a CD-ROM does not count', () => {
    expect(snapshotDiskProblem(withDisks(qcow2, { DISK_ID: '1', TYPE: 'CDROM', FORMAT: 'raw' }))).toBeUndefined();
  });

  it('says to add a qcow2 disk when there is no writable disk to keep the memory in', () => {
    expect(snapshotDiskProblem(withDisks({ DISK_ID: '0', TYPE: 'cdrom' }))).toBe(
      'VM 5 has no writable qcow2 disk to keep the snapshot\'s memory in; give it one, e.g. a volatile DISK = [ TYPE = "fs", SIZE = "1024", FORMAT = "qcow2" ]',
    );
  });

  it('names the disks that are not qcow2', () => {
    expect(snapshotDiskProblem(withDisks(qcow2, { DISK_ID: '1', TYPE: 'fs', SIZE: '10' }, { DISK_ID: '2', TYPE: 'swap', FORMAT: 'raw' }))).toMatch(
      /^snapshots of VM 5 need every writable disk in qcow2 format, and DISK 1 \(raw\), DISK 2 \(raw\) are not; use qcow2 disks/,
    );
  });
});

describe('takeSnapshot', () => {
  it('runs savevm under the name', async () => {
    const qmp = await connect(() => '');
    await takeSnapshot(qmp, withDisks(qcow2), 'onesnap-0');
    expect(hmpLines()).toEqual(['savevm onesnap-0']);
  });

  it('refuses before asking QEMU when the disks cannot hold a snapshot', async () => {
    const qmp = await connect(() => '');
    await expect(takeSnapshot(qmp, withDisks({ DISK_ID: '0', TYPE: 'fs', FORMAT: 'raw' }), 'onesnap-0')).rejects.toThrow('need every writable disk in qcow2');
    expect(hmpLines()).toEqual([]);
  });
});

describe('revertSnapshot', () => {
  const listing = (...tags: string[]) => (line: string) => line !== 'info snapshots' ? '' : tags.length === 0
    ? 'There is no snapshot available.\r\n'
    : `List of snapshots present on all disks:\r\nID        TAG               VM SIZE                DATE     VM CLOCK     ICOUNT\r\n${tags.map((t) => `--        ${t}        82.5 MiB 2026-11-25 22:26:28 00:00:06.394\r\n`).join('')}`;

  it('loads a snapshot the disks have', async () => {
    const qmp = await connect(listing('onesnap-0', 'onesnap-1'));
    await revertSnapshot(qmp, 'onesnap-1', 'one-5 on host0');
    expect(hmpLines()).toEqual(['info snapshots', 'loadvm onesnap-1']);
  });

  it('never runs loadvm for a snapshot that is not there, which would leave QEMU paused', async () => {
    const qmp = await connect(listing('onesnap-0'));
    await expect(revertSnapshot(qmp, 'onesnap-3', 'one-5 on host0')).rejects.toThrow(
      'one-5 on host0 has no snapshot onesnap-3 to revert to (it has onesnap-0); snapshots are lost when the guest stops',
    );
    expect(hmpLines()).toEqual(['info snapshots']);
  });
});
