import { describe, expect, it } from 'vitest';
import { run } from './onehost.js';
import { fixture, runWith, type Handler } from './testing/fake-one.js';

const POOLS: Record<string, Handler> = {
  'one.hostpool.info': () => fixture('host-pool.xml'),
  'one.host.info': () => fixture('host.xml'),
  'one.vmpool.info': () => fixture('vm-pool.xml'),
  'one.clusterpool.info': () => '<CLUSTER_POOL><CLUSTER><ID>100</ID><NAME>edge</NAME></CLUSTER></CLUSTER_POOL>',
};
const ok: Handler = (...p) => Number(p.find((x) => typeof x === 'number') ?? 0);
const host = (argv: string[], handlers: Record<string, Handler> = {}) => runWith(run, argv, { ...POOLS, ...handlers });

describe('onehost', () => {
  it('creates a host with -i and -v drivers, in a cluster by name', async () => {
    const r = await host(['create', 'node9', '-i', 'kvm', '-v', 'kvm', '-c', 'edge'], { 'one.host.allocate': () => 9 });
    expect(r.out).toBe('ID: 9\n');
    expect(r.one.paramsOf('one.host.allocate')).toEqual([['node9', 'kvm', 'kvm', 100]]);
    const dflt = await host(['create', 'node9', '--im', 'dummy', '--vm', 'dummy'], { 'one.host.allocate': () => 9 });
    expect(dflt.one.paramsOf('one.host.allocate')).toEqual([['node9', 'dummy', 'dummy', -1]]);
  });

  it('needs both drivers', async () => {
    const r = await host(['create', 'node9', '-i', 'kvm']);
    expect(r.code).toBe(255);
    expect(r.err).toContain('Drivers are mandatory to create a host');
  });

  it('enables, disables and sets offline with one.host.status 0, 1, 2', async () => {
    for (const [cmd, status] of [['enable', 0], ['disable', 1], ['offline', 2]] as const) {
      const r = await host([cmd, 'testbed,3'], { 'one.host.status': ok });
      expect(r.one.paramsOf('one.host.status')).toEqual([[2, status], [3, status]]);
    }
  });

  it('lists and shows hosts with the VMs placed on them', async () => {
    const list = await host(['list']);
    expect(list.out.split('\n')[0]).toBe('  ID NAME            CLUSTER   TVM      ALLOCATED_CPU      ALLOCATED_MEM STAT  ');
    const show = await host(['show', 'testbed']);
    expect(show.out).toContain('HOST 2 INFORMATION');
    expect(show.out).toContain('STATE                 : MONITORED');
    const vms = show.out.slice(show.out.indexOf('VIRTUAL MACHINES'));
    expect(vms).toContain('*my_vm');
    expect(vms).not.toContain('pending-vm');
  });

  it('deletes, renames and updates', async () => {
    expect((await host(['delete', '3'], { 'one.host.delete': ok })).one.paramsOf('one.host.delete')).toEqual([[3]]);
    expect((await host(['rename', '3', 'n'], { 'one.host.rename': ok })).one.paramsOf('one.host.rename')).toEqual([[3, 'n']]);
    const upd = await runWith(run, ['update', '2'], { ...POOLS, 'one.host.update': ok }, { edit: async (t) => t + '\nZONE="a"' });
    expect(upd.one.paramsOf('one.host.update')).toEqual([[2, 'ARCH="x86_64"\nCPUSPEED="2400"\nHYPERVISOR="kvm"\nZONE="a"', 0]]);
  });
});
