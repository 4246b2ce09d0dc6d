import { describe, expect, it } from 'vitest';
import { run } from './oneuser.js';
import { fixture, runWith, type Handler } from './testing/fake-one.js';

const POOLS: Record<string, Handler> = {
  'one.userpool.info': () => fixture('user-pool.xml'),
  'one.grouppool.info': () => fixture('group-pool.xml'),
  'one.user.info': () => '<USER><ID>1</ID><GID>1</GID><GROUPS><ID>1</ID></GROUPS><GNAME>users</GNAME><NAME>alice</NAME><PASSWORD>x</PASSWORD><AUTH_DRIVER>core</AUTH_DRIVER><ENABLED>1</ENABLED><TEMPLATE><EMAIL>a@example.com</EMAIL></TEMPLATE></USER>',
};
const ok: Handler = (...p) => Number(p.find((x) => typeof x === 'number') ?? 0);
const user = (argv: string[], handlers: Record<string, Handler> = {}, extra = {}) => runWith(run, argv, { ...POOLS, ...handlers }, extra);

describe('oneuser', () => {
  it('creates a user with the core driver, optionally in groups', async () => {
    const r = await user(['create', 'carol', 'pw'], { 'one.user.allocate': () => 5 });
    expect(r.out).toBe('ID: 5\n');
    expect(r.one.paramsOf('one.user.allocate')).toEqual([['carol', 'pw', 'core', []]]);
    const g = await user(['create', 'carol', 'pw', '-g', 'users,0'], { 'one.user.allocate': () => 5 });
    expect(g.one.paramsOf('one.user.allocate')).toEqual([['carol', 'pw', 'core', [1, 0]]]);
  });

  it('asks for the password when it is left out', async () => {
    const r = await user(['passwd', 'alice'], { 'one.user.passwd': ok }, { input: ['newpw'] });
    expect(r.out).toBe('Password: \n');
    expect(r.one.paramsOf('one.user.passwd')).toEqual([[1, 'newpw']]);
  });

  it('lists users with their VM quota usage', async () => {
    const r = await user(['list']);
    // Ruby: "%4.4s %-15.15s %-8.8s %-8.8s %9.9s %17.17s %11.11s"
    expect(r.out).toBe(
      [
        '  ID NAME            GROUP    AUTH           VMS            MEMORY         CPU',
        '   0 oneadmin        oneadmin core             -                 -           -',
        '   1 alice           users    core       2 /  10      2G /      4G   1.5 /   -',
        '   2 bob             users    core       0 /  10      0M /       -   0.0 /   -',
        '',
      ].join('\n'),
    );
  });

  it('shows a user, itself by default', async () => {
    const me = await user(['show']);
    expect(me.one.paramsOf('one.user.info')).toEqual([[-1]]);
    expect(me.out).toContain('USER 1 INFORMATION');
    expect(me.out).toContain('ENABLED        : Yes');
    expect(me.out).toContain('EMAIL="a@example.com"');
  });

  it('deletes and changes the primary group', async () => {
    expect((await user(['delete', 'bob'], { 'one.user.delete': ok })).one.paramsOf('one.user.delete')).toEqual([[2]]);
    expect((await user(['chgrp', '1,2', 'oneadmin'], { 'one.user.chgrp': ok })).one.paramsOf('one.user.chgrp')).toEqual([[1, 0], [2, 0]]);
  });
});
