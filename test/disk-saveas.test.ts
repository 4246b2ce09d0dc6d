import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xsdErrors } from '../src/api/xml/test-fixtures.js';
import type { StateName } from '../src/lifecycle/states.js';
import { cli, cliOk } from './harness/cli.js';
import { TestDaemon, eventually } from './harness/daemon.js';
import { disksOf, untilState, xmlText } from './harness/vm-state.js';

const AUTHORIZATION = 0x200;
const NO_EXISTS = 0x400;
const ACTION = 0x800;
const ALLOCATE = 0x4000;
const READY = '1';
const USED_PERS = '8';
const LOCKED = '4';
const ERROR = '5';

/** An element's text inside `<TEMPLATE>` of a document (CDATA or plain). */
function templateText(xml: string, tag: string): string | undefined {
  const template = xml.slice(xml.indexOf('<TEMPLATE>'));
  return new RegExp(`<${tag}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${tag}>`).exec(template)?.slice(1).find((v) => v !== undefined);
}

// disk-saveas, onevm save and onetemplate instantiate --persistent on dummy hosts: the dummy drivers give a
// saved image a copy of the file of the image the disk came from.
describe('saving disks as images, and persistent copies of VMs', () => {
  const d = new TestDaemon();
  let host = 0;
  let os = 0;
  let osFile = '';
  const image = async (id: number) => String(await d.ok('one.image.info', id));
  const imageState = async (id: number) => xmlText(await image(id), 'STATE');
  const untilImage = (id: number, state: string) =>
    eventually(async () => ((await imageState(id)) === state ? true : undefined), 10_000, `image ${id} in state ${state}`);
  /** The pools of VMs, images and templates, without what monitoring changes meanwhile. */
  const pools = async () => Promise.all([
    d.ok('one.vmpool.info', -2, -1, -1, -2), d.ok('one.imagepool.info', -2, -1, -1), d.ok('one.templatepool.info', -2, -1, -1),
  ]).then((all) => all.map((x) => String(x).replace(/<LAST_POLL>\d+<\/LAST_POLL>|<MONITORING>[\s\S]*?<\/MONITORING>/g, '')));
  /** A call that must fail with `code` and a message matching `message`, changing no VM, image or template. */
  const refused = async (code: number, message: RegExp, method: string, ...params: (string | number | boolean)[]) => {
    const before = await pools();
    const r = await d.rpc(method, ...params);
    expect(r[0]).toBe(false);
    expect(String(r[1])).toMatch(message);
    expect(r[2]).toBe(code);
    expect(await pools()).toEqual(before);
  };
  /** Replaces the host's DUMMY_ACTIONS. */
  const script = (actions: string) => d.ok('one.host.update', host, actions ? `DUMMY_ACTIONS = [ ${actions} ]` : '', 0);
  const onevm = (...args: (string | number)[]) => cliOk(d, 'onevm', args.map(String));
  const userError = async (id: number) => xmlText(String(await d.ok('one.vm.info', id)).replace(/[\s\S]*<USER_TEMPLATE>/, ''), 'ERROR') ?? '';
  const vmTemplate = (disks: string, name = 'vm') => `NAME="${name}"\nCPU=0.1\nMEMORY=64\n${disks}`;
  const running = async (disks = `DISK=[IMAGE_ID=${os}]\nDISK=[TYPE="fs",SIZE=4]`) => {
    const id = Number(await d.ok('one.vm.allocate', vmTemplate(disks), true));
    await d.ok('one.vm.deploy', id, host, false);
    await untilState(d, id, 'RUNNING');
    return id;
  };

  beforeAll(async () => {
    await d.start();
    host = Number(await d.ok('one.host.allocate', 'host0', 'dummy', 'dummy', -1));
    const file = join(d.dir, 'os.img');
    writeFileSync(file, Buffer.alloc(2 * 1024 * 1024, 1));
    os = Number(await d.ok('one.image.allocate', `NAME="os"\nPATH="${file}"\nDEV_PREFIX="vd"`, 1, false));
    await untilImage(os, READY);
    osFile = xmlText(await image(os), 'SOURCE')!;
  });
  afterAll(() => d.dispose());

  it('saves a disk in RUNNING, POWEROFF, SUSPENDED, UNDEPLOYED and STOPPED: the image LOCKED at once, READY with the disk\'s file after', async () => {
    const id = await running();
    // Each save takes a second, so the image and the VM are seen while the copy runs.
    await script('DISK_SAVEAS = "success 1", CPDS = "success 1"');
    const steps: [StateName, StateName, () => Promise<unknown>][] = [
      ['RUNNING', 'HOTPLUG_SAVEAS', async () => undefined],
      ['POWEROFF', 'HOTPLUG_SAVEAS_POWEROFF', () => d.ok('one.vm.action', 'poweroff-hard', id)],
      ['SUSPENDED', 'HOTPLUG_SAVEAS_SUSPENDED', async () => {
        await d.ok('one.vm.action', 'resume', id);
        await untilState(d, id, 'RUNNING');
        await d.ok('one.vm.action', 'suspend', id);
      }],
      ['UNDEPLOYED', 'HOTPLUG_SAVEAS_UNDEPLOYED', async () => {
        await d.ok('one.vm.action', 'resume', id);
        await untilState(d, id, 'RUNNING');
        await d.ok('one.vm.action', 'undeploy-hard', id);
      }],
      ['STOPPED', 'HOTPLUG_SAVEAS_STOPPED', async () => {
        await d.ok('one.vm.action', 'resume', id);
        await untilState(d, id, 'RUNNING');
        await d.ok('one.vm.action', 'stop', id);
      }],
    ];
    for (const [state, saving, reach] of steps) {
      await reach();
      await untilState(d, id, state);
      const name = `saved-${state.toLowerCase()}`;
      const saved = Number(await d.ok('one.vm.disksaveas', id, 0, name, '', -1));
      const xml = await image(saved);
      expect(xmlText(xml, 'STATE'), name).toBe(LOCKED);
      expect(xml).toMatch(new RegExp(`<NAME>${name}</NAME>`));
      expect(xmlText(xml, 'UNAME')).toBe('oneadmin');
      expect(xmlText(xml, 'DATASTORE_ID')).toBe('1');
      expect(xmlText(xml, 'PERSISTENT')).toBe('0');
      expect(xmlText(xml, 'TYPE')).toBe('0');
      expect(xmlText(xml, 'SIZE')).toBe('2');
      expect(templateText(xml, 'SAVED_VM_ID')).toBe(String(id));
      expect(templateText(xml, 'SAVED_DISK_ID')).toBe('0');
      expect(templateText(xml, 'SAVED_IMAGE_ID')).toBe(String(os));
      const during = String(await d.ok('one.vm.info', id));
      expect(disksOf(during)[0]).toMatchObject({ HOTPLUG_SAVE_AS: String(saved), HOTPLUG_SAVE_AS_ACTIVE: 'YES' });
      if (state === 'RUNNING') expect([xsdErrors('vm.xsd', during), xsdErrors('image.xsd', xml)]).toEqual([undefined, undefined]);
      await untilState(d, id, saving);
      await untilState(d, id, state);
      await untilImage(saved, READY);
      expect(disksOf(String(await d.ok('one.vm.info', id)))[0]!.HOTPLUG_SAVE_AS).toBeUndefined();
      expect(readFileSync(xmlText(await image(saved), 'SOURCE')!).equals(readFileSync(osFile))).toBe(true);
    }
    await script('');
    // the saved images are images like any other: a VM boots from one
    const other = await running(`DISK=[IMAGE="saved-running"]`);
    expect(disksOf(String(await d.ok('one.vm.info', other)))[0]).toMatchObject({ IMAGE: 'saved-running' });
    for (const vm of [id, other]) await d.ok('one.vm.action', 'terminate-hard', vm);
    await untilState(d, id, 'DONE');
  });

  it('refuses what it cannot save, with OpenNebula\'s codes, changing nothing', async () => {
    const id = await running();
    await refused(ACTION, /Cannot save DISK 1 of VM \d+: it is a volatile disk/, 'one.vm.disksaveas', id, 1, 'v', '', -1);
    await refused(ACTION, /Cannot save DISK 7 of VM \d+: the VM has no such disk/, 'one.vm.disksaveas', id, 7, 'v', '', -1);
    await refused(ACTION, /the disk has no snapshot 3/, 'one.vm.disksaveas', id, 0, 'v', '', 3);
    await refused(ALLOCATE, /NAME is already taken by IMAGE \d+/, 'one.vm.disksaveas', id, 0, 'os', '', -1);
    await refused(ALLOCATE, /Invalid TYPE "KERNEL"/, 'one.vm.disksaveas', id, 0, 'k', 'KERNEL', -1);
    await refused(ALLOCATE, /Invalid NAME/, 'one.vm.disksaveas', id, 0, 'a/b', '', -1);
    await refused(NO_EXISTS, /Error getting virtual machine \[9999\]/, 'one.vm.disksaveas', 9999, 0, 'v', '', -1);
    const pending = Number(await d.ok('one.vm.allocate', vmTemplate(`DISK=[IMAGE_ID=${os}]`, 'held'), true));
    await refused(ACTION, /Cannot save a disk of VM \d+ in state HOLD: it must be RUNNING, POWEROFF, SUSPENDED, UNDEPLOYED or STOPPED/, 'one.vm.disksaveas', pending, 0, 'v', '', -1);
    await d.ok('one.user.allocate', 'bob', 'secret', '', []);
    const bob = await d.rpcAs('bob:secret', 'one.vm.disksaveas', id, 0, 'mine', '', -1);
    expect(bob[2]).toBe(AUTHORIZATION);
    for (const vm of [id, pending]) await d.ok('one.vm.action', 'terminate-hard', vm);
  });

  it('a failing driver leaves the image in ERROR and the VM back where it was with ERROR set; recover settles a stuck save', async () => {
    const id = await running();
    await d.ok('one.vm.action', 'poweroff-hard', id);
    await untilState(d, id, 'POWEROFF');
    await script('CPDS = "failure 0 no space left on the host"');
    const failed = Number(await d.ok('one.vm.disksaveas', id, 0, 'failed', '', -1));
    await untilImage(failed, ERROR);
    await untilState(d, id, 'POWEROFF');
    expect(await userError(id)).toMatch(/no space left on the host/);
    expect(templateText(await image(failed), 'ERROR')).toMatch(/Error saving DISK 0 of VM \d+: no space left on the host/);
    await d.ok('one.image.delete', failed, false);

    // A save that never ends: the image cannot be deleted under it; recover --failure ends it.
    await script('CPDS = "never"');
    const stuck = Number(await d.ok('one.vm.disksaveas', id, 0, 'stuck', '', -1));
    await untilState(d, id, 'HOTPLUG_SAVEAS_POWEROFF');
    await refused(ACTION, /Cannot delete image \[\d+\]: VM \d+ is saving a disk into it/, 'one.image.delete', stuck, false);
    await d.ok('one.vm.recover', id, 0);
    await untilState(d, id, 'POWEROFF');
    expect(await imageState(stuck)).toBe(ERROR);
    await d.ok('one.image.delete', stuck, false);

    // recover --retry runs the copy again.
    const retried = Number(await d.ok('one.vm.disksaveas', id, 0, 'retried', '', -1));
    await untilState(d, id, 'HOTPLUG_SAVEAS_POWEROFF');
    await script('');
    await d.ok('one.vm.recover', id, 2);
    await untilImage(retried, READY);
    await untilState(d, id, 'POWEROFF');
    await d.ok('one.vm.action', 'terminate-hard', id);
  });

  it('finishes a save interrupted by a daemon restart, with the disk\'s data', async () => {
    const id = await running();
    await d.ok('one.vm.action', 'poweroff-hard', id);
    await untilState(d, id, 'POWEROFF');
    await script('CPDS = "never"');
    const saved = Number(await d.ok('one.vm.disksaveas', id, 0, 'restarted', '', -1));
    await untilState(d, id, 'HOTPLUG_SAVEAS_POWEROFF');
    await script('');
    await d.kill();
    await d.start();
    await untilImage(saved, READY);
    await untilState(d, id, 'POWEROFF');
    expect(readFileSync(xmlText(await image(saved), 'SOURCE')!).equals(readFileSync(osFile))).toBe(true);
    await d.ok('one.vm.action', 'terminate-hard', id);
  });

  it('onevm disk-saveas prints the new image\'s id and takes --type', async () => {
    const id = await running();
    const out = await onevm('disk-saveas', id, 0, 'by-cli', '--type', 'datablock');
    const saved = Number(/^Image ID: (\d+)\n$/.exec(out)![1]);
    await untilImage(saved, READY);
    expect(xmlText(await image(saved), 'TYPE')).toBe('2');
    const bad = await cli(d, 'onevm', ['disk-saveas', String(id), '0', 'snap', '--snapshot', '4']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/the disk has no snapshot 4/);
    await d.ok('one.vm.action', 'terminate-hard', id);
  });

  it('onevm save copies a powered-off VM into a template with new images, its capacity and NICs', async () => {
    const tpl = Number(await d.ok('one.template.allocate', vmTemplate(`DISK=[IMAGE_ID=${os}]\nDISK=[TYPE="fs",SIZE=4,FORMAT="raw"]\nNIC=[BRIDGE="br0",MODEL="virtio"]\nDESCRIPTION="web server"`, 'web')));
    const id = Number(/VM ID: (\d+)/.exec(await cliOk(d, 'onetemplate', ['instantiate', String(tpl)]))![1]);
    await untilState(d, id, 'RUNNING');
    const refusedRun = await cli(d, 'onevm', ['save', String(id), 'web-copy']);
    expect(refusedRun.code).not.toBe(0);
    expect(refusedRun.stderr).toMatch(/must be POWEROFF/);
    await d.ok('one.vm.action', 'poweroff', id);
    await untilState(d, id, 'POWEROFF');
    await d.ok('one.vm.resize', id, 'MEMORY=128\nCPU=0.2', false);

    const out = await onevm('save', id, 'web-copy', '--persistent');
    const saved = Number(/^Template ID: (\d+)\n$/.exec(out)![1]);
    const xml = String(await d.ok('one.template.info', saved));
    expect(xmlText(xml, 'NAME')).toBe('web-copy');
    expect(templateText(xml, 'MEMORY')).toBe('128');
    expect(templateText(xml, 'CPU')).toBe('0.2');
    expect(templateText(xml, 'DESCRIPTION')).toBe('web server');
    expect(templateText(xml, 'SAVED_TEMPLATE_ID')).toBe(String(tpl));
    expect(templateText(xml, 'BRIDGE')).toBe('br0');
    const [disk0, disk1] = disksOf(xml);
    expect(disk1).toEqual({ TYPE: 'fs', SIZE: '4', FORMAT: 'raw' });
    const copy = Number(disk0!.IMAGE_ID);
    expect(disk0).toEqual({ IMAGE_ID: String(copy) });
    const img = await image(copy);
    expect(img).toContain('<NAME>web-copy-disk-0</NAME>');
    expect(xmlText(img, 'PERSISTENT')).toBe('1');
    expect(xmlText(img, 'STATE')).toBe(READY);

    // the copy runs, on its persistent image
    const again = Number(/VM ID: (\d+)/.exec(await cliOk(d, 'onetemplate', ['instantiate', 'web-copy']))![1]);
    await untilState(d, again, 'RUNNING');
    expect(await imageState(copy)).toBe(USED_PERS);
    for (const vm of [id, again]) await d.ok('one.vm.action', 'terminate-hard', vm);
  });

  it('onetemplate instantiate --persistent: private persistent clones, CLONING -> PENDING -> RUNNING', async () => {
    const webVm = Number(await d.ok('one.template.allocate', vmTemplate(`DISK=[IMAGE="os"]\nDISK=[TYPE="fs",SIZE=4]`, 'web_vm')));
    const out = await cliOk(d, 'onetemplate', ['instantiate', 'web_vm', '--persistent', '--name', 'my_vm']);
    const id = Number(/^VM ID: (\d+)\n$/.exec(out)![1]);
    await untilState(d, id, 'RUNNING');
    expect(d.log).toMatch(new RegExp(`"vm":${id},"image":\\d+,"from":"CLONING","to":"PENDING"`));

    const templates = await cliOk(d, 'onetemplate', ['list']);
    expect(templates).toMatch(/ web_vm /);
    expect(templates).toMatch(/ my_vm /);
    const images = await cliOk(d, 'oneimage', ['list', '--csv', '-l', 'NAME,PER,STAT,RVMS']);
    expect(images).toContain('my_vm-disk-0,Yes,used,1');
    const vm = String(await d.ok('one.vm.info', id));
    expect(xmlText(vm, 'NAME')).toBe('my_vm');
    const [disk0, disk1] = disksOf(vm);
    expect(disk0).toMatchObject({ IMAGE: 'my_vm-disk-0', PERSISTENT: 'YES' });
    expect(disk1).toMatchObject({ TYPE: 'fs', SIZE: '4' });
    const clone = Number(disk0!.IMAGE_ID);
    expect(readFileSync(xmlText(await image(clone), 'SOURCE')!).equals(readFileSync(osFile))).toBe(true);
    const copy = String(await d.ok('one.template.info', Number(templateText(vm, 'TEMPLATE_ID'))));
    expect(disksOf(copy)[0]).toEqual({ IMAGE_ID: String(clone) });

    await d.ok('one.vm.action', 'terminate-hard', id);
    await untilState(d, id, 'DONE');
    expect(await imageState(clone)).toBe(READY);

    // a name already taken refuses the whole instantiation, leaving nothing behind
    await refused(ALLOCATE, /NAME is already taken/, 'one.template.instantiate', webVm, 'my_vm', false, '', true);
  });

  it('a clone that cannot be copied leaves the VM in CLONING_FAILURE with the reason', async () => {
    const file = join(d.dir, 'gone.img');
    writeFileSync(file, 'x');
    const gone = Number(await d.ok('one.image.allocate', `NAME="gone"\nPATH="${file}"`, 1, false));
    await untilImage(gone, READY);
    rmSync(xmlText(await image(gone), 'SOURCE')!);
    const tpl = Number(await d.ok('one.template.allocate', vmTemplate('DISK=[IMAGE="gone"]', 'broken')));
    const id = Number(await d.ok('one.template.instantiate', tpl, 'broken_vm', false, '', true));
    await untilState(d, id, 'CLONING_FAILURE');
    expect(await userError(id)).toMatch(/Cannot copy image \[\d+\] &quot;broken_vm-disk-0&quot;: ENOENT/);
    await d.ok('one.vm.action', 'terminate', id);
    await untilState(d, id, 'DONE');
  });
});
