import { describe, expect, it } from 'vitest';
import { instanceName, run } from './onetemplate.js';
import { fixture, runWith, type Handler } from './testing/fake-one.js';


const POOLS: Record<string, Handler> = {
  'one.templatepool.info': () => fixture('template-pool.xml'),
  'one.template.info': () => fixture('template.xml'),
  'one.userpool.info': () => fixture('user-pool.xml'),
  'one.grouppool.info': () => fixture('group-pool.xml'),
};
const ok: Handler = (...p) => Number(p.find((x) => typeof x === 'number') ?? 0);
const tpl = (argv: string[], handlers: Record<string, Handler> = {}, extra = {}) => runWith(run, argv, { ...POOLS, ...handlers }, extra);

describe('onetemplate instantiate', () => {
  it('asks for the USER_INPUTS and sends the answers in the extra template, as in the guide', async () => {
    const r = await tpl(['instantiate', 'vm-example', '--name', 'my_vm'], { 'one.template.instantiate': () => 0 }, {
      input: ['my_title', 'pw"1'],
    });
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'There are some parameters that require user input. Use the string <<EDITOR>> to launch an editor (e.g. for multi-line inputs)\n' +
        '  * (BLOG_TITLE) Blog Title\n    ' +
        '  * (DB_PASSWORD) Database Password\n    Password: \n' +
        'VM ID: 0\n',
    );
    expect(r.one.paramsOf('one.template.instantiate')).toEqual([
      [6, 'my_vm', false, '\nBLOG_TITLE = "my_title"\nDB_PASSWORD = "pw\\"1"\n', false],
    ]);
  });

  it('takes --user-inputs for scripts and asks only for the rest', async () => {
    const r = await tpl(['instantiate', '6', '--user-inputs', 'BLOG_TITLE=t,DB_PASSWORD=p', '--hold', '--persistent'], {
      'one.template.instantiate': () => 4,
    });
    expect(r.out).toBe('VM ID: 4\n');
    expect(r.one.paramsOf('one.template.instantiate')).toEqual([[6, '', true, '\nBLOG_TITLE = "t"\nDB_PASSWORD = "p"\n', true]]);
  });

  it('names --multiple VMs with %i, or with -<i> suffixes, and asks only once', async () => {
    let next = 10;
    const r = await tpl(['instantiate', '6', '--name', 'web', '-m', '3', '--cpu', '2'], { 'one.template.instantiate': () => next++ }, {
      input: ['blog', 'pw'],
    });
    expect(r.out.match(/VM ID: \d+/g)).toEqual(['VM ID: 10', 'VM ID: 11', 'VM ID: 12']);
    const calls = r.one.paramsOf('one.template.instantiate');
    expect(calls.map((p) => p[1])).toEqual(['web', 'web', 'web']);
    expect(calls[0][3]).toBe('CPU=2\n\nBLOG_TITLE = "blog"\nDB_PASSWORD = "pw"\n');
    expect(r.one.paramsOf('one.template.info')).toHaveLength(1);
    expect([0, 1].map((i) => instanceName('vm-%i-x', i))).toEqual(['vm-0-x', 'vm-1-x']);
    expect(instanceName('solo', 1)).toBe('solo');
    expect(instanceName(undefined, 1)).toBe('');
  });

  it('adds a file to the extra template', async () => {
    const r = await tpl(['instantiate', '6', 'disk.txt', '--user-inputs', 'BLOG_TITLE=a,DB_PASSWORD=b'], { 'one.template.instantiate': () => 1 }, {
      readFile: async () => 'DISK = [ IMAGE_ID = 4, SIZE = 2000 ]',
    });
    expect(r.one.paramsOf('one.template.instantiate')[0][3]).toBe('DISK = [ IMAGE_ID = 4, SIZE = 2000 ]\nBLOG_TITLE = "a"\nDB_PASSWORD = "b"\n');
  });

  it('stops with a hint when the input ends before all answers', async () => {
    const r = await tpl(['instantiate', '6'], { 'one.template.instantiate': () => 1 }, { input: ['only-title'] });
    expect(r.code).toBe(255);
    expect(r.err).toBe('Input ended before a value for DB_PASSWORD was given; pass it with --user-inputs DB_PASSWORD=VALUE\n');
    expect(r.one.paramsOf('one.template.instantiate')).toEqual([]);
  });
});

describe('onetemplate other commands', () => {
  it('lists with OpenNebula columns', async () => {
    const r = await tpl(['list']);
    expect(r.one.calls).toEqual([['one.templatepool.info', [-2, -1, -1]]]);
    expect(r.out).toBe('  ID USER     GROUP    NAME                         REGTIME\n   6 oneadmin oneadmin vm-example            09/28 06:44:07\n');
  });

  it('shows a template', async () => {
    const r = await tpl(['show', 'vm-example']);
    expect(r.one.paramsOf('one.template.info')).toEqual([[6, false]]);
    expect(r.out).toContain('TEMPLATE 6 INFORMATION');
    expect(r.out).toContain('REGISTER TIME  : 09/28 06:44:07');
    expect(r.out).toContain('TEMPLATE CONTENTS');
    expect(r.out).toContain('USER_INPUTS=[\n  BLOG_TITLE="M|text|Blog Title",');
  });

  it('creates, clones, deletes, renames and updates', async () => {
    const create = await tpl(['create', 't.tmpl'], { 'one.template.allocate': () => 8 }, { readFile: async () => 'NAME=t\nCPU=1' });
    expect(create.out).toBe('ID: 8\n');
    expect(create.one.paramsOf('one.template.allocate')).toEqual([['NAME=t\nCPU=1']]);
    const clone = await tpl(['clone', 'vm-example', 'copy', '-R'], { 'one.template.clone': () => 9 });
    expect(clone.out).toBe('ID: 9\n');
    expect(clone.one.paramsOf('one.template.clone')).toEqual([[6, 'copy', true]]);
    expect((await tpl(['delete', '6,7'], { 'one.template.delete': ok })).one.paramsOf('one.template.delete')).toEqual([[6, false], [7, false]]);
    expect((await tpl(['rename', '6', 'n'], { 'one.template.rename': ok })).one.paramsOf('one.template.rename')).toEqual([[6, 'n']]);
    const upd = await tpl(['update', '6', '--append'], { 'one.template.update': ok }, { edit: async () => 'X=1' });
    expect(upd.one.paramsOf('one.template.update')).toEqual([[6, 'X=1', 1]]);
  });

  it('changes permissions (recursively with -R) and owners', async () => {
    const chmod = await tpl(['chmod', '6', '604', '-R'], { 'one.template.chmod': ok });
    expect(chmod.one.paramsOf('one.template.chmod')).toEqual([[6, 1, 1, 0, 0, 0, 0, 1, 0, 0, true]]);
    const chown = await tpl(['chown', '6', 'bob'], { 'one.template.chown': ok });
    expect(chown.one.paramsOf('one.template.chown')).toEqual([[6, 2, -1]]);
  });
});
