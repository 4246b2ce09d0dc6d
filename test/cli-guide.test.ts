import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliOk, csvRows, type CliRun } from './harness/cli.js';
import { TestDaemon, eventually } from './harness/daemon.js';
import { untilState } from './harness/vm-state.js';

// docs/user-guide.md walked with the real programs of bin/ against one real daemon. Each program run costs
// a Node start, so the sections that touch different VMs and hosts run side by side (it.concurrent) after
// the common beginning. Hosts: host01 and host02 take the scheduler's VMs; flaky and stuck are disabled, so
// the scheduler leaves them alone, and carry the DUMMY_ACTIONS of the failure sections.
describe('the user guide, command by command', () => {
  const d = new TestDaemon();

  const onevm = (...args: string[]) => cliOk(d, 'onevm', args);
  const onehost = (...args: string[]) => cliOk(d, 'onehost', args);
  const onetemplate = (...args: string[]) => cliOk(d, 'onetemplate', args);

  /** Writes a file in the directory the commands run in; returns its name. */
  const file = (name: string, text: string): string => {
    writeFileSync(join(d.dir, name), text);
    return name;
  };
  /** Replaces a host's DUMMY_ACTIONS the way the guide does: onehost update --append with a file. */
  const script = (host: string, actions: string) =>
    onehost('update', host, file(`${host}.actions`, `DUMMY_ACTIONS = [ ${actions} ]\n`), '--append');

  const idOf = (out: string): string => /ID: (\d+)/.exec(out)![1];
  const headerOf = (table: string): string[] => table.split('\n')[0].trim().split(/\s+/);
  /** The VM's row of `onevm list` (ID, NAME, STAT, HOST); undefined once it is done. */
  const row = async (id: string) =>
    csvRows(await onevm('list', '-l', 'ID,NAME,STAT,HOST', '--csv')).find((r) => r.ID === id);
  /** Waits until `onevm list` shows the VM with this STAT (and on this host, if given); its row. */
  const untilStat = (id: string, stat: string, host?: string) =>
    eventually(async () => {
      const r = await row(id);
      return r?.STAT === stat && (host === undefined || r.HOST === host) ? r : undefined;
    }, 20_000, `VM ${id} listed as ${stat}${host ? ` on ${host}` : ''}`);
  /** Waits without a program run, where the guide's point is the command and not the state. */
  const untilRunning = (id: string) => untilState(d, Number(id), 'RUNNING', 20_000);
  /** A `LABEL : value` line of `onevm show`. */
  const shown = (show: string, label: string) => new RegExp(`^${label} +: (.*?) *$`, 'm').exec(show)?.[1];
  const untilShown = (id: string, label: string, want: string) =>
    eventually(async () => (shown(await onevm('show', id), label) === want ? want : undefined), 20_000, `VM ${id} ${label} ${want}`);
  /** The section of a `show` page under `title`, up to the next blank line. */
  const section = (show: string, title: string) =>
    (show.split(new RegExp(`^${title}.*$`, 'm'))[1] ?? '').replace(/^\n/, '').split('\n\n')[0];
  const userTemplate = async (id: string) => section(await onevm('show', id), 'USER TEMPLATE');
  const untilUserTemplate = (id: string, text: string | RegExp) =>
    eventually(async () => {
      const t = await userTemplate(id);
      return (typeof text === 'string' ? t.includes(text) : text.test(t)) ? t : undefined;
    }, 20_000, `VM ${id} USER TEMPLATE with ${String(text)}`);
  /** A refused command: exactly one line on stderr, nothing on stdout, exit status 255. */
  const expectRefused = (r: CliRun, message: RegExp) => {
    expect(r.code).toBe(255);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^[^\n]+\n$/);
    expect(r.stderr).toMatch(message);
  };

  // IDs of the VMs the common beginning creates.
  let myVm = '';
  let web0 = '';
  let web1 = '';

  beforeAll(() => d.start());
  afterAll(() => d.dispose());

  it('onehost create, update, disable and list: dummy hosts are `on` once monitored', async () => {
    for (const name of ['host01', 'host02', 'flaky', 'stuck']) {
      expect(await onehost('create', name, '-i', 'dummy', '-v', 'dummy')).toMatch(/^ID: \d+\n$/);
    }
    expect(await onehost('disable', 'flaky,stuck', '-v')).toMatch(/^HOST \d+: disabled\nHOST \d+: disabled\n$/);
    // Every operation on stuck hangs until `recover` settles it (the later sections change the script).
    await script('stuck', 'PROLOG = "never", DEPLOY = "never", MIGRATE = "never"');
    const list = await eventually(async () => {
      const out = await onehost('list');
      return /host01 .* on\n[\s\S]*host02 .* on\n/.test(out) ? out : undefined;
    });
    expect(headerOf(list)).toEqual(['ID', 'NAME', 'CLUSTER', 'TVM', 'ALLOCATED_CPU', 'ALLOCATED_MEM', 'STAT']);
    expect(list).toMatch(/^ +\d+ host01 +default +0 +0 \/ 800 \(0%\) +0K \/ 16G \(0%\) on$/m);
    expect(list).toMatch(/^ +\d+ stuck +default .* dsbl$/m);
  });

  it('onetemplate create from a file, list and show', async () => {
    const tmpl = file('vm-example.tmpl', [
      'NAME   = "vm-example"',
      'CPU    = 0.5',
      'MEMORY = 512',
      'USER_INPUTS = [',
      '  BLOG_TITLE  = "M|text|Blog Title",',
      '  DB_PASSWORD = "M|password|Database Password" ]',
      '',
    ].join('\n'));
    const id = idOf(await onetemplate('create', tmpl));
    const list = await onetemplate('list');
    expect(headerOf(list)).toEqual(['ID', 'USER', 'GROUP', 'NAME', 'REGTIME']);
    expect(list).toMatch(new RegExp(`^ +${id} oneadmin oneadmin vm-example +\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d$`, 'm'));
    const show = await onetemplate('show', 'vm-example');
    expect(show).toContain(`TEMPLATE ${id} INFORMATION`);
    expect(section(show, 'PERMISSIONS')).toMatch(/OWNER +: um-\s+GROUP +: ---\s+OTHER +: ---/);
    expect(section(show, 'TEMPLATE CONTENTS')).toContain('DB_PASSWORD="M|password|Database Password"');
  });

  it('instantiate asks for the USER_INPUTS on stdin; the scheduler deploys the VM', async () => {
    const out = await cliOk(d, 'onetemplate', ['instantiate', 'vm-example', '--name', 'my_vm'], { input: 'My blog\nsecret\n' });
    expect(out).toContain('There are some parameters that require user input.');
    expect(out).toContain('  * (BLOG_TITLE) Blog Title\n');
    expect(out).toContain('  * (DB_PASSWORD) Database Password\n');
    expect(out).toMatch(/Password: \nVM ID: \d+\n$/);
    myVm = /VM ID: (\d+)/.exec(out)![1];

    await untilStat(myVm, 'runn');
    const list = await onevm('list');
    expect(headerOf(list)).toEqual(['ID', 'USER', 'GROUP', 'NAME', 'STAT', 'CPU', 'MEM', 'HOST', 'TIME']);
    expect(list).toMatch(new RegExp(`^ +${myVm} oneadmin oneadmin my_vm +runn +0\\.5 +512M host0[12] +0d 00h0\\d$`, 'm'));

    const show = await onevm('show', 'my_vm');
    for (const title of [`VIRTUAL MACHINE ${myVm} INFORMATION`, 'PERMISSIONS', 'VIRTUAL MACHINE HISTORY', 'VIRTUAL MACHINE TEMPLATE']) {
      expect(show).toContain(title);
    }
    expect(shown(show, 'STATE')).toBe('ACTIVE');
    expect(shown(show, 'LCM_STATE')).toBe('RUNNING');
    expect(shown(show, 'DEPLOY ID')).toMatch(/^one-\d+$/);
    expect(section(show, 'USER TEMPLATE')).toContain('BLOG_TITLE="My blog"');
  });

  it('instantiate --hold --multiple 2: release one, deploy the other by hand', async () => {
    const out = await onetemplate('instantiate', 'vm-example', '--name', 'web-%i', '--hold', '--multiple', '2', '--user-inputs', 'BLOG_TITLE=Web,DB_PASSWORD=x');
    [web0, web1] = [...out.matchAll(/VM ID: (\d+)/g)].map((m) => m[1]);
    const held = csvRows(await onevm('list', '-l', 'ID,NAME,STAT,HOST', '--csv')).filter((r) => r.ID === web0 || r.ID === web1);
    expect(held).toEqual([{ ID: web0, NAME: 'web-0', STAT: 'hold', HOST: '' }, { ID: web1, NAME: 'web-1', STAT: 'hold', HOST: '' }]);
    await onevm('release', 'web-0');
    expect(await onevm('deploy', 'web-1', 'host02', '-v')).toBe(`VM ${web1}: deploying\n`);
    await untilStat(web1, 'runn', 'host02');
    await untilStat(web0, 'runn');
  });

  it('onevm top repaints the list until Ctrl-C', async () => {
    const r = await cli(d, 'onevm', ['top', '-d', '0.2'], { interruptOn: /my_vm/ });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('\x1b[2J\x1b[H')).toBe(true);
    expect(r.stdout).toMatch(/ID USER +GROUP +NAME +STAT/);
  });

  it.concurrent('pausing and rebooting: poweroff, suspend, stop, undeploy (--hard), resume, reboot (--hard)', async () => {
    const steps: [action: string[], stat: string][] = [
      [['poweroff'], 'poff'], [['suspend'], 'susp'], [['stop'], 'stop'], [['undeploy'], 'unde'], [['undeploy', '--hard'], 'unde'],
    ];
    for (const [action, stat] of steps) {
      await onevm(action[0], myVm, ...action.slice(1));
      const r = await untilStat(myVm, stat);
      // Stopped and undeployed VMs hold no host.
      expect(r.HOST === '').toBe(stat === 'stop' || stat === 'unde');
      expect(await onevm('resume', myVm, '-v')).toBe(`VM ${myVm}: resuming\n`);
      await untilRunning(myVm);
    }
    expect(await onevm('reboot', myVm, '-v')).toBe(`VM ${myVm}: rebooting\n`);
    expect(await onevm('reboot', myVm, '--hard')).toBe('');
    await untilRunning(myVm);
    expect(section(await onevm('show', myVm), 'VIRTUAL MACHINE HISTORY')).toMatch(/ reboot-ha/);
  });

  it.concurrent("the guest's own doings: DUMMY_GUEST states and an ignored ACPI signal", async () => {
    // A condition holds until it is removed: update in replace mode (a file without it) drops it.
    const plain = file('plain.tmpl', 'BLOG_TITLE = "Web"\n');
    const cases: [guest: string, stat: string, resume: boolean][] = [
      ['poweroff', 'poff', true],
      ['paused', 'susp', true],
      ['error', 'unkn', false],
    ];
    for (const [guest, stat, resume] of cases) {
      await onevm('update', 'web-1', file(`${guest}.tmpl`, `DUMMY_GUEST = [ STATE = "${guest}" ]\n`), '--append');
      await untilStat(web1, stat);
      await onevm('update', 'web-1', plain);
      // An unknown VM whose guest answers again is running by monitoring alone.
      if (resume) await onevm('resume', 'web-1');
      await untilRunning(web1);
    }

    await onevm('update', 'web-1', file('no-acpi.tmpl', 'DUMMY_GUEST = [ ACPI = "NO" ]\nSHUTDOWN_TIMEOUT = 1\n'), '--append');
    // The guest ignores the poweroff: after SHUTDOWN_TIMEOUT seconds the VM is back to runn, saying why.
    await onevm('poweroff', 'web-1');
    await untilUserTemplate(web1, /ERROR=".* : Timed out shutting down one-\d+"/);
    expect((await row(web1))?.STAT).toBe('runn');
  });

  it.concurrent('a host where nothing finishes by itself: recover --success, --failure and --retry decide', async () => {
    const id = idOf(await onevm('create', file('s.tmpl', 'NAME = "s"\nCPU = 0.1\nMEMORY = 64\n'), '--hold'));
    await onevm('deploy', 's', 'stuck');
    await untilStat(id, 'prol', 'stuck');
    await onevm('recover', 's', '--success');
    await untilStat(id, 'boot');
    expect(await onevm('recover', 's', '--failure', '-v')).toBe(`VM ${id}: recovering\n`);
    await untilStat(id, 'fail');
    expect(shown(await onevm('show', id), 'LCM_STATE')).toBe('BOOT_FAILURE');

    await script('stuck', 'SHUTDOWN = "never", SAVE = "never", EPILOG = "never", MIGRATE = "never"');
    await onevm('recover', 's', '--retry');
    await untilRunning(id);
    await onevm('poweroff', 's');
    await untilStat(id, 'shut');
    await onevm('poweroff', 's', '--hard');
    await untilStat(id, 'poff');
    await onevm('resume', 's');
    await untilRunning(id);
    await onevm('suspend', 's');
    await untilStat(id, 'save');
    await onevm('recover', 's', '--failure');
    await untilRunning(id);
    await onevm('terminate', 's', '--hard');
    await untilStat(id, 'epil');
    await onevm('recover', 's', '--success');
    await untilShown(id, 'STATE', 'DONE');
  });

  it.concurrent('failing drivers and an unreachable host: fail, err and unkn; recover --recreate and --delete', async () => {
    await script('flaky', 'DEPLOY = "failure 0 no such emulator"');
    const f = idOf(await onevm('create', '--name', 'f', '--cpu', '0.1', '--memory', '64', '--hold'));
    await onevm('deploy', 'f', 'flaky');
    await untilStat(f, 'fail');
    expect(await userTemplate(f)).toMatch(/^ERROR=".* : no such emulator"$/m);
    // The same VM, pending again, then placed by the scheduler on a host it may use.
    await onevm('recover', 'f', '--recreate');
    expect((await untilStat(f, 'runn')).HOST).toMatch(/^host0[12]$/);

    await script('flaky', 'SHUTDOWN = "failure 0 the guest is stuck", EPILOG = "failure 0 cannot remove files"');
    const g = idOf(await onevm('create', '--name', 'g', '--cpu', '0.1', '--memory', '64', '--hold'));
    await onevm('deploy', 'g', 'flaky');
    await untilRunning(g);
    await onevm('terminate', 'g');
    await untilUserTemplate(g, 'the guest is stuck');
    expect((await row(g))?.STAT).toBe('runn');
    await onevm('terminate', 'g', '--hard');
    await untilStat(g, 'fail');
    expect(shown(await onevm('show', g), 'LCM_STATE')).toBe('EPILOG_FAILURE');
    await onevm('recover', 'g', '--delete');
    await untilShown(g, 'STATE', 'DONE');

    await script('flaky', 'MONITOR = "failure 0 unreachable"');
    const h = idOf(await onevm('create', '--name', 'h', '--cpu', '0.1', '--memory', '64', '--hold'));
    await onevm('deploy', 'h', 'flaky');
    await eventually(async () => (/ flaky .* err$/m.test(await onehost('list')) ? true : undefined));
    await untilStat(h, 'unkn');
    await onevm('migrate', 'h', 'host01');
    await untilStat(h, 'runn', 'host01');
    await script('flaky', '');
    await eventually(async () => (/ flaky .* dsbl$/m.test(await onehost('list')) ? true : undefined));
  });

  it.concurrent('delaying and forcing: hold, release, deploy --enforce; migrate cold and --live; resched', async () => {
    const big = idOf(await onevm('create', '--name', 'big', '--cpu', '1', '--memory', '64G'));
    await untilStat(big, 'pend');
    await untilUserTemplate(big, /SCHED_MESSAGE=".*not enough memory/);
    await onevm('hold', 'big');
    await untilStat(big, 'hold');
    await onevm('release', 'big');
    await untilState(d, Number(big), 'PENDING');
    expectRefused(await cli(d, 'onevm', ['deploy', 'big', 'host01', '--enforce']), /does not have enough capacity/);
    expect(await onevm('terminate', 'big', '-v')).toBe(`VM ${big}: terminated\n`);
    expect(shown(await onevm('show', big), 'STATE')).toBe('DONE');
    expect(await row(big)).toBeUndefined();

    const from = (await row(web0))!.HOST;
    const to = from === 'host01' ? 'host02' : 'host01';
    expect(await onevm('migrate', web0, to, '-v')).toBe(`VM ${web0}: migrating\n`);
    await untilStat(web0, 'runn', to);
    // stuck never finishes a migration: failing it brings the VM back where it was.
    await onevm('migrate', web0, 'stuck', '--live');
    await untilStat(web0, 'migr');
    await onevm('recover', web0, '--failure');
    await untilStat(web0, 'runn', to);
    expect(await onevm('resched', web0, '-v')).toBe(`VM ${web0}: Setting resched flag\n`);
    expect(await onevm('unresched', web0, '-v')).toBe(`VM ${web0}: Clearing resched flag\n`);
  });

  it.concurrent('users and groups; chmod, chgrp, chown, rename, lock and unlock', async () => {
    expect(await cliOk(d, 'onegroup', ['create', 'devel'])).toMatch(/^ID: \d+\n$/);
    expect(await cliOk(d, 'onegroup', ['list'])).toMatch(/^ +\d+ devel /m);
    expect(await cliOk(d, 'oneuser', ['create', 'alice', 'wonderland', '-g', 'devel'])).toMatch(/^ID: \d+\n$/);
    expect(await cliOk(d, 'oneuser', ['list'])).toMatch(/^ +\d+ alice +devel +core /m);
    expect(await cliOk(d, 'onegroup', ['show', 'devel'])).toMatch(/^NAME +: devel/m);

    const id = idOf(await onevm('create', '--name', 'shared', '--cpu', '0.1', '--memory', '64', '--hold'));
    expect(await onevm('chmod', 'shared', '640', '-v')).toBe(`VM ${id}: Permissions changed\n`);
    expect(section(await onevm('show', id), 'PERMISSIONS')).toMatch(/OWNER +: um-\s+GROUP +: u--\s+OTHER +: ---/);
    expect(await onevm('chgrp', 'shared', 'devel', '-v')).toBe(`VM ${id}: Group changed\n`);
    expect(await onevm('chown', 'shared', 'alice', '-v')).toBe(`VM ${id}: Owner/Group changed\n`);
    expect(await onevm('list')).toMatch(new RegExp(`^ +${id} alice +devel +shared +hold `, 'm'));

    // alice sees her VM and none of oneadmin's, and may not act on them.
    const alice = { env: { ONE_AUTH: file('alice_auth', 'alice:wonderland\n') } };
    expect(csvRows(await cliOk(d, 'onevm', ['list', '-l', 'ID,NAME', '--csv'], alice))).toEqual([{ ID: id, NAME: 'shared' }]);
    expectRefused(await cli(d, 'onevm', ['hold', myVm], alice), /not authorized/i);

    expect(await onevm('rename', 'shared', 'blog', '-v')).toBe(`VM ${id}: renamed\n`);
    expect(await onevm('lock', 'blog', '-v')).toBe(`VM ${id}: VM locked\n`);
    expect(shown(await onevm('show', id), 'LOCK')).toBe('Use');
    expectRefused(await cli(d, 'onevm', ['release', 'blog']), /locked/);
    expect(await onevm('unlock', 'blog', '-v')).toBe(`VM ${id}: VM unlocked\n`);
  });

  it('list --search, and the -l, --csv, -x and -j forms', async () => {
    const names = async (...args: string[]) => csvRows(await onevm('list', '-l', 'NAME', '--csv', ...args)).map((r) => r.NAME).sort();
    expect(await names('--search', 'VM.NAME=web')).toEqual(['web-0', 'web-1']);
    expect(await names('--search', 'VM.USER_TEMPLATE.BLOG_TITLE=My blog')).toEqual(['my_vm']);
    expect(await names('--search', 'VM.NAME=web&VM.TEMPLATE.MEMORY=512')).toEqual(['web-0', 'web-1']);

    expect(await onevm('list', '-x')).toMatch(/^<VM_POOL><VM><ID>/);
    const json = JSON.parse(await onevm('list', '-j')) as { VM_POOL: { VM: { NAME: string }[] } };
    expect(json.VM_POOL.VM.map((v) => v.NAME)).toContain('my_vm');
    expect(await onevm('show', myVm, '-x')).toMatch(new RegExp(`^<VM><ID>${myVm}</ID>`));
    expect((await onevm('list', '--csv')).split('\n')[0]).toBe('ID,USER,GROUP,NAME,STAT,CPU,MEM,HOST,TIME');
  });

  it('errors: one line on stderr and exit status 255', async () => {
    expectRefused(await cli(d, 'onevm', ['show', '999']), /^\[one\.vm\.info\] Error getting virtual machine \[999\]/);
    expectRefused(await cli(d, 'onevm', ['resume', myVm]), /not available for state RUNNING/);
    const bad = file('bad.tmpl', 'NAME = "bad"\nCPU = [ 1\n');
    expectRefused(await cli(d, 'onetemplate', ['create', bad]), /Parse error.*line \d+/);
    expectRefused(await cli(d, 'onevm', ['update', myVm, bad]), /Parse error.*line \d+/);
    expectRefused(await cli(d, 'onehost', ['create', 'host03']), /Drivers are mandatory/);
  });
});
