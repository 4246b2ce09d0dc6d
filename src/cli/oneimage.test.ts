import { describe, expect, it } from 'vitest';
import { datastoreToXml } from '../api/xml/datastore.js';
import { imageToXml } from '../api/xml/image.js';
import { poolXml } from '../api/xml/pool.js';
import { defaultDatastores } from '../domain/datastore.js';
import { ImageState, newImage, withState } from '../domain/image.js';
import { run } from './oneimage.js';
import { runWith, type Handler } from './testing/fake-one.js';

const owner = { uid: 0, gid: 0, uname: 'oneadmin', gname: 'oneadmin' };
const base = { type: 0, persistent: false, path: '/tmp/a.img', format: 'raw', fsType: '', size: 2048, template: [] };
const disk = withState(newImage(0, { ...base, name: 'disk' }, owner, { id: 1, name: 'default' }, '/ds/1/abc', 10), ImageState.READY);
const data = newImage(1, { ...base, name: 'data', type: 2, persistent: true, path: '', size: 64 }, owner, { id: 1, name: 'default' }, '/ds/1/def', 10);
const POOLS: Record<string, Handler> = {
  'one.imagepool.info': () => poolXml('IMAGE_POOL', [disk, data].map(imageToXml)),
  'one.image.info': (id) => imageToXml([disk, data][Number(id)]),
  'one.datastorepool.info': () => poolXml('DATASTORE_POOL', defaultDatastores('/ds').map(datastoreToXml)),
};
const img = (argv: string[], handlers: Record<string, Handler> = {}) => runWith(run, argv, { ...POOLS, ...handlers });

describe('oneimage', () => {
  it('lists with OpenNebula columns', async () => {
    const r = await img(['list', '--csv']);
    expect(r.out).toBe('ID,USER,GROUP,NAME,DATASTORE,SIZE,TYPE,PER,STAT,RVMS\n0,oneadmin,oneadmin,disk,default,2G,OS,No,rdy,0\n1,oneadmin,oneadmin,data,default,64M,DB,Yes,lock,0\n');
  });

  it('shows an image by name', async () => {
    const r = await img(['show', 'data']);
    expect(r.out).toContain('IMAGE 1 INFORMATION');
    expect(r.out).toContain('TYPE           : DATABLOCK');
    expect(r.out).toContain('PERSISTENT     : Yes');
    expect(r.out).toContain('STATE          : lock');
  });

  it('shows how far a copy is, and the snapshots a persistent image kept', async () => {
    const copying = { ...data, template: [{ name: 'PROGRESS', value: '42' }] };
    const kept = {
      ...withState(data, ImageState.READY),
      snapshots: { diskId: 0, nextSnapshot: 2, snapshots: [
        { id: 0, name: 'base', date: 0, parent: -1, children: [1], active: false, size: 64 },
        { id: 1, name: 'upgraded', date: 0, parent: 0, children: [], active: true, size: 64 },
      ] },
    };
    expect((await img(['show', 'data'], { 'one.image.info': () => imageToXml(copying) })).out).toContain('PROGRESS       : 42%');
    const out = (await img(['show', 'data'], { 'one.image.info': () => imageToXml(kept) })).out;
    expect(out).not.toContain('PROGRESS');
    expect(out).toMatch(/IMAGE SNAPSHOTS +\nAC +ID PARENT +DATE SIZE +NAME +\n +0 +-1 .*base\n=> +1 +0 .*upgraded\n/);
  });

  it('builds the template from the create options, into the named datastore', async () => {
    let sent: unknown[] = [];
    const r = await img(['create', '--name', 'new "one"', '--type', 'datablock', '--size', '2g', '--format', 'qcow2', '--persistent', '-d', 'default'], {
      'one.image.allocate': (...p) => ((sent = p), 5),
    });
    expect(r.out).toBe('ID: 5\n');
    expect(sent).toEqual(['NAME = "new \\"one\\""\nTYPE = "datablock"\nFORMAT = "qcow2"\nSIZE = "2048"\nPERSISTENT = "YES"\n', 1, false]);
  });

  it('says the datastore is mandatory and refuses a file together with options', async () => {
    expect((await img(['create', '--name', 'x', '--path', '/x'])).err).toContain('Datastore to save the image is mandatory');
    expect((await img(['create', 'f.txt', '--name', 'x', '-d', '1'])).err).toContain('Give either a template file or the --name/--path/--size options');
  });

  it('runs toggles on every image of a list, reporting unknown names', async () => {
    const calls: unknown[][] = [];
    const r = await img(['nonpersistent', '0,data,nope'], { 'one.image.persistent': (...p) => (calls.push(p), 0) });
    expect(r.code).toBe(255);
    expect(r.err).toContain('IMAGE named nope not found');
    expect(calls).toEqual([]);
    await img(['disable', '0,data'], { 'one.image.enable': (...p) => (calls.push(p), 0) });
    expect(calls).toEqual([[0, false], [1, false]]);
  });
});
