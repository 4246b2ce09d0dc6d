import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliOk, csvRows } from './harness/cli.js';
import { TestDaemon, eventually } from './harness/daemon.js';
import { untilState, xmlText } from './harness/vm-state.js';

const AUTHORIZATION = 0x200;
const NO_EXISTS = 0x400;
const ACTION = 0x800;
const INTERNAL = 0x2000;
const ALLOCATE = 0x4000;

// Datastores through the API and onedatastore, against a real daemon.
describe('datastores', () => {
  const d = new TestDaemon();
  const alice = 'alice:wonder';
  const pool = async () => String(await d.ok('one.datastorepool.info'));
  /** The pool without its capacity figures, which monitoring refreshes from the real file system meanwhile. */
  const definitions = async () => (await pool()).replace(/<(TOTAL|FREE|USED)_MB>\d+<\/\1_MB>/g, '');
  /** Calls that must fail; the pool must be the same afterwards. */
  const refused = async (code: number, message: RegExp, method: string, ...params: unknown[]) => {
    const before = await definitions();
    const r = await d.rpc(method, ...(params as never[]));
    expect(r[0]).toBe(false);
    expect(r[2]).toBe(code);
    expect(String(r[1])).toMatch(message);
    expect(await definitions()).toBe(before);
  };

  beforeAll(async () => {
    await d.start();
    await d.ok('one.user.allocate', 'alice', 'wonder', '', []);
  });
  afterAll(() => d.dispose());

  it('starts with system, default and files, their BASE_PATH under DATA_DIR, and fills their capacity', async () => {
    const xml = await pool();
    expect([...xml.matchAll(/<DATASTORE><ID>(\d+)<\/ID>.*?<NAME>([^<]*)<\/NAME>/g)].map((m) => [m[1], m[2]])).toEqual([['0', 'system'], ['1', 'default'], ['2', 'files']]);
    const info = String(await d.ok('one.datastore.info', 1));
    expect(xmlText(info, 'BASE_PATH')).toBe(join(d.dataDir, 'datastores', '1'));
    await eventually(async () => (Number(xmlText(String(await d.ok('one.datastore.info', 1)), 'TOTAL_MB')) > 0 ? true : undefined));
    const full = String(await d.ok('one.datastore.info', 1));
    expect(Number(xmlText(full, 'FREE_MB'))).toBeLessThanOrEqual(Number(xmlText(full, 'TOTAL_MB')));
    expect(existsSync(join(d.dataDir, 'datastores', '0'))).toBe(true);
  });

  it('lists the datastores of the default cluster in its document', async () => {
    expect(String(await d.ok('one.cluster.info', 0))).toContain('<DATASTORES><ID>0</ID><ID>1</ID><ID>2</ID></DATASTORES>');
  });

  it('creates, updates, renames, chmods, chowns and deletes through onedatastore', async () => {
    writeFileSync(join(d.dir, 'ds.txt'), 'NAME = "fast"\nTYPE = "IMAGE_DS"\nDS_MAD = "fs"\nTM_MAD = "qcow2"\n');
    expect(await cliOk(d, 'onedatastore', ['create', 'ds.txt'])).toBe('ID: 100\n');
    const rows = csvRows(await cliOk(d, 'onedatastore', ['list', '--csv']));
    expect(rows.map((r) => [r.ID, r.NAME, r.TYPE, r.DS, r.TM, r.STAT, r.CLUSTERS])).toContainEqual(['100', 'fast', 'img', 'fs', 'qcow2', 'on', '0']);
    writeFileSync(join(d.dir, 'more.txt'), 'NOTE = "ssd"\n');
    await cliOk(d, 'onedatastore', ['update', 'fast', 'more.txt', '--append']);
    await cliOk(d, 'onedatastore', ['rename', 'fast', 'faster']);
    await cliOk(d, 'onedatastore', ['chmod', 'faster', '644']);
    await cliOk(d, 'onedatastore', ['chown', 'faster', 'alice']);
    const show = await cliOk(d, 'onedatastore', ['show', 'faster']);
    expect(show).toContain('NAME           : faster');
    expect(show).toContain('USER           : alice');
    expect(show).toContain('OTHER          : u--');
    expect(show).toContain('NOTE="ssd"');
    expect(show).toContain('TM_MAD="qcow2"');
    expect(JSON.parse(await cliOk(d, 'onedatastore', ['show', '100', '-j'])).DATASTORE.NAME).toBe('faster');
    await cliOk(d, 'onedatastore', ['delete', 'faster']);
    const gone = await cli(d, 'onedatastore', ['show', '100']);
    expect(gone.code).toBe(255);
    expect(gone.stderr).toContain('Error getting datastore [100]');
  });

  it('disables and enables the system datastore only', async () => {
    await cliOk(d, 'onedatastore', ['disable', 'system']);
    expect(csvRows(await cliOk(d, 'onedatastore', ['list', '--csv', '-l', 'ID,STAT']))[0]).toEqual({ ID: '0', STAT: 'off' });
    await cliOk(d, 'onedatastore', ['enable', '0']);
    expect(xmlText(String(await d.ok('one.datastore.info', 0)), 'STATE')).toBe('0');
    const r = await cli(d, 'onedatastore', ['disable', 'default']);
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('[one.datastore.enable] Only SYSTEM_DS can be disabled or enabled');
    await refused(INTERNAL, /Only SYSTEM_DS/, 'one.datastore.enable', 2, false);
  });

  it('refuses bad templates with ALLOCATE and says what to add', async () => {
    await refused(ALLOCATE, /No DS_MAD in template: .*add DS_MAD = "fs"/, 'one.datastore.allocate', 'NAME=x\nTM_MAD=ssh', -1);
    await refused(ALLOCATE, /No TM_MAD in template/, 'one.datastore.allocate', 'NAME=x\nDS_MAD=fs', -1);
    await refused(ALLOCATE, /Invalid TYPE "DISK_DS"/, 'one.datastore.allocate', 'NAME=x\nTYPE=DISK_DS\nDS_MAD=fs\nTM_MAD=ssh', -1);
    await refused(ALLOCATE, /No NAME in template/, 'one.datastore.allocate', 'DS_MAD=fs\nTM_MAD=ssh', -1);
    await refused(ALLOCATE, /NAME is already taken by DATASTORE 1/, 'one.datastore.allocate', 'NAME=default\nDS_MAD=fs\nTM_MAD=ssh', -1);
    await refused(ALLOCATE, /Parse error/, 'one.datastore.allocate', 'NAME=[', -1);
    await refused(NO_EXISTS, /Error getting cluster \[7\]/, 'one.datastore.allocate', 'NAME=x\nDS_MAD=fs\nTM_MAD=ssh', 7);
  });

  it('refuses unknown ids, bad updates and duplicate names, changing nothing', async () => {
    await refused(NO_EXISTS, /\[one\.datastore\.info\] Error getting datastore \[42\]/, 'one.datastore.info', 42);
    await refused(NO_EXISTS, /Error getting datastore \[42\]/, 'one.datastore.delete', 42);
    await refused(INTERNAL, /TM_MAD named "lvm" is not defined/, 'one.datastore.update', 1, 'TM_MAD=lvm', 1);
    await refused(0x1000, /Wrong update type 3/, 'one.datastore.update', 1, 'A=1', 3);
    await refused(ACTION, /already taken by DATASTORE 2/, 'one.datastore.rename', 1, 'files');
    await refused(NO_EXISTS, /Error getting user \[77\]/, 'one.datastore.chown', 1, 77, -1);
  });

  it('lets a user without rights see and change nothing', async () => {
    expect(String((await d.rpcAs(alice, 'one.datastorepool.info'))[1])).toBe('<DATASTORE_POOL></DATASTORE_POOL>');
    expect((await d.rpcAs(alice, 'one.datastore.info', 1))[2]).toBe(AUTHORIZATION);
    for (const [method, ...params] of [
      ['one.datastore.allocate', 'NAME=mine\nDS_MAD=fs\nTM_MAD=ssh', -1],
      ['one.datastore.delete', 1],
      ['one.datastore.rename', 1, 'x'],
      ['one.datastore.enable', 0, false],
      ['one.datastore.chmod', 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    ] as const) {
      const before = await definitions();
      const r = await d.rpcAs(alice, method, ...(params as unknown as never[]));
      expect([method, r[2]]).toEqual([method, AUTHORIZATION]);
      expect(await definitions()).toBe(before);
    }
  });

  it('refuses to delete the system datastore while a VM has its files on it', async () => {
    await d.ok('one.host.allocate', 'h', 'dummy', 'dummy', -1);
    const vm = Number(await d.ok('one.vm.allocate', 'CPU=0.1\nMEMORY=16'));
    await untilState(d, vm, 'RUNNING');
    await refused(ACTION, new RegExp(`Cannot delete datastore \\[0\\]: VMs ${vm} have their files on it: terminate them first`), 'one.datastore.delete', 0);
  });
});

describe('datastores of a data directory made before they existed', () => {
  const d = new TestDaemon();
  afterAll(() => d.dispose());

  it('get the defaults on the next start', async () => {
    await d.start();
    await d.stop();
    const db = new Database(join(d.dataDir, 'one.db'));
    db.exec('DROP TABLE datastore');
    db.close();
    await d.start();
    expect([...String(await d.ok('one.datastorepool.info')).matchAll(/<NAME>([^<]*)<\/NAME>/g)].map((m) => m[1])).toEqual(['system', 'default', 'files']);
  });
});
