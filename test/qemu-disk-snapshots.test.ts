import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type TestDaemon } from './harness/daemon.js';
import { BOOT_MS, closeLab, guestTemplate, labDaemon, QemuLab } from './harness/qemu-lab.js';
import { createTestHosts, realHostsAvailable } from './harness/test-kit.js';
import { untilState, xmlText } from './harness/vm-state.js';

// Disk snapshots of a real guest's disk: an image in a qcow2 datastore, which the host mounts, gives the VM
// a qcow2 overlay. Live snapshots go through QEMU, offline ones through qemu-img on the host. Two boots.

let d: TestDaemon;
let lab: QemuLab;

const error = (xml: string) => xmlText(xml.slice(xml.indexOf('<USER_TEMPLATE>')), 'ERROR');
/** id:parent of the VM's snapshots of disk 1, * on the active one. */
const shape = (xml: string) =>
  [...(/<SNAPSHOTS>.*?<DISK_ID>1<\/DISK_ID>(.*?)<\/SNAPSHOTS>/.exec(xml)?.[1] ?? '').matchAll(/<SNAPSHOT>(.*?)<\/SNAPSHOT>/g)].map(([, s]) =>
    `${xmlText(s!, 'ID')}:${xmlText(s!, 'PARENT')}${s!.includes('<ACTIVE>YES</ACTIVE>') ? '*' : ''}`);
/** The internal snapshots in the disk's qcow2 file, read on the host's file system (shared with this machine). */
const fileSnapshots = (file: string) =>
  (JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', file]).toString()) as { snapshots?: { name: string }[] }).snapshots?.map((s) => s.name) ?? [];

describe.skipIf(!realHostsAvailable())('disk snapshots of a real guest', () => {
  let image = 0;

  beforeAll(async () => {
    d = labDaemon();
    await d.start();
    const ds = Number(await d.ok('one.datastore.allocate', 'NAME="qcow"\nDS_MAD="fs"\nTM_MAD="qcow2"', -1));
    image = Number(await d.ok('one.image.allocate', 'NAME="data"\nTYPE="DATABLOCK"\nSIZE=16\nFORMAT="raw"', ds, false));
    await eventually(async () => xmlText(String(await d.ok('one.image.info', image)), 'STATE') === '1' || undefined, 30_000, 'image READY');
    lab = new QemuLab(d, await createTestHosts(1));
    await lab.register(['ssh'], [ds]);
  }, 120_000);

  afterAll(() => closeLab(d), 60_000);

  it('takes live and offline snapshots of the disk, reverts it while powered off and deletes live', async () => {
    const id = Number(await d.ok('one.vm.allocate', guestTemplate('snapper', { extra: `DISK = [ IMAGE_ID = ${image} ]` }), true));
    await d.ok('one.vm.deploy', id, lab.hostIds.h1!, false);
    await untilState(d, id, 'RUNNING', BOOT_MS);
    await lab.untilBooted(id);
    const disk = join(await lab.vmDir(id), 'disk.1');
    const xml = () => lab.vmXml(id);
    /** Writes MARK<n> at the start of the image disk (vdb); the command line shows $((n)), never the mark itself. */
    const mark = (n: number) => lab.onConsole(id, `echo MARK$((${n - 1}+1)) | dd of=/dev/vdb conv=fsync 2>/dev/null; echo WROTE-$((${n}+1))`, `WROTE-${n + 1}`);
    const reads = (n: number) => lab.onConsole(id, 'echo "READ-$(dd if=/dev/vdb bs=7 count=1 2>/dev/null)-END"', `READ-MARK${n}-END`);

    // live: snapshot 0 holds MARK101, snapshot 1 (on top of 0) MARK202
    await mark(101);
    expect(await d.ok('one.vm.disksnapshotcreate', id, 1, 'first')).toBe(0);
    await untilState(d, id, 'RUNNING', 30_000);
    await mark(202);
    expect(await d.ok('one.vm.disksnapshotcreate', id, 1, 'second')).toBe(1);
    await untilState(d, id, 'RUNNING', 30_000);
    expect(error(await xml())).toBeUndefined();
    expect(shape(await xml())).toEqual(['0:-1', '1:0*']);
    expect(fileSnapshots(disk)).toEqual(['disk-snap-0', 'disk-snap-1']);
    await reads(202);

    // powered off: back to 0 with qemu-img, then an offline snapshot 2 beside 1
    await d.ok('one.vm.action', 'poweroff', id);
    await untilState(d, id, 'POWEROFF', 60_000);
    await d.ok('one.vm.disksnapshotrevert', id, 1, 0);
    await untilState(d, id, 'POWEROFF', 30_000);
    expect(await d.ok('one.vm.disksnapshotcreate', id, 1, 'offline')).toBe(2);
    await untilState(d, id, 'POWEROFF', 30_000);
    expect(error(await xml())).toBeUndefined();
    expect(shape(await xml())).toEqual(['0:-1', '1:0', '2:0*']);
    expect(fileSnapshots(disk)).toEqual(['disk-snap-0', 'disk-snap-1', 'disk-snap-2']);

    // running again: the disk has the first mark; snapshot 1 is deleted live
    await d.ok('one.vm.action', 'resume', id);
    await untilState(d, id, 'RUNNING', BOOT_MS);
    await lab.untilBooted(id, 2);
    await reads(101);
    await d.ok('one.vm.disksnapshotdelete', id, 1, 1);
    await untilState(d, id, 'RUNNING', 30_000);
    expect(error(await xml())).toBeUndefined();
    expect(shape(await xml())).toEqual(['0:-1', '2:0*']);
    expect(fileSnapshots(disk)).toEqual(['disk-snap-0', 'disk-snap-2']);

    // the guest's volatile disk cannot be snapshotted, qcow2 as it is
    const refused = await d.rpc('one.vm.disksnapshotcreate', id, 0, 'x');
    expect([refused[0], refused[2]]).toEqual([false, 0x800]);

    await d.ok('one.vm.action', 'terminate-hard', id);
    await untilState(d, id, 'DONE', 60_000);
  }, 300_000);
});
