import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xsdErrors } from '../src/api/xml/test-fixtures.js';
import { cliOk } from './harness/cli.js';
import { TestDaemon, eventually } from './harness/daemon.js';
import { disksOf, untilState, xmlText } from './harness/vm-state.js';

const ACTION = 0x800;
const ALLOCATE = 0x4000;

// VM disks from images on dummy hosts: which images a VM takes, their states and counts, and refusals.
describe('VM disks from images', () => {
  const d = new TestDaemon();
  let os = 0;
  let data = 0;
  const image = async (id: number) => String(await d.ok('one.image.info', id));
  const vmPool = async () => String(await d.ok('one.vmpool.info', -2, -1, -1, -2));
  const imagePool = async () => String(await d.ok('one.imagepool.info', -2, -1, -1));
  /** A call that must fail with `code` and change neither VMs nor images. */
  const refused = async (code: number, message: RegExp, method: string, ...params: (string | number | boolean)[]) => {
    const before = [await vmPool(), await imagePool()];
    const r = await d.rpc(method, ...params);
    expect(r[0]).toBe(false);
    expect(String(r[1])).toMatch(message);
    expect(r[2]).toBe(code);
    expect([await vmPool(), await imagePool()]).toEqual(before);
  };
  const vm = (disks: string, name = 'vm') => `NAME="${name}"\nCPU=0.1\nMEMORY=64\n${disks}`;

  beforeAll(async () => {
    await d.start();
    await d.ok('one.host.allocate', 'host0', 'dummy', 'dummy', -1);
    const file = join(d.dir, 'os.img');
    writeFileSync(file, Buffer.alloc(2 * 1024 * 1024, 1));
    os = Number(await d.ok('one.image.allocate', `NAME="os"\nPATH="${file}"\nDEV_PREFIX="vd"`, 1, false));
    data = Number(await d.ok('one.image.allocate', 'NAME="data"\nTYPE="DATABLOCK"\nSIZE=8\nPERSISTENT="YES"', 1, false));
    for (const id of [os, data]) await eventually(async () => (xmlText(await image(id), 'STATE') === '1' ? true : undefined), 10_000, `image ${id} READY`);
  });
  afterAll(() => d.dispose());

  it('takes the images a VM names: USED, USED_PERS, counted, and filled into its DISKs', async () => {
    const id = Number(await d.ok('one.vm.allocate', vm(`DISK=[IMAGE_ID=${os}]\nDISK=[IMAGE="data",IMAGE_UNAME="oneadmin"]\nDISK=[TYPE="fs",SIZE=4]`)));
    const xml = String(await d.ok('one.vm.info', id));
    const [d0, d1, d2] = disksOf(xml);
    expect(d0).toMatchObject({ DISK_ID: '0', IMAGE: 'os', IMAGE_ID: String(os), DATASTORE_ID: '1', CLONE: 'YES', TARGET: 'vda', SIZE: '2', TM_MAD: 'ssh', TYPE: 'FILE' });
    expect(d0!.SOURCE).toBe(xmlText(await image(os), 'SOURCE'));
    expect(d1).toMatchObject({ IMAGE: 'data', PERSISTENT: 'YES', CLONE: 'NO', SAVE: 'YES', TARGET: 'vdb', SIZE: '8' });
    expect(d2).toMatchObject({ TYPE: 'fs', TARGET: 'vdc' });
    expect(xsdErrors('vm.xsd', xml)).toBeUndefined();
    expect(xmlText(await image(os), 'STATE')).toBe('2');
    expect(xmlText(await image(os), 'RUNNING_VMS')).toBe('1');
    expect(await image(os)).toContain(`<VMS><ID>${id}</ID></VMS>`);
    expect(xmlText(await image(data), 'STATE')).toBe('8');
    await untilState(d, id, 'RUNNING');

    // a persistent image serves one VM; an image in use cannot be deleted or made persistent
    await refused(ALLOCATE, /Cannot use image \[\d+\] "data": it is persistent and another VM uses it/, 'one.vm.allocate', vm('DISK=[IMAGE="data"]'));
    await refused(ACTION, /Cannot delete image/, 'one.image.delete', os, false);
    await refused(ACTION, /persistence cannot change/, 'one.image.persistent', os, true);

    // a non-persistent image serves many VMs
    const other = Number(await d.ok('one.vm.allocate', vm(`DISK=[IMAGE_ID=${os}]`, 'other')));
    expect(xmlText(await image(os), 'RUNNING_VMS')).toBe('2');

    await d.ok('one.vm.action', 'terminate-hard', id);
    await untilState(d, id, 'DONE');
    expect(xmlText(await image(data), 'STATE')).toBe('1');
    expect(xmlText(await image(os), 'RUNNING_VMS')).toBe('1');
    await d.ok('one.vm.recover', other, 5);
    await untilState(d, other, 'DONE');
    expect(xmlText(await image(os), 'STATE')).toBe('1');
    expect(await image(os)).toContain('<VMS></VMS>');
  });

  it('refuses disks it cannot give, changing nothing', async () => {
    await refused(ALLOCATE, /Image \[999\] does not exist/, 'one.vm.allocate', vm('DISK=[IMAGE_ID=999]'));
    await refused(ALLOCATE, /has no image named "nope"/, 'one.vm.allocate', vm('DISK=[IMAGE="nope"]'));
    await refused(ALLOCATE, /DISK 0 names no image/, 'one.vm.allocate', vm('DISK=[SIZE=3]'));
    await refused(ALLOCATE, /DISK SIZE 1 MB is smaller than image/, 'one.vm.allocate', vm(`DISK=[IMAGE_ID=${os},SIZE=1]`));
    // the first disk's image is not taken when the second one fails
    await refused(ALLOCATE, /does not exist/, 'one.vm.allocate', vm(`DISK=[IMAGE_ID=${os}]\nDISK=[IMAGE_ID=998]`));
    await d.ok('one.image.enable', os, false);
    await refused(ALLOCATE, /it is disabled; enable it/, 'one.vm.allocate', vm(`DISK=[IMAGE_ID=${os}]`));
    await d.ok('one.image.enable', os, true);
  });

  it('grows a disk at instantiate with onetemplate instantiate --disk image:size=N', async () => {
    const tpl = Number(await d.ok('one.template.allocate', vm(`DISK=[IMAGE_ID=${os}]`, 'sized')));
    const out = await cliOk(d, 'onetemplate', ['instantiate', String(tpl), '--disk', 'os:size=64']);
    const id = Number(/VM ID: (\d+)/.exec(out)![1]);
    expect(disksOf(String(await d.ok('one.vm.info', id)))[0]).toMatchObject({ IMAGE: 'os', SIZE: '64', ORIGINAL_SIZE: '2' });
    await d.ok('one.vm.action', 'terminate-hard', id);
    await untilState(d, id, 'DONE');
  });
});
