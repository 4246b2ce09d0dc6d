import { describe, expect, it } from 'vitest';
import { run } from './onegroup.js';
import { fixture, runWith, type Handler } from './testing/fake-one.js';

const POOLS: Record<string, Handler> = {
  'one.grouppool.info': () => fixture('group-pool.xml'),
  'one.group.info': () => '<GROUP><ID>1</ID><NAME>users</NAME><TEMPLATE/><USERS><ID>2</ID><ID>3</ID></USERS><ADMINS/></GROUP>',
};
const group = (argv: string[], handlers: Record<string, Handler> = {}) => runWith(run, argv, { ...POOLS, ...handlers });

describe('onegroup', () => {
  it('creates and deletes groups', async () => {
    const c = await group(['create', 'devs'], { 'one.group.allocate': () => 100 });
    expect(c.out).toBe('ID: 100\n');
    expect(c.one.paramsOf('one.group.allocate')).toEqual([['devs']]);
    const d = await group(['delete', 'users'], { 'one.group.delete': () => 1 });
    expect(d.one.paramsOf('one.group.delete')).toEqual([[1]]);
  });

  it('lists groups with their user counts', async () => {
    const r = await group(['list']);
    expect(r.out.split('\n').slice(0, 3)).toEqual([
      '  ID NAME            USERS       VMS            MEMORY         CPU',
      '   0 oneadmin            2         -                 -           -',
      '   1 users               1   0 /   -      0M /       -   0.0 /   -',
    ]);
  });

  it('shows a group with its users', async () => {
    const r = await group(['show']);
    expect(r.one.paramsOf('one.group.info')).toEqual([[-1]]);
    expect(r.out).toContain('GROUP 1 INFORMATION');
    expect(r.out.trimEnd().split('\n').slice(-3).map((l) => l.trimEnd())).toEqual(['ID', '2', '3']);
  });
});
