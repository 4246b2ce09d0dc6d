import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xsdErrors } from '../src/api/xml/test-fixtures.js';
import { cli, cliOk, csvRows } from './harness/cli.js';
import { TestDaemon, eventually } from './harness/daemon.js';
import { xmlText } from './harness/vm-state.js';

const NO_EXISTS = 0x400;
const ACTION = 0x800;
const ALLOCATE = 0x4000;
const LOCKED = 0x8000;
const READY = '1';

/** Waits until the image leaves LOCKED; its info document. */
async function settled(d: TestDaemon, id: number, ms = 10_000): Promise<string> {
  return eventually(async () => {
    const xml = String(await d.ok('one.image.info', id));
    return xmlText(xml, 'STATE') === '4' ? undefined : xml;
  }, ms, `image ${id} to leave LOCKED`);
}

// Images through the API and oneimage, against a real daemon and real files.
describe('images', () => {
  const d = new TestDaemon();
  const pool = async () => String(await d.ok('one.imagepool.info', -2, -1, -1));
  /** Calls that must fail; the pool must be the same afterwards. */
  const refused = async (code: number, message: RegExp, method: string, ...params: unknown[]) => {
    const before = await pool();
    const r = await d.rpc(method, ...(params as never[]));
    expect(r[0]).toBe(false);
    expect(r[2]).toBe(code);
    expect(String(r[1])).toMatch(message);
    expect(await pool()).toBe(before);
  };

  beforeAll(async () => {
    await d.start();
  });
  afterAll(() => d.dispose());

  it('copies a real file into the default datastore and lists it', async () => {
    const file = join(d.dir, 'disk.img');
    writeFileSync(file, Buffer.alloc(3 * 1024 * 1024, 7));
    expect(await cliOk(d, 'oneimage', ['create', '--name', 'disk', '--path', file, '--datastore', 'default', '--prefix', 'vd'])).toBe('ID: 0\n');
    const xml = await settled(d, 0);
    expect(xmlText(xml, 'STATE')).toBe(READY);
    const source = xmlText(xml, 'SOURCE') ?? '';
    expect(source).toMatch(new RegExp(`^${join(d.dataDir, 'datastores', '1')}/[0-9a-f]{32}$`));
    expect(readFileSync(source).equals(readFileSync(file))).toBe(true);
    expect(xmlText(xml, 'FORMAT')).toBe('raw');
    expect(xmlText(xml, 'SIZE')).toBe('3');
    expect(xmlText(xml, 'PATH')).toBe(file);
    expect(String(await d.ok('one.datastore.info', 1))).toContain('<IMAGES><ID>0</ID></IMAGES>');
    const row = csvRows(await cliOk(d, 'oneimage', ['list', '--csv']))[0];
    expect(row).toEqual({ ID: '0', USER: 'oneadmin', GROUP: 'oneadmin', NAME: 'disk', DATASTORE: 'default', SIZE: '3M', TYPE: 'OS', PER: 'No', STAT: 'rdy', RVMS: '0' });
    const show = await cliOk(d, 'oneimage', ['show', 'disk']);
    expect(show).toContain('IMAGE 0 INFORMATION');
    expect(show).toContain('STATE          : rdy');
    expect(show).toContain('DEV_PREFIX="vd"');
  });

  it('creates a real empty qcow2 datablock', async () => {
    const id = Number(await d.ok('one.image.allocate', 'NAME="data"\nTYPE="DATABLOCK"\nSIZE="64"\nFORMAT="qcow2"\nPERSISTENT="YES"', 1, false));
    const xml = await settled(d, id);
    expect([xmlText(xml, 'STATE'), xmlText(xml, 'TYPE'), xmlText(xml, 'PERSISTENT'), xmlText(xml, 'SIZE')]).toEqual([READY, '2', '1', '64']);
    const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', xmlText(xml, 'SOURCE') ?? '']).toString()) as Record<string, unknown>;
    expect(info.format).toBe('qcow2');
    expect(info['virtual-size']).toBe(64 * 1024 * 1024);
  });

  it('refuses bad allocations with OpenNebula codes, changing nothing', async () => {
    await refused(ALLOCATE, /No PATH and no SIZE/, 'one.image.allocate', 'NAME="x"\nTYPE="DATABLOCK"', 1, false);
    await refused(ALLOCATE, /No PATH in template/, 'one.image.allocate', 'NAME="x"', 1, false);
    await refused(NO_EXISTS, /Error getting datastore \[42\]/, 'one.image.allocate', 'NAME="x"\nTYPE="DATABLOCK"\nSIZE="1"', 42, false);
    await refused(ALLOCATE, /cannot be allocated in a system datastore/, 'one.image.allocate', 'NAME="x"\nTYPE="DATABLOCK"\nSIZE="1"', 0, false);
    await refused(ALLOCATE, /DATABLOCK images cannot go to datastore \[2\]/, 'one.image.allocate', 'NAME="x"\nTYPE="DATABLOCK"\nSIZE="1"', 2, false);
    await refused(ALLOCATE, /Cannot read PATH "\/no\/such\/file"/, 'one.image.allocate', 'NAME="x"\nPATH="/no/such/file"', 1, false);
    await refused(ALLOCATE, /NAME is already taken by IMAGE 0/, 'one.image.allocate', 'NAME="disk"\nTYPE="DATABLOCK"\nSIZE="1"', 1, false);
    const r = await cli(d, 'oneimage', ['create', '--name', 'x', '--path', '/tmp/x']);
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('Datastore to save the image is mandatory');
  });

  it('changes state, persistence, type, name, permissions and template; follows the state rules', async () => {
    await cliOk(d, 'oneimage', ['disable', 'disk']);
    expect(csvRows(await cliOk(d, 'oneimage', ['list', '--csv', '-l', 'ID,STAT']))[0]).toEqual({ ID: '0', STAT: 'disa' });
    await refused(ACTION, /Cannot clone image \[0\] in state DISABLED/, 'one.image.clone', 0, 'c', -1);
    await cliOk(d, 'oneimage', ['enable', '0']);
    await cliOk(d, 'oneimage', ['persistent', 'disk']);
    await cliOk(d, 'oneimage', ['chtype', 'disk', 'cdrom']);
    await cliOk(d, 'oneimage', ['rename', 'disk', 'disk2']);
    await cliOk(d, 'oneimage', ['chmod', 'disk2', '640']);
    writeFileSync(join(d.dir, 'more.txt'), 'NOTE = "hi"\n');
    await cliOk(d, 'oneimage', ['update', 'disk2', 'more.txt', '--append']);
    const xml = String(await d.ok('one.image.info', 0));
    expect([xmlText(xml, 'NAME'), xmlText(xml, 'PERSISTENT'), xmlText(xml, 'TYPE'), xmlText(xml, 'GROUP_U'), xmlText(xml, 'NOTE')]).toEqual(['disk2', '1', '1', '1', 'hi']);
    await cliOk(d, 'oneimage', ['nonpersistent', 'disk2']);
    await refused(ACTION, /Unknown image type "DISK"/, 'one.image.chtype', 0, 'DISK');
    await refused(ACTION, /cannot be KERNEL/, 'one.image.chtype', 0, 'KERNEL');
    await cliOk(d, 'oneimage', ['lock', 'disk2']);
    await refused(LOCKED, /locked/, 'one.image.rename', 0, 'other');
    await cliOk(d, 'oneimage', ['unlock', 'disk2']);
    await cliOk(d, 'oneimage', ['rename', 'disk2', 'disk']);
  });

  it('clones an image into a new file and deletes images with their files', async () => {
    const id = Number(/^ID: (\d+)\n$/.exec(await cliOk(d, 'oneimage', ['clone', 'disk', 'copy']))?.[1]);
    const xml = await settled(d, id);
    expect(xmlText(xml, 'STATE')).toBe(READY);
    const original = String(await d.ok('one.image.info', 0));
    expect([xmlText(original, 'STATE'), xmlText(original, 'CLONING_OPS')]).toEqual([READY, '0']);
    expect(original).toContain('<CLONES></CLONES>');
    const source = xmlText(xml, 'SOURCE') ?? '';
    expect(readFileSync(source).equals(readFileSync(xmlText(original, 'SOURCE') ?? ''))).toBe(true);
    await cliOk(d, 'oneimage', ['delete', 'copy']);
    expect(existsSync(source)).toBe(false);
    await refused(NO_EXISTS, /Error getting image/, 'one.image.info', id);
    expect(String(await d.ok('one.datastore.info', 1))).toMatch(/<IMAGES><ID>0<\/ID><ID>1<\/ID><\/IMAGES>/);
  });

  it('writes nothing big into a DS_MAD = dummy datastore: a sparse file of the image\'s size', async () => {
    const ds = Number(await d.ok('one.datastore.allocate', 'NAME="rehearsal"\nDS_MAD="dummy"\nTM_MAD="dummy"', -1));
    const id = Number(await d.ok('one.image.allocate', 'NAME="huge"\nTYPE="DATABLOCK"\nSIZE="102400"', ds, true));
    const xml = await settled(d, id);
    expect([xmlText(xml, 'STATE'), xmlText(xml, 'SIZE'), xmlText(xml, 'FORMAT')]).toEqual([READY, '102400', 'raw']);
    const file = statSync(xmlText(xml, 'SOURCE') ?? '');
    expect([file.size, file.blocks]).toEqual([102400 * 1024 * 1024, 0]);
    await d.ok('one.image.delete', id);
    await eventually(async () => (existsSync(xmlText(xml, 'SOURCE') ?? '') ? undefined : true), 10_000, 'the file to go');
  });

  it('finishes a copy interrupted by kill -9 after a restart, leaving no partial file', async () => {
    const big = join(d.dir, 'big.img');
    writeFileSync(big, '');
    truncateSync(big, 2 * 1024 * 1024 * 1024);
    const id = Number(await d.ok('one.image.allocate', `NAME="big"\nPATH="${big}"`, 1, true));
    expect(xmlText(String(await d.ok('one.image.info', id)), 'STATE')).toBe('4');
    // the DS driver writing SOURCE.part is the copy under way (2 GB take seconds): the daemon dies in its middle
    const parts = () => readdirSync(join(d.dataDir, 'datastores', '1')).filter((f) => f.endsWith('.part'));
    await eventually(async () => (parts().length > 0 ? true : undefined), 10_000, 'the copy to start');
    await d.kill();
    await d.start();
    const xml = await settled(d, id, 60_000);
    expect(xmlText(xml, 'STATE')).toBe(READY);
    expect(statSync(xmlText(xml, 'SOURCE') ?? '').size).toBe(2 * 1024 * 1024 * 1024);
    expect(parts()).toEqual([]);
    await d.ok('one.image.delete', id);
  }, 90_000);

  it('ends in ERROR with the reason when the file vanished before a restarted copy', async () => {
    const gone = join(d.dir, 'gone.img');
    writeFileSync(gone, '');
    truncateSync(gone, 2 * 1024 * 1024 * 1024);
    const id = Number(await d.ok('one.image.allocate', `NAME="gone"\nPATH="${gone}"`, 1, true));
    await d.kill();
    rmSync(gone);
    await d.start();
    const xml = await settled(d, id, 60_000);
    expect(xmlText(xml, 'STATE')).toBe('5');
    expect(xmlText(xml, 'ERROR')).toMatch(/Error copying image in the datastore: .*ENOENT/);
    await refused(ACTION, /Cannot enable image/, 'one.image.enable', id, true);
    expect(xsdErrors('image', xml)).toBeUndefined();
    expect(xsdErrors('image_pool', await pool())).toBeUndefined();
  }, 90_000);
});
