import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOk } from './harness/cli.js';
import { TestDaemon, eventually } from './harness/daemon.js';
import { disksOf, readyImage, untilState, vmState, xmlText } from './harness/vm-state.js';

const ACTION = 0x800;

// Disk attach, detach and resize through the API and onevm, on dummy hosts: states, images, refusals, failures.
describe('disk hotplug and resize', () => {
  const d = new TestDaemon();
  let host = 0;
  let data = 0;
  let cd = 0;
  const image = async (id: number) => String(await d.ok('one.image.info', id));
  const vmInfo = async (id: number) => String(await d.ok('one.vm.info', id));
  const script = (actions: string) => d.ok('one.host.update', host, actions ? `DUMMY_ACTIONS = [ ${actions} ]` : '', 0);
  /** A call that must fail with `code` and leave the VM and the images as they were. */
  const refused = async (code: number, message: RegExp, method: string, vm: number, ...params: (string | number)[]) => {
    const before = [await vmInfo(vm), String(await d.ok('one.imagepool.info', -2, -1, -1))];
    const r = await d.rpc(method, vm, ...params);
    expect(r[0]).toBe(false);
    expect(String(r[1])).toMatch(message);
    expect(r[2]).toBe(code);
    expect([await vmInfo(vm), String(await d.ok('one.imagepool.info', -2, -1, -1))]).toEqual(before);
  };

  beforeAll(async () => {
    await d.start();
    host = Number(await d.ok('one.host.allocate', 'host0', 'dummy', 'dummy', -1));
    data = await readyImage(d, 'NAME="data"\nTYPE="DATABLOCK"\nSIZE=8', 1);
    const iso = join(d.dir, 'tools.iso');
    writeFileSync(iso, Buffer.alloc(1024 * 1024));
    cd = await readyImage(d, `NAME="tools"\nTYPE="CDROM"\nPATH="${iso}"`, 1);
  });
  afterAll(() => d.dispose());

  it('attaches a disk to a running VM, grows it and detaches it, the image following', async () => {
    const vm = Number(await d.ok('one.vm.allocate', 'NAME="hot"\nCPU=0.1\nMEMORY=64\nDISK=[TYPE="fs",SIZE=4]'));
    await untilState(d, vm, 'RUNNING');
    expect(await cliOk(d, 'onevm', ['disk-attach', String(vm), '--image', 'data', '--target', 'vdz'])).toBe('');
    await untilState(d, vm, 'RUNNING');
    expect(disksOf(await vmInfo(vm))[1]).toMatchObject({ DISK_ID: '1', IMAGE: 'data', TARGET: 'vdz' });
    expect(disksOf(await vmInfo(vm))[1]!.ATTACH).toBeUndefined();
    expect(xmlText(await image(data), 'STATE')).toBe('2');

    await cliOk(d, 'onevm', ['disk-resize', String(vm), '1', '64']);
    await untilState(d, vm, 'RUNNING');
    expect(disksOf(await vmInfo(vm))[1]).toMatchObject({ SIZE: '64' });

    await refused(ACTION, /a disk can only grow: it has 64 MB/, 'one.vm.diskresize', vm, 1, '32');
    await refused(ACTION, /Cannot detach DISK 7 of VM \d+: the VM has no such disk/, 'one.vm.detach', vm, 7);
    await refused(ACTION, /Image \[999\] does not exist/, 'one.vm.attach', vm, 'DISK=[IMAGE_ID=999]');
    await refused(ACTION, /a CD-ROM cannot be plugged into a running guest/, 'one.vm.attach', vm, `DISK=[IMAGE_ID=${cd}]`);
    await refused(ACTION, /Give exactly one DISK/, 'one.vm.attach', vm, 'CPU=1');

    await cliOk(d, 'onevm', ['disk-detach', String(vm), '1']);
    await untilState(d, vm, 'RUNNING');
    expect(disksOf(await vmInfo(vm)).map((x) => x.DISK_ID)).toEqual(['0']);
    expect(xmlText(await image(data), 'STATE')).toBe('1');
    // one history record per operation: disk-attach (21), disk-resize (29), disk-detach (22), then the open one
    expect([...(await vmInfo(vm)).matchAll(/<ACTION>(\d+)<\/ACTION>/g)].map((m) => m[1])).toEqual(['21', '29', '22', '0']);
    await d.ok('one.vm.action', 'terminate-hard', vm);
    await untilState(d, vm, 'DONE');
  });

  it('attaches and grows cold in POWEROFF, CD-ROMs included, grows in UNDEPLOYED, and refuses other states', async () => {
    const vm = Number(await d.ok('one.vm.allocate', 'NAME="cold"\nCPU=0.1\nMEMORY=64', true));
    await refused(ACTION, /Could not attach a new disk to VM \d+, wrong state HOLD/, 'one.vm.attach', vm, `DISK=[IMAGE_ID=${data}]`);
    await d.ok('one.vm.action', 'release', vm);
    await untilState(d, vm, 'RUNNING');
    await d.ok('one.vm.action', 'poweroff-hard', vm);
    await untilState(d, vm, 'POWEROFF');
    await d.ok('one.vm.attach', vm, `DISK=[IMAGE_ID=${cd}]`);
    await untilState(d, vm, 'POWEROFF');
    await d.ok('one.vm.attach', vm, `DISK=[IMAGE_ID=${data}]`);
    await untilState(d, vm, 'POWEROFF');
    expect(disksOf(await vmInfo(vm)).map((x) => [x.IMAGE, x.TARGET])).toEqual([['tools', 'hda'], ['data', 'vda']]);
    await d.ok('one.vm.diskresize', vm, 1, '16');
    await untilState(d, vm, 'POWEROFF');
    expect(disksOf(await vmInfo(vm))[1]).toMatchObject({ SIZE: '16' });
    await d.ok('one.vm.detach', vm, 0);
    await untilState(d, vm, 'POWEROFF');
    expect(xmlText(await image(cd), 'RUNNING_VMS')).toBe('0');
    await d.ok('one.vm.action', 'undeploy', vm);
    await untilState(d, vm, 'UNDEPLOYED');
    await d.ok('one.vm.diskresize', vm, 1, '24');
    await untilState(d, vm, 'UNDEPLOYED');
    expect(disksOf(await vmInfo(vm))[0]).toMatchObject({ IMAGE: 'data', SIZE: '24' });
    await d.ok('one.vm.action', 'terminate-hard', vm);
    await untilState(d, vm, 'DONE');
    expect(xmlText(await image(data), 'STATE')).toBe('1');
  });

  it('undoes an attach or resize the driver failed, with the reason in ERROR', async () => {
    const vm = Number(await d.ok('one.vm.allocate', 'NAME="failing"\nCPU=0.1\nMEMORY=64\nDISK=[TYPE="fs",SIZE=4]'));
    await untilState(d, vm, 'RUNNING');
    await script('ATTACH_DISK = "failure 0 no free PCI slot", RESIZE_DISK = "failure 0 no space left"');
    await d.ok('one.vm.attach', vm, `DISK=[IMAGE_ID=${data}]`);
    await eventually(async () => (/no free PCI slot/.test(await vmInfo(vm)) ? true : undefined), 10_000, 'attach failure');
    expect(await vmState(d, vm)).toBe('RUNNING');
    expect(disksOf(await vmInfo(vm))).toHaveLength(1);
    expect(xmlText(await image(data), 'STATE')).toBe('1');
    await d.ok('one.vm.diskresize', vm, 0, '40');
    await eventually(async () => (/no space left/.test(await vmInfo(vm)) ? true : undefined), 10_000, 'resize failure');
    expect(disksOf(await vmInfo(vm))[0]).toMatchObject({ SIZE: '4' });

    // a driver that never answers leaves HOTPLUG for recover
    await script('ATTACH_DISK = "never"');
    await d.ok('one.vm.attach', vm, `DISK=[IMAGE_ID=${data}]`);
    await untilState(d, vm, 'HOTPLUG');
    await d.ok('one.vm.recover', vm, 0);
    await untilState(d, vm, 'RUNNING');
    expect(xmlText(await image(data), 'STATE')).toBe('1');

    // recover --recreate from HOTPLUG forgets the attach and gives the image back
    await d.ok('one.vm.attach', vm, `DISK=[IMAGE_ID=${data}]`);
    await untilState(d, vm, 'HOTPLUG');
    await d.ok('one.vm.recover', vm, 4);
    await eventually(async () => (disksOf(await vmInfo(vm)).length === 1 ? true : undefined), 10_000, 'attach forgotten');
    expect(await vmInfo(vm)).not.toMatch(/ATTACH/);
    expect(xmlText(await image(data), 'RUNNING_VMS')).toBe('0');
    await script('');
    await untilState(d, vm, 'RUNNING');
    await d.ok('one.vm.action', 'terminate-hard', vm);
    await untilState(d, vm, 'DONE');
  });

  it('counts an image a VM uses twice until both disks are gone', async () => {
    const vm = Number(await d.ok('one.vm.allocate', `NAME="twice"\nCPU=0.1\nMEMORY=64\nDISK=[IMAGE_ID=${data}]\nDISK=[IMAGE_ID=${data}]`));
    await untilState(d, vm, 'RUNNING');
    expect(xmlText(await image(data), 'RUNNING_VMS')).toBe('2');
    await d.ok('one.vm.detach', vm, 1);
    await untilState(d, vm, 'RUNNING');
    expect(xmlText(await image(data), 'RUNNING_VMS')).toBe('1');
    expect(await image(data)).toContain(`<VMS><ID>${vm}</ID></VMS>`);
    await d.ok('one.vm.action', 'terminate-hard', vm);
    await untilState(d, vm, 'DONE');
    expect(xmlText(await image(data), 'STATE')).toBe('1');
    expect(xmlText(await image(data), 'RUNNING_VMS')).toBe('0');
  });
});
