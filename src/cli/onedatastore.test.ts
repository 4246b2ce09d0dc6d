import { describe, expect, it } from 'vitest';
import { datastoreToXml } from '../api/xml/datastore.js';
import { poolXml } from '../api/xml/pool.js';
import { defaultDatastores } from '../domain/datastore.js';
import { run } from './onedatastore.js';
import { runWith, type Handler } from './testing/fake-one.js';

const [system, images, files] = defaultDatastores('/var/lib/nimbus');
const filled = { ...images, totalMb: 10240, freeMb: 4096, usedMb: 5120, images: [3, 7] };
const POOLS: Record<string, Handler> = {
  'one.datastorepool.info': () => poolXml('DATASTORE_POOL', [system, filled, files].map(datastoreToXml)),
  'one.datastore.info': (id) => datastoreToXml([system, filled, files][Number(id)]),
  'one.userpool.info': () => '<USER_POOL><USER><ID>5</ID><NAME>alice</NAME></USER></USER_POOL>',
};
const ok: Handler = (...p) => Number(p.find((x) => typeof x === 'number') ?? 0);
const ds = (argv: string[], handlers: Record<string, Handler> = {}) => runWith(run, argv, { ...POOLS, ...handlers });

describe('onedatastore', () => {
  it('lists with OpenNebula columns: per-host system capacity is -, images counted', async () => {
    const r = await ds(['list']);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('  ID NAME                SIZE AVA CLUSTERS IMAGES TYPE DS      TM      STAT');
    expect(lines[1]).toBe('   0 system                 - -   0             0 sys  -       ssh     on');
    expect(lines[2]).toBe('   1 default              10G 40% 0             2 img  fs      ssh     on');
    const csv = await ds(['list', '--csv', '-l', 'ID,NAME,TYPE']);
    expect(csv.out).toBe('ID,NAME,TYPE\n0,system,sys\n1,default,img\n2,files,fil\n');
  });

  it('shows a datastore, and its raw document with -x', async () => {
    const r = await ds(['show', 'default']);
    expect(r.out).toContain('DATASTORE 1 INFORMATION');
    expect(r.out).toContain('BASE PATH      : /var/lib/nimbus/datastores/1');
    expect(r.out).toContain('TOTAL:         : 10G');
    expect(r.out).toContain('GROUP          : u--');
    expect(r.out).toMatch(/IMAGES\s*\n\s+3\n\s+7\n$/);
    expect((await ds(['show', '1', '-x'])).out).toBe(datastoreToXml(filled) + '\n');
  });

  it('creates from a file, in the default cluster unless told', async () => {
    const r = await runWith(run, ['create', 'ds.txt'], { ...POOLS, 'one.datastore.allocate': () => 100 }, { readFile: async () => 'NAME=x\nDS_MAD=fs\nTM_MAD=ssh' });
    expect(r.out).toBe('ID: 100\n');
    expect(r.one.paramsOf('one.datastore.allocate')).toEqual([['NAME=x\nDS_MAD=fs\nTM_MAD=ssh', -1]]);
  });

  it('enables, disables, deletes, renames, chmods and chowns by id or name', async () => {
    expect((await ds(['disable', 'system'], { 'one.datastore.enable': ok })).one.paramsOf('one.datastore.enable')).toEqual([[0, false]]);
    expect((await ds(['enable', '0'], { 'one.datastore.enable': ok })).one.paramsOf('one.datastore.enable')).toEqual([[0, true]]);
    expect((await ds(['delete', '1,2'], { 'one.datastore.delete': ok })).one.paramsOf('one.datastore.delete')).toEqual([[1], [2]]);
    expect((await ds(['rename', 'files', 'f2'], { 'one.datastore.rename': ok })).one.paramsOf('one.datastore.rename')).toEqual([[2, 'f2']]);
    expect((await ds(['chmod', '1', '640'], { 'one.datastore.chmod': ok })).one.paramsOf('one.datastore.chmod')).toEqual([[1, 1, 1, 0, 1, 0, 0, 0, 0, 0]]);
    expect((await ds(['chown', '1', 'alice'], { 'one.datastore.chown': ok })).one.paramsOf('one.datastore.chown')).toEqual([[1, 5, -1]]);
  });

  it('updates from the editor with the current template, or appends', async () => {
    const upd = await runWith(run, ['update', '1'], { ...POOLS, 'one.datastore.update': ok }, { edit: async (t) => t + 'NOTE="a"\n' });
    const [[id, text, type]] = upd.one.paramsOf('one.datastore.update');
    expect([id, type]).toEqual([1, 0]);
    expect(text).toContain('DS_MAD="fs"');
    expect(text).toContain('NOTE="a"');
    const app = await runWith(run, ['update', '1', 'f', '-a'], { ...POOLS, 'one.datastore.update': ok }, { readFile: async () => 'NOTE=b' });
    expect(app.one.paramsOf('one.datastore.update')).toEqual([[1, 'NOTE=b', 1]]);
  });
});
