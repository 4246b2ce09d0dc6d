import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOk } from './harness/cli.js';
import type { TestDaemon } from './harness/daemon.js';
import { closeLab, guestTemplate, labDaemon, QemuLab } from './harness/qemu-lab.js';
import { createTestHosts, realHostsAvailable, testGuest } from './harness/test-kit.js';
import { readyImage, untilImageState, untilState, xmlText } from './harness/vm-state.js';

// disk-saveas on a real QEMU guest (TCG) on one host with its own disk (system datastore TM_MAD ssh). The guest
// writes a marker to a DATABLOCK; QEMU copies the running disk (drive-backup) into a new image, and qemu-img
// copies it from a powered-off VM on the host, and from an undeployed VM's files on the front-end. A new guest
// then reads the marker from the saved image: the guest boots from kernel and initrd, so a saved image "boots"
// when a guest gets it as a valid disk with the data on it. Two boots in all.

let d: TestDaemon;
let lab: QemuLab;

const image = async (id: number) => String(await d.ok('one.image.info', id));
const untilImage = (id: number, state: string) => untilImageState(d, id, state, 60_000);

/** `onevm disk-saveas`; the new image's id once it is READY and the VM back in `state`. */
async function saveAs(vm: number, disk: number, name: string, state: 'RUNNING' | 'POWEROFF' | 'UNDEPLOYED'): Promise<number> {
  const out = await cliOk(d, 'onevm', ['disk-saveas', String(vm), String(disk), name]);
  const id = Number(/^Image ID: (\d+)\n$/.exec(out)![1]);
  await untilImage(id, '1');
  await untilState(d, vm, state, 60_000);
  return id;
}

/** The image file on the front-end, which these raw images hold byte for byte. */
const imageBytes = async (id: number) => readFileSync(xmlText(await image(id), 'SOURCE')!);

describe.skipIf(!realHostsAvailable())('disk-saveas on real QEMU hosts', () => {
  let data = 0;
  let scratch = 0;
  let os = 0;

  beforeAll(async () => {
    d = labDaemon();
    await d.start();
    const qcow2Ds = Number(await d.ok('one.datastore.allocate', 'NAME="fast"\nDS_MAD="fs"\nTM_MAD="qcow2"', -1));
    lab = new QemuLab(d, await createTestHosts(1));
    await lab.register(['ssh'], [qcow2Ds]);
    data = await readyImage(d, 'NAME="data"\nTYPE="DATABLOCK"\nSIZE=8\nFORMAT="raw"', 1);
    scratch = await readyImage(d, 'NAME="scratch"\nTYPE="DATABLOCK"\nSIZE=8\nFORMAT="raw"', qcow2Ds);
    os = await readyImage(d, `NAME="os"\nTYPE="OS"\nPATH="${testGuest().rootfs}"`, 1);
  }, 120_000);

  afterAll(() => closeLab(d), 60_000);

  it('saves a running guest\'s disks point-in-time through QEMU and a resting VM\'s disk files; a new guest boots from the saved OS image and reads the saved data', async () => {
    // vda is the template's volatile disk, vdb the copied DATABLOCK, vdc a qcow2 overlay on the scratch image
    // the guest runs from its OS image (vdd); it writes into its root file system too
    const disks = `DISK = [ IMAGE_ID = ${data} ]\nDISK = [ IMAGE_ID = ${scratch} ]\nDISK = [ IMAGE_ID = ${os} ]`;
    const vm = Number(await d.ok('one.vm.allocate', guestTemplate('saver', { root: 'vdd', extra: disks }), true));
    await cliOk(d, 'onevm', ['deploy', String(vm), 'h1']);
    await untilState(d, vm, 'RUNNING', 60_000);
    await lab.untilBooted(vm);
    await lab.onConsole(vm, "echo saved-os-$((6*7)) > /etc/nimbus-saved && sync && sed s/^/from-/ /etc/nimbus-root", 'from-root-disk');
    await lab.onConsole(vm, "echo NIMBUS-MARK-1 | dd of=/dev/vdb conv=fsync 2>/dev/null && echo wrote''-1", 'wrote-1');
    await lab.onConsole(vm, "echo NIMBUS-MARK-2 | dd of=/dev/vdc conv=fsync 2>/dev/null && echo wrote''-2", 'wrote-2');

    // live: QEMU's drive-backup, of a plain disk and of an overlay on its image
    const live = await saveAs(vm, 1, 'live-data', 'RUNNING');
    const liveOverlay = await saveAs(vm, 2, 'live-scratch', 'RUNNING');
    expect((await imageBytes(live)).subarray(0, 13).toString()).toBe('NIMBUS-MARK-1');
    expect((await imageBytes(liveOverlay)).subarray(0, 13).toString()).toBe('NIMBUS-MARK-2');
    expect((await imageBytes(live)).length).toBe(8 * 1024 * 1024);
    expect(xmlText(await image(live), 'SIZE')).toBe('8');
    // QEMU wrote the copy in the VM directory, which keeps nothing of it
    expect(d.log).toMatch(new RegExp(`"vm":${vm},"op":"vmm.disk_saveas"`));
    expect(existsSync(join(await lab.vmDir(vm), 'saveas.1'))).toBe(false);
    expect(existsSync(join(await lab.vmDir(vm), 'disk.1'))).toBe(true);
    const savedOs = await saveAs(vm, 3, 'saved-os', 'RUNNING');

    // offline: qemu-img on the host (POWEROFF), then on the front-end where undeploy put the files
    await d.ok('one.vm.action', 'poweroff-hard', vm);
    await untilState(d, vm, 'POWEROFF', 60_000);
    const off = await saveAs(vm, 1, 'off-data', 'POWEROFF');
    expect((await imageBytes(off)).subarray(0, 13).toString()).toBe('NIMBUS-MARK-1');
    await d.ok('one.vm.action', 'undeploy-hard', vm);
    await untilState(d, vm, 'UNDEPLOYED', 60_000);
    const away = await saveAs(vm, 2, 'undeployed-scratch', 'UNDEPLOYED');
    expect((await imageBytes(away)).subarray(0, 13).toString()).toBe('NIMBUS-MARK-2');
    await d.ok('one.vm.action', 'terminate-hard', vm);
    await untilState(d, vm, 'DONE', 60_000);

    // a new guest boots from the saved OS image (vdc) and reads the live-saved data image (vdb)
    const reader = Number(await d.ok('one.vm.allocate', guestTemplate('reader', { root: 'vdc', extra: `DISK = [ IMAGE = "live-data" ]\nDISK = [ IMAGE_ID = ${savedOs} ]` }), true));
    await cliOk(d, 'onevm', ['deploy', String(reader), 'h1']);
    await untilState(d, reader, 'RUNNING', 60_000);
    await lab.untilBooted(reader);
    await lab.onConsole(reader, 'sed s/^/booted-/ /etc/nimbus-root /etc/nimbus-saved', 'booted-saved-os-42');
    expect(await lab.consoleLog(reader)).toContain('booted-root-disk');
    await lab.onConsole(reader, 'dd if=/dev/vdb bs=13 count=1 2>/dev/null | sed s/^/got-/', 'got-NIMBUS-MARK-1');
    await d.ok('one.vm.action', 'terminate-hard', reader);
    await untilState(d, reader, 'DONE', 60_000);
  }, 600_000);
});
