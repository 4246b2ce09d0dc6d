import { describe, expect, it } from 'vitest';
import { OneApiError } from './errors.js';
import { run } from './onevm.js';
import { fixture, runWith, type Handler } from './testing/fake-one.js';

const POOLS: Record<string, Handler> = { 'one.vmpool.info': () => fixture('vm-pool.xml') };
const ok: Handler = (...p) => Number(p.find((x) => typeof x === 'number') ?? 0);
const vm = (argv: string[], handlers: Record<string, Handler> = {}) => runWith(run, argv, { ...POOLS, ...handlers });

describe('onevm disk-snapshot-*', () => {
  it('disk-snapshot-create takes a named snapshot of one disk, by VM name or ID', async () => {
    const r = await vm(['disk-snapshot-create', 'my_vm', '1', 'before upgrade', '-v'], { 'one.vm.disksnapshotcreate': () => 0 });
    expect(r.one.paramsOf('one.vm.disksnapshotcreate')).toEqual([[0, 1, 'before upgrade']]);
    expect(r.out).toBe('VM 0: disk snapshot created\n');
    const quiet = await vm(['disk-snapshot-create', '2', '0', 's'], { 'one.vm.disksnapshotcreate': () => 0 });
    expect([quiet.code, quiet.out]).toEqual([0, '']);
  });

  it.each([
    ['disk-snapshot-revert', 'one.vm.disksnapshotrevert', 'disk snapshot reverted'],
    ['disk-snapshot-delete', 'one.vm.disksnapshotdelete', 'disk snapshot deleted'],
  ])('%s calls %s with the VM, the disk and the snapshot', async (cmd, method, said) => {
    const r = await vm([cmd, 'my_vm', '1', '3', '--verbose'], { [method]: ok });
    expect(r.one.paramsOf(method)).toEqual([[0, 1, 3]]);
    expect(r.out).toBe(`VM 0: ${said}\n`);
  });

  it('disk-snapshot-rename calls one.vm.disksnapshotrename with the new name', async () => {
    const r = await vm(['disk-snapshot-rename', '0', '1', '2', 'golden', '-v'], { 'one.vm.disksnapshotrename': ok });
    expect(r.one.paramsOf('one.vm.disksnapshotrename')).toEqual([[0, 1, 2, 'golden']]);
    expect(r.out).toBe('VM 0: disk snapshot renamed\n');
  });

  it('refuses disk and snapshot IDs that are not numbers, calling nothing', async () => {
    const disk = await vm(['disk-snapshot-delete', '0', 'vdb', '0'], { 'one.vm.disksnapshotdelete': ok });
    expect(disk).toMatchObject({ code: 255, err: 'Disk ID "vdb" is not a number; see the VM\'s disks with onevm show\n' });
    const snap = await vm(['disk-snapshot-revert', '0', '1', 'last'], { 'one.vm.disksnapshotrevert': ok });
    expect(snap).toMatchObject({ code: 255, err: 'Snapshot ID "last" is not a number; see the VM\'s snapshots with onevm show\n' });
    expect([...disk.one.calls, ...snap.one.calls]).toEqual([]);
  });

  it('asks for every argument', async () => {
    const r = await vm(['disk-snapshot-create', '0', '1']);
    expect(r.code).toBe(255);
    expect(r.err).toContain('name');
  });

  it('prints the daemon\'s refusal', async () => {
    const msg = '[one.vm.disksnapshotrevert] Could not revert disk 1 to snapshot 0 of VM 0, wrong state RUNNING: power it off first.';
    const r = await vm(['disk-snapshot-revert', '0', '1', '0'], { 'one.vm.disksnapshotrevert': () => { throw new OneApiError(msg, 0x800, 0); } });
    expect(r).toMatchObject({ code: 255, err: `${msg}\n` });
  });
});
