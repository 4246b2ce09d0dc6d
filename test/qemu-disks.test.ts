import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type TestDaemon } from './harness/daemon.js';
import { closeLab, guestTemplate, labDaemon, QemuLab } from './harness/qemu-lab.js';
import { createTestHosts, realHostsAvailable } from './harness/test-kit.js';
import { readyImage, untilState, xmlText } from './harness/vm-state.js';

// Disks from images and the context CD-ROM on real QEMU guests, on two hosts with their own disks (system
// datastore TM_MAD ssh). A persistent DATABLOCK in the default datastore (TM_MAD ssh: copied to the host,
// saved back at terminate) and a non-persistent one in a qcow2 datastore (an overlay on the image, which
// every host mounts) follow the VM through stop and resume, and the persistent one into a new VM.

let d: TestDaemon;
let lab: QemuLab;

const image = async (id: number) => String(await d.ok('one.image.info', id));


/** Runs `command` on the guest's console; `token` is printed only when it succeeds. */
async function inGuest(vm: number, command: string, token: string): Promise<void> {
  // the console echoes the command: quotes keep the token itself out of the echo
  await lab.onConsole(vm, `${command} && echo ${token.replace('-', "''-")}`, token);
}

/** The first bytes of a block device in the guest, printed as got-<bytes>. */
async function expectOnDevice(vm: number, dev: string, marker: string): Promise<void> {
  await lab.onConsole(vm, `dd if=/dev/${dev} bs=${marker.length} count=1 2>/dev/null | sed s/^/got-/`, `got-${marker}`);
}

describe.skipIf(!realHostsAvailable())('VM disks from images on real QEMU hosts', () => {
  let persistent = 0;
  let scratch = 0;

  beforeAll(async () => {
    d = labDaemon();
    await d.start();
    const qcow2Ds = Number(await d.ok('one.datastore.allocate', 'NAME="fast"\nDS_MAD="fs"\nTM_MAD="qcow2"', -1));
    lab = new QemuLab(d, await createTestHosts(2));
    await lab.register(['ssh', 'ssh'], [qcow2Ds]);
    persistent = await readyImage(d, 'NAME="pdata"\nTYPE="DATABLOCK"\nSIZE=8\nFORMAT="raw"\nPERSISTENT="YES"', 1);
    scratch = await readyImage(d, 'NAME="scratch"\nTYPE="DATABLOCK"\nSIZE=8\nFORMAT="raw"', qcow2Ds);
  }, 120_000);

  afterAll(() => closeLab(d), 60_000);

  it('gives the guest its image disks and a context CD-ROM, keeps them through stop and resume, and saves the persistent one', async () => {
    const extra = 'DISK = [ IMAGE = "pdata" ]\nDISK = [ IMAGE = "scratch" ]\nCONTEXT = [ GREETING = "hello $UNAME", VM_ID = "$VMID" ]';
    const vm = Number(await d.ok('one.vm.allocate', guestTemplate('disks', { extra })));
    await untilState(d, vm, 'RUNNING', 60_000);
    await lab.untilBooted(vm);
    // vda is the template's volatile disk, vdb the persistent image, vdc the overlay; the context is a CD-ROM
    await inGuest(vm, 'echo persist-1 | dd of=/dev/vdb conv=fsync 2>/dev/null', 'wrote-1');
    await inGuest(vm, 'echo scratch-1 | dd of=/dev/vdc conv=fsync 2>/dev/null', 'wrote-2');
    await lab.onConsole(vm, 'mkdir -p /mnt && mount -t iso9660 -o ro /dev/sr0 /mnt && sed s/^/ctx-/ /mnt/context.sh', `ctx-VM_ID='${vm}'`);
    expect(await lab.consoleLog(vm)).toContain("ctx-GREETING='hello oneadmin'");

    await d.ok('one.vm.action', 'stop', vm);
    await untilState(d, vm, 'STOPPED', 60_000);
    await d.ok('one.vm.action', 'resume', vm);
    await untilState(d, vm, 'RUNNING', 60_000);
    await expectOnDevice(vm, 'vdb', 'persist-1');
    await expectOnDevice(vm, 'vdc', 'scratch-1');

    // cold migration moves the files to the other host; the overlay is rebased onto that host's mount
    const to = (await lab.hostOf(vm)) === 'h1' ? 'h2' : 'h1';
    await d.ok('one.vm.migrate', vm, lab.hostIds[to]!, false, false, -1, 0);
    await eventually(async () => ((await lab.hostOf(vm)) === to && xmlText(await lab.vmXml(vm), 'LCM_STATE') === '3') || undefined, 60_000, `VM ${vm} RUNNING on ${to}`);
    await expectOnDevice(vm, 'vdc', 'scratch-1');
    await inGuest(vm, 'echo persist-2 | dd of=/dev/vdb conv=fsync 2>/dev/null', 'moved-1');

    await d.ok('one.vm.action', 'terminate-hard', vm);
    await untilState(d, vm, 'DONE', 60_000);
    // the persistent image has what the guest wrote; the overlay went with the VM and left its image alone
    expect(readFileSync(xmlText(await image(persistent), 'SOURCE')!).subarray(0, 9).toString()).toBe('persist-2');
    expect(readFileSync(xmlText(await image(scratch), 'SOURCE')!).subarray(0, 9).toString()).not.toBe('scratch-1');
    expect(xmlText(await image(persistent), 'STATE')).toBe('1');
    expect(xmlText(await image(scratch), 'RUNNING_VMS')).toBe('0');

    // a new VM finds the persistent image's data
    const next = Number(await d.ok('one.vm.allocate', guestTemplate('again', { extra: `DISK = [ IMAGE_ID = ${persistent} ]` })));
    await untilState(d, next, 'RUNNING', 60_000);
    await lab.untilBooted(next);
    await expectOnDevice(next, 'vdb', 'persist-2');
    await d.ok('one.vm.action', 'terminate-hard', next);
    await untilState(d, next, 'DONE', 60_000);
  }, 300_000);

  it('plugs a disk into a running guest, grows it and unplugs it; grows a disk of the undeployed VM', async () => {
    const vm = Number(await d.ok('one.vm.allocate', guestTemplate('hotplug')));
    await untilState(d, vm, 'RUNNING', 60_000);
    await lab.untilBooted(vm);
    await d.ok('one.vm.attach', vm, `DISK = [ IMAGE_ID = ${scratch} ]`);
    await untilState(d, vm, 'RUNNING', 60_000);
    // the guest's second virtio disk, 8 MB = 16384 sectors of 512 bytes
    await lab.onConsole(vm, 'sleep 1; sed s/^/sectors-/ /sys/block/vdb/size', 'sectors-16384');
    await d.ok('one.vm.diskresize', vm, 1, '16');
    await untilState(d, vm, 'RUNNING', 60_000);
    expect(xmlText(await lab.vmXml(vm), 'ERROR')).toBeUndefined();
    await lab.onConsole(vm, 'sed s/^/sectors-/ /sys/block/vdb/size', 'sectors-32768');
    await d.ok('one.vm.detach', vm, 1);
    await untilState(d, vm, 'RUNNING', 60_000);
    expect(xmlText(await lab.vmXml(vm), 'ERROR')).toBeUndefined();
    await inGuest(vm, 'test ! -e /sys/block/vdb', 'gone-vdb');
    expect(xmlText(await image(scratch), 'RUNNING_VMS')).toBe('0');

    // undeployed, its files are on the front-end, where the disk grows
    await d.ok('one.vm.action', 'undeploy-hard', vm);
    await untilState(d, vm, 'UNDEPLOYED', 60_000);
    await d.ok('one.vm.diskresize', vm, 0, '24');
    await untilState(d, vm, 'UNDEPLOYED', 60_000);
    const file = join(d.dataDir, 'datastores', '0', String(vm), 'disk.0');
    expect(JSON.parse(execFileSync('qemu-img', ['info', '--output=json', file], { encoding: 'utf8' }))['virtual-size']).toBe(24 * 1024 * 1024);
    await d.ok('one.vm.action', 'terminate-hard', vm);
    await untilState(d, vm, 'DONE', 60_000);
  }, 180_000);
});
