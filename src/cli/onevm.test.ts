import { describe, expect, it } from 'vitest';
import { OneApiError } from './errors.js';
import { run } from './onevm.js';
import { fixture, runWith, type Handler } from './testing/fake-one.js';


const POOLS: Record<string, Handler> = {
  'one.vmpool.info': () => fixture('vm-pool.xml'),
  'one.hostpool.info': () => fixture('host-pool.xml'),
  'one.userpool.info': () => fixture('user-pool.xml'),
  'one.grouppool.info': () => fixture('group-pool.xml'),
  'one.vm.info': () => fixture('vm.xml'),
  'one.cluster.info': () => '<CLUSTER><ID>0</ID><NAME>default</NAME></CLUSTER>',
};
const ok: Handler = (...p) => Number(p.find((x) => typeof x === 'number') ?? 0);
const vm = (argv: string[], handlers: Record<string, Handler> = {}, extra = {}) => runWith(run, argv, { ...POOLS, ...handlers }, extra);

describe('onevm list', () => {
  it('lists every VM but DONE ones with OpenNebula columns', async () => {
    const r = await vm(['list']);
    expect(r.code).toBe(0);
    expect(r.one.calls).toEqual([['one.vmpool.info', [-2, -1, -1, -1]]]);
    expect(r.out.split('\n')[0]).toBe('    ID USER     GROUP    NAME            STAT  CPU     MEM HOST             TIME');
    expect(r.out).toContain('     0 oneadmin oneadmin *my_vm          runn    1    768M testbed      2d 04h46');
  });

  it('passes --search as the fifth parameter and filter flags as the first', async () => {
    const search = await vm(['list', '--search', 'VM.NAME=my_vm&VM.UNAME=oneadmin']);
    expect(search.one.paramsOf('one.vmpool.info')).toEqual([[-2, -1, -1, -1, 'VM.NAME=my_vm&VM.UNAME=oneadmin']]);
    expect((await vm(['list', 'm'])).one.paramsOf('one.vmpool.info')).toEqual([[-3, -1, -1, -1]]);
    const byName = await vm(['list', 'alice']);
    expect(byName.one.calls.map(([m]) => m)).toEqual(['one.userpool.info', 'one.vmpool.info']);
    expect(byName.one.paramsOf('one.vmpool.info')[0][0]).toBe(1);
  });

  it('prints the raw document with -x and OpenNebula JSON with -j', async () => {
    expect((await vm(['list', '-x'])).out).toBe(fixture('vm-pool.xml'));
    const json = JSON.parse((await vm(['list', '--json'])).out);
    expect(json.VM_POOL.VM.map((v: { ID: string }) => v.ID)).toEqual(['3', '2', '1', '0']);
  });

  it('selects columns, CSV and filters', async () => {
    const r = await vm(['list', '-l', 'ID,NAME,STAT', '--csv', '-f', 'STAT=runn']);
    expect(r.out).toBe('ID,NAME,STAT\n0,*my_vm,runn\n');
    expect((await vm(['list', '-l', 'ID', '--no-header'])).out).toBe('     3\n     2\n     1\n     0\n');
  });

  it('describes its columns without calling the daemon', async () => {
    const r = await vm(['list', '--describe']);
    expect(r.one.calls).toEqual([]);
    expect(r.out).toContain('STAT                : Actual status');
  });

  it('repaints with top until interrupted', async () => {
    const stop = new AbortController();
    let naps = 0;
    const sleep = async (ms: number) => {
      expect(ms).toBe(2000);
      if (++naps === 2) stop.abort();
    };
    const r = await vm(['top', '-d', '2'], {}, { sleep, signal: stop.signal });
    expect(r.code).toBe(0);
    expect(r.one.paramsOf('one.vmpool.info')).toHaveLength(2);
    expect(r.out.split('\x1b[2J\x1b[H')).toHaveLength(3);
  });
});

describe('onevm show', () => {
  it('resolves a name and prints the show page with the cluster name', async () => {
    const r = await vm(['show', 'my_vm']);
    expect(r.code).toBe(0);
    expect(r.one.calls.map(([m, p]) => [m, p[0]])).toEqual([
      ['one.vmpool.info', -2],
      ['one.vm.info', 0],
      ['one.cluster.info', 0],
    ]);
    expect(r.out).toContain('CLUSTER             : default');
    expect(r.out).toContain('VIRTUAL MACHINE HISTORY');
  });

  it('prints ERROR as the cluster when it cannot be read, as OpenNebula does', async () => {
    const r = await vm(['show', '0'], { 'one.cluster.info': () => { throw new OneApiError('[one.cluster.info] Error getting cluster [0].', 0x400); } });
    expect(r.out).toContain('CLUSTER             : ERROR');
  });

  it('prints -x and -j documents', async () => {
    expect((await vm(['show', '0', '-x'])).out).toBe(fixture('vm.xml'));
    expect(JSON.parse((await vm(['show', '0', '-j'])).out).VM.NAME).toBe('my_vm');
  });

  it('fails with the daemon message and status 255', async () => {
    const r = await vm(['show', '9'], { 'one.vm.info': () => { throw new OneApiError('[one.vm.info] Error getting virtual machine [9].', 0x400); } });
    expect(r).toMatchObject({ code: 255, out: '', err: '[one.vm.info] Error getting virtual machine [9].\n' });
  });
});

describe('onevm actions', () => {
  it('calls one.vm.action with the action before the ID, for every ID of a range, silently', async () => {
    const r = await vm(['terminate', '--hard', '0,2..3'], { 'one.vm.action': ok });
    expect(r).toMatchObject({ code: 0, out: '', err: '' });
    expect(r.one.paramsOf('one.vm.action')).toEqual([['terminate-hard', 0], ['terminate-hard', 2], ['terminate-hard', 3]]);
  });

  it('has every action of the guide', async () => {
    const names = ['terminate', 'undeploy', 'poweroff', 'reboot', 'suspend', 'stop', 'resume', 'hold', 'release', 'resched', 'unresched'];
    for (const name of names) {
      const r = await vm([name, 'my_vm'], { 'one.vm.action': ok });
      expect(r.one.paramsOf('one.vm.action')).toEqual([[name, 0]]);
    }
  });

  it('reports a refused action on stderr, goes on with the others, exits 255', async () => {
    const msg = '[one.vm.action] Error performing action "suspend": This action is not available for state PENDING';
    const r = await vm(['suspend', '1,0'], {
      'one.vm.action': (_a, id) => {
        if (id === 1) throw new OneApiError(msg, 0x800, 1);
        return id;
      },
    });
    expect(r).toMatchObject({ code: 255, err: msg + '\n' });
    expect(r.one.paramsOf('one.vm.action')).toEqual([['suspend', 1], ['suspend', 0]]);
  });

  it('says what it did with --verbose', async () => {
    expect((await vm(['hold', '0', '-v'], { 'one.vm.action': ok })).out).toBe('VM 0: holding\n');
  });

  it('deploys on a host by name, with --enforce and a datastore', async () => {
    const r = await vm(['deploy', '1', 'testbed'], { 'one.vm.deploy': ok });
    expect(r.one.paramsOf('one.vm.deploy')).toEqual([[1, 2, false, -1, '']]);
    const e = await vm(['deploy', '1', '2', '100', '--enforce'], { 'one.vm.deploy': ok });
    expect(e.one.paramsOf('one.vm.deploy')).toEqual([[1, 2, true, 100, '']]);
  });

  it('migrates live, or through a power-off', async () => {
    const calls = async (...flags: string[]) =>
      (await vm(['migrate', '0', '3', ...flags], { 'one.vm.migrate': ok })).one.paramsOf('one.vm.migrate')[0];
    expect(await calls('--live')).toEqual([0, 3, true, false, -1, 0]);
    expect(await calls('--poff', '--enforce')).toEqual([0, 3, false, true, -1, 1]);
    expect(await calls('--poweroff-hard')).toEqual([0, 3, false, false, -1, 2]);
  });

  it('recovers with exactly one operation', async () => {
    const ops = ['--failure', '--success', '--retry', '--delete', '--recreate', '--delete-db'];
    for (const [i, flag] of ops.entries()) {
      const r = await vm(['recover', '0', flag], { 'one.vm.recover': ok });
      expect(r.one.paramsOf('one.vm.recover')).toEqual([[0, i]]);
    }
    const none = await vm(['recover', '0'], { 'one.vm.recover': ok });
    expect(none.code).toBe(255);
    expect(none.err).toContain('Give exactly one of --success, --failure');
  });

  it('changes permissions, owner and group', async () => {
    const chmod = await vm(['chmod', '0', '640'], { 'one.vm.chmod': ok });
    expect(chmod.one.paramsOf('one.vm.chmod')).toEqual([[0, 1, 1, 0, 1, 0, 0, 0, 0, 0]]);
    const chown = await vm(['chown', '0', 'alice', 'users'], { 'one.vm.chown': ok });
    expect(chown.one.paramsOf('one.vm.chown')).toEqual([[0, 1, 1]]);
    const chgrp = await vm(['chgrp', '0', '1'], { 'one.vm.chown': ok });
    expect(chgrp.one.paramsOf('one.vm.chown')).toEqual([[0, -1, 1]]);
    expect((await vm(['chmod', '0', '9'])).err).toContain('Wrong octet format');
  });

  it('locks at the chosen level, USE by default, and unlocks', async () => {
    expect((await vm(['lock', '0'], { 'one.vm.lock': ok })).one.paramsOf('one.vm.lock')).toEqual([[0, 1]]);
    expect((await vm(['lock', '0', '--admin'], { 'one.vm.lock': ok })).one.paramsOf('one.vm.lock')).toEqual([[0, 3]]);
    expect((await vm(['lock', '0', '--all'], { 'one.vm.lock': ok })).one.paramsOf('one.vm.lock')).toEqual([[0, 4]]);
    expect((await vm(['unlock', '0'], { 'one.vm.unlock': ok })).one.paramsOf('one.vm.unlock')).toEqual([[0]]);
  });

  it('renames', async () => {
    expect((await vm(['rename', 'my_vm', 'web'], { 'one.vm.rename': ok })).one.paramsOf('one.vm.rename')).toEqual([[0, 'web']]);
  });
});

describe('onevm snapshots', () => {
  it('creates a snapshot of every VM of a list, named or not, and says so with --verbose', async () => {
    const r = await vm(['snapshot-create', '0,2', 'just in case', '-v'], { 'one.vm.snapshotcreate': () => 0 });
    expect(r.one.paramsOf('one.vm.snapshotcreate')).toEqual([[0, 'just in case'], [2, 'just in case']]);
    expect(r.out).toBe('VM 0: snapshot created\nVM 2: snapshot created\n');
    const unnamed = await vm(['snapshot-create', 'my_vm'], { 'one.vm.snapshotcreate': () => 0 });
    expect(unnamed.one.paramsOf('one.vm.snapshotcreate')).toEqual([[0, '']]);
  });

  it.each([['snapshot-revert', 'one.vm.snapshotrevert', 'snapshot reverted'], ['snapshot-delete', 'one.vm.snapshotdelete', 'snapshot deleted']])(
    '%s calls %s with the VM and the snapshot ID', async (cmd, method, said) => {
      const r = await vm([cmd, 'my_vm', '3', '--verbose'], { [method]: ok });
      expect(r.one.paramsOf(method)).toEqual([[0, 3]]);
      expect(r.out).toBe(`VM 0: ${said}\n`);
      const bad = await vm([cmd, '0', 'latest'], { [method]: ok });
      expect(bad).toMatchObject({ code: 255, err: 'Snapshot ID "latest" is not a number; see the VM\'s snapshots with onevm show\n' });
      expect(bad.one.paramsOf(method)).toEqual([]);
    },
  );

  it('prints the daemon\'s refusal', async () => {
    const msg = '[one.vm.snapshotrevert] Could not revert VM 0 to snapshot 9, it does not exist.';
    const r = await vm(['snapshot-revert', '0', '9'], { 'one.vm.snapshotrevert': () => { throw new OneApiError(msg, 0x800, 0); } });
    expect(r).toMatchObject({ code: 255, err: `${msg}\n` });
  });
});

describe('onevm resize', () => {
  it('sends the capacity options as a template, enforce off unless asked', async () => {
    const r = await vm(['resize', 'my_vm', '--cpu', '2', '--vcpu', '4', '--memory', '2g'], { 'one.vm.resize': ok });
    expect(r.one.paramsOf('one.vm.resize')).toEqual([[0, 'CPU=2\nVCPU=4\nMEMORY=2048\n', false]]);
    const e = await vm(['resize', '0', '--memory', '512', '--enforce'], { 'one.vm.resize': ok });
    expect(e.one.paramsOf('one.vm.resize')).toEqual([[0, 'MEMORY=512\n', true]]);
  });

  it('sends a template file as it is', async () => {
    const r = await vm(['resize', '0', '--file', 'size.tmpl'], { 'one.vm.resize': ok }, { readFile: async () => 'VCPU = 2' });
    expect(r.one.paramsOf('one.vm.resize')).toEqual([[0, 'VCPU = 2', false]]);
  });

  it.each([
    [['resize', '0'], 'Say what to change: --cpu, --vcpu and/or --memory (e.g. --memory 2g), or --file.'],
    [['resize', '0', '--file', 'x', '--cpu', '1'], 'Give either --file or --cpu, --vcpu and --memory, not both.'],
    [['resize', '0', '--memory', 'lots'], 'Memory value "lots" malformed; give megabytes (512) or gigabytes (2g, 0.5g)'],
    [['resize', '0', '--vcpu', '1.5'], '--vcpu "1.5" is not a whole number'],
  ])('refuses %j before calling the daemon', async (argv, message) => {
    const r = await vm(argv, { 'one.vm.resize': ok });
    expect(r).toMatchObject({ code: 255, err: `${message}\n` });
    expect(r.one.paramsOf('one.vm.resize')).toEqual([]);
  });
});

describe('onevm update', () => {
  it('sends a file as the new user template, or merges it with --append', async () => {
    const readFile = async (p: string) => (p === 'extra.tmpl' ? 'OWNER="ops"\n' : '');
    const r = await vm(['update', '0', 'extra.tmpl'], { 'one.vm.update': ok }, { readFile });
    expect(r.one.paramsOf('one.vm.update')).toEqual([[0, 'OWNER="ops"\n', 0]]);
    const a = await vm(['update', '0', 'extra.tmpl', '--append'], { 'one.vm.update': ok }, { readFile });
    expect(a.one.paramsOf('one.vm.update')).toEqual([[0, 'OWNER="ops"\n', 1]]);
  });

  it('opens the editor on the current user template without a file', async () => {
    let seen = '';
    const edit = async (initial: string) => {
      seen = initial;
      return initial + '\nNEW="1"';
    };
    const r = await vm(['update', '0'], { 'one.vm.update': ok }, { edit });
    expect(seen).toBe('DESCRIPTION="web \\"front\\" server"\nSCHED_REQUIREMENTS="ID != 3"');
    expect(r.one.paramsOf('one.vm.update')[0][1]).toBe(seen + '\nNEW="1"');
  });

  it('says which file it cannot read', async () => {
    const readFile = async () => {
      throw new Error('ENOENT: no such file or directory');
    };
    const r = await vm(['update', '0', 'missing.tmpl'], {}, { readFile });
    expect(r).toMatchObject({ code: 255, err: 'Cannot read missing.tmpl: ENOENT: no such file or directory\n' });
  });
});

describe('onevm create', () => {
  it('builds a template from the options', async () => {
    const r = await vm(['create', '--name', 'web', '--cpu', '1', '--memory', '2g', '--disk', 'ubuntu:size=2048,7', '--nic', 'alice[net]'], {
      'one.vm.allocate': () => 12,
    });
    expect(r.out).toBe('ID: 12\n');
    expect(r.one.paramsOf('one.vm.allocate')).toEqual([[
      'NAME="web"\nCPU=1\nMEMORY=2048\n' +
        'DISK=[\n  SIZE="2048",\n  IMAGE="ubuntu"\n]\nDISK=[\n  IMAGE_ID=7\n]\n' +
        'NIC=[\n  NETWORK_UNAME="alice",\n  NETWORK="net"\n]\n',
      false,
    ]]);
  });

  it('creates several VMs from a file, on hold', async () => {
    let next = 20;
    const r = await vm(['create', 'vm.tmpl', '--hold', '-m', '2'], { 'one.vm.allocate': () => next++ }, { readFile: async () => 'CPU=1\nMEMORY=128' });
    expect(r.out).toBe('ID: 20\nID: 21\n');
    expect(r.one.paramsOf('one.vm.allocate')).toEqual([['CPU=1\nMEMORY=128', true], ['CPU=1\nMEMORY=128', true]]);
  });

  it('refuses a file together with options, and nothing at all', async () => {
    expect((await vm(['create', 'vm.tmpl', '--cpu', '1'])).err).toBe('You can not use both template file and template creation options.\n');
    expect((await vm(['create'])).code).toBe(255);
  });

  it('prints the template with --dry', async () => {
    const r = await vm(['create', '--cpu', '2', '--memory', '512', '--dry']);
    expect(r.out).toBe('CPU=2\nMEMORY=512\n');
    expect(r.one.calls).toEqual([]);
  });
});

describe('onevm usage', () => {
  it('prints help with status 0 and rejects unknown commands with 255', async () => {
    const help = await vm(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('terminate [options] <range|vmid_list>');
    const bad = await vm(['explode', '1']);
    expect(bad.code).toBe(255);
    expect(bad.err).toContain("unknown command 'explode'");
  });
});
