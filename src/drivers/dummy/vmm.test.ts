import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DriverError, VMM_ACTIONS, type VmmAction } from '../types.js';
import { readHypervisor, updateHypervisor } from './hypervisor.js';
import { ctx, fakeSleep, host, settlement, tempDataDir, vm } from '../test-fixtures.js';
import { createDummyVmm } from './vmm.js';
import { addSnapshot, markSnapshot, settleSnapshot } from '../../domain/vm-snapshots.js';
import type { Vm } from '../../domain/vm.js';
import { requestCreate, requestDelete, requestRevert, settle } from '../../domain/disk-snapshots.js';
import { addAttachingDisk, markDetach, markResize } from '../../domain/vm-disk-operations.js';

const NOW = 1_700_000_000_000;
const NOW_S = NOW / 1000;

/** VM 7 with snapshot 0 marked for creation, as the core hands it to snapshot_create. */
const creating = (v: Vm = vm(7)) => addSnapshot(v, 'first', NOW_S).vm;
/** VM 7 with snapshot 0 (taken as onesnap-0) marked for a revert or a delete. */
const marked = (action: 'REVERT' | 'DELETE', v: Vm = vm(7)) => markSnapshot(settleSnapshot(creating(v), 'onesnap-0'), 0, action)!;
/** VM 7 with a disk snapshot operation pending on disk 0: snapshot 0 being created, or snapshot 1 deleted. */
const diskMarked = (action: 'CREATE' | 'DELETE'): Vm => {
  const first = requestCreate([], 0, 'a', NOW_S, 7).trees;
  if (action === 'CREATE') return { ...vm(7), diskSnapshots: first };
  const two = settle(requestCreate(settle(first, 0), 0, 'b', NOW_S, 7).trees, 0);
  return { ...vm(7), diskSnapshots: requestDelete(settle(requestRevert(two, 0, 0, 7), 0), 0, 1, 7) };
};

/** VM 7 with one disk, 10 MB, as disk 0. */
const withDisk = (): Vm => ({ ...vm(7), template: [...vm(7).template, { name: 'DISK', value: { DISK_ID: '0', SIZE: '10', SOURCE: '/i/a' } }] });

/** The VM each action needs: what the core marks before asking for it. */
const MARKED_FOR: Partial<Record<VmmAction, () => Vm>> = {
  snapshot_create: () => creating(),
  snapshot_revert: () => marked('REVERT'),
  snapshot_delete: () => marked('DELETE'),
  disk_snapshot_create: () => diskMarked('CREATE'),
  disk_snapshot_delete: () => diskMarked('DELETE'),
  attach_disk: () => addAttachingDisk(withDisk(), { SOURCE: '/i/b' }),
  detach_disk: () => markDetach(withDisk(), 0),
  resize_disk: () => markResize(withDisk(), 0, 20),
};

describe('dummy VMM', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await tempDataDir()));
  afterEach(() => remove());

  const driver = (sleep = fakeSleep().sleep, now = () => NOW) => createDummyVmm({ sleep, now });
  const vmIds = async (hostId: number) => (await readHypervisor(dir, hostId)).domains.map((d) => d.vmId);
  const checkpointIds = async (hostId: number) => (await readHypervisor(dir, hostId)).checkpoints.map((c) => c.vmId);

  describe('scripted outcomes, for every action', () => {
    // Each action on a host where VM 7 runs, or has been saved for restore; migrate from host 2.
    async function prepare(action: VmmAction) {
      const h = host(1, {});
      const source = host(2);
      const vmm = driver();
      const v = (MARKED_FOR[action] ?? (() => vm(7)))();
      if (action === 'migrate') await vmm.deploy(ctx(v, source, dir));
      else await vmm.deploy(ctx(v, h, dir));
      if (action === 'restore') await vmm.save(ctx(v, h, dir));
      if (action === 'snapshot_revert' || action === 'snapshot_delete') await vmm.snapshot_create(ctx(creating(), h, dir));
      return { v, source, files: [await readHypervisor(dir, 1), await readHypervisor(dir, 2)] };
    }
    const scripted = (spec: string, action: VmmAction) =>
      host(1, { DUMMY_ACTIONS: { [action.toUpperCase()]: spec } });

    it.each(VMM_ACTIONS)('%s fails as scripted and leaves the hypervisor alone', async (action) => {
      const { v, source, files } = await prepare(action);
      const { sleep, waits } = fakeSleep();
      const run = createDummyVmm({ sleep })[action](ctx(v, scripted('failure 3 it broke', action), dir, source));
      await expect(run).rejects.toThrow(new DriverError('it broke'));
      expect(waits).toEqual([3000]);
      expect([await readHypervisor(dir, 1), await readHypervisor(dir, 2)]).toEqual(files);
    });

    it.each(VMM_ACTIONS)('%s succeeds after the scripted delay', async (action) => {
      const { v, source } = await prepare(action);
      const { sleep, waits } = fakeSleep();
      await createDummyVmm({ sleep })[action](ctx(v, scripted('success 2', action), dir, source));
      expect(waits).toEqual([2000]);
    });

    it.each(VMM_ACTIONS)('%s never settles when scripted "never"', async (action) => {
      const { v, source, files } = await prepare(action);
      const run = driver()[action](ctx(v, scripted('never', action), dir, source));
      expect(await settlement(run)).toBe('pending');
      expect([await readHypervisor(dir, 1), await readHypervisor(dir, 2)]).toEqual(files);
    });

    it('fails with what is wrong when the script is malformed', async () => {
      const h = host(1, { DUMMY_ACTIONS: { DEPLOY: 'success later' } });
      await expect(driver().deploy(ctx(vm(7), h, dir))).rejects.toThrow(
        'DUMMY_ACTIONS/DEPLOY = "success later" of host host1 is malformed: "later" is not a delay in seconds',
      );
      expect(await vmIds(1)).toEqual([]);
    });
  });

  describe('deploy', () => {
    it('creates a running domain with the VM\'s CPU and memory and returns one-<id>', async () => {
      const id = await driver().deploy(ctx(vm(7, {}, { CPU: '0.5', MEMORY: '2048' }), host(1), dir));
      expect(id).toBe('one-7');
      expect((await readHypervisor(dir, 1)).domains).toEqual([
        { deployId: 'one-7', vmId: 7, state: 'running', started: NOW_S, cpu: 50, memory: 2048 * 1024 },
      ]);
    });

    it('is idempotent: a second deploy finds the domain and keeps it as it was', async () => {
      await driver().deploy(ctx(vm(7), host(1), dir));
      const later = driver(fakeSleep().sleep, () => NOW + 60_000);
      await expect(later.deploy(ctx(vm(7), host(1), dir))).resolves.toBe('one-7');
      expect((await readHypervisor(dir, 1)).domains).toHaveLength(1);
      expect((await readHypervisor(dir, 1)).domains[0].started).toBe(NOW_S);
    });

    it('survives a restart: a new driver instance sees and acts on the domains', async () => {
      await driver().deploy(ctx(vm(7), host(1), dir));
      const restarted = createDummyVmm({ sleep: fakeSleep().sleep });
      await restarted.reboot(ctx(vm(7), host(1), dir));
      await restarted.shutdown(ctx(vm(7), host(1), dir));
      expect(await vmIds(1)).toEqual([]);
    });

    it('runs many deploys on one host at once without losing any', async () => {
      const a = driver();
      const b = driver();
      await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).deploy(ctx(vm(i), host(1), dir))));
      expect((await vmIds(1)).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    });
  });

  describe('shutdown', () => {
    it('removes the domain, and succeeds again once it is gone', async () => {
      await driver().deploy(ctx(vm(7), host(1), dir));
      await driver().shutdown(ctx(vm(7), host(1), dir));
      expect(await vmIds(1)).toEqual([]);
      await expect(driver().shutdown(ctx(vm(7), host(1), dir))).resolves.toBe('');
    });

    it.each([
      ['180 by default', {}, {}, 180_000],
      ['the host\'s SHUTDOWN_TIMEOUT', {}, { SHUTDOWN_TIMEOUT: '60' }, 60_000],
      ['the VM\'s SHUTDOWN_TIMEOUT before the host\'s', { SHUTDOWN_TIMEOUT: '30' }, { SHUTDOWN_TIMEOUT: '60' }, 30_000],
    ])('times out on a guest that ignores ACPI after %s', async (_, vmAttrs, hostAttrs, wait) => {
      const v = vm(7, { DUMMY_GUEST: { ACPI: 'NO' }, ...vmAttrs });
      const h = host(1, hostAttrs);
      await driver().deploy(ctx(v, h, dir));
      const { sleep, waits } = fakeSleep();
      await expect(driver(sleep).shutdown(ctx(v, h, dir))).rejects.toThrow('Timed out shutting down one-7');
      expect(waits).toEqual([wait]);
      expect(await vmIds(1)).toEqual([7]);
    });

    it('succeeds when an ACPI-ignoring guest is destroyed while it waits', async () => {
      const v = vm(7, { DUMMY_GUEST: { ACPI: 'no' } });
      const vmm = driver(async () => void (await vmm.cancel(ctx(v, host(1), dir))));
      await vmm.deploy(ctx(v, host(1), dir));
      await expect(vmm.shutdown(ctx(v, host(1), dir))).resolves.toBe('');
    });

    it('says what is wrong with a malformed SHUTDOWN_TIMEOUT', async () => {
      const v = vm(7, { DUMMY_GUEST: { ACPI: 'NO' }, SHUTDOWN_TIMEOUT: 'soon' });
      await driver().deploy(ctx(v, host(1), dir));
      await expect(driver().shutdown(ctx(v, host(1), dir))).rejects.toThrow(
        'SHUTDOWN_TIMEOUT = "soon" in the user template of VM 7 is not a number of seconds',
      );
    });
  });

  it('cancel destroys the domain at once and is idempotent', async () => {
    const v = vm(7, { DUMMY_GUEST: { ACPI: 'NO' } });
    await driver().deploy(ctx(v, host(1), dir));
    const { sleep, waits } = fakeSleep();
    await driver(sleep).cancel(ctx(v, host(1), dir));
    await driver(sleep).cancel(ctx(v, host(1), dir));
    expect(waits).toEqual([]);
    expect(await vmIds(1)).toEqual([]);
  });

  describe('save and restore', () => {
    it('save turns the domain into a checkpoint, and a retry is a success', async () => {
      await driver().deploy(ctx(vm(7, {}, { CPU: '2', MEMORY: '1024' }), host(1), dir));
      await driver().save(ctx(vm(7), host(1), dir));
      await driver().save(ctx(vm(7), host(1), dir));
      expect(await readHypervisor(dir, 1)).toEqual({
        domains: [],
        checkpoints: [{ deployId: 'one-7', vmId: 7, cpu: 200, memory: 1024 * 1024, saved: NOW_S }],
      });
    });

    it('save fails for a VM the host does not have', async () => {
      await expect(driver().save(ctx(vm(7), host(1), dir))).rejects.toThrow('one-7 not found on host host1');
    });

    it('restore brings the domain back from the checkpoint, and a retry is a success', async () => {
      await driver().deploy(ctx(vm(7, {}, { CPU: '2' }), host(1), dir));
      await driver().save(ctx(vm(7), host(1), dir));
      const later = driver(fakeSleep().sleep, () => NOW + 10_000);
      await later.restore(ctx(vm(7), host(1), dir));
      await later.restore(ctx(vm(7), host(1), dir));
      expect(await readHypervisor(dir, 1)).toEqual({
        domains: [{ deployId: 'one-7', vmId: 7, state: 'running', started: NOW_S + 10, cpu: 200, memory: 524288 }],
        checkpoints: [],
      });
    });

    it('restore resumes a paused domain', async () => {
      await driver().deploy(ctx(vm(7), host(1), dir));
      await updateHypervisor(dir, 1, (hv) => void (hv.domains[0].state = 'paused'));
      await driver().restore(ctx(vm(7), host(1), dir));
      expect((await readHypervisor(dir, 1)).domains[0].state).toBe('running');
    });

    it('restore on another host takes the checkpoint from the source host', async () => {
      await driver().deploy(ctx(vm(7), host(1), dir));
      await driver().save(ctx(vm(7), host(1), dir));
      await driver().restore(ctx(vm(7), host(2), dir, host(1)));
      expect(await checkpointIds(1)).toEqual([]);
      expect(await vmIds(2)).toEqual([7]);
    });

    it('restore without a checkpoint says where it looked', async () => {
      await expect(driver().restore(ctx(vm(7), host(2), dir, host(1)))).rejects.toThrow(
        'one-7 has no checkpoint on hosts host2 and host1 to restore; save the VM first',
      );
    });
  });

  describe('reboot and reset', () => {
    it.each(['reboot', 'reset'] as const)('%s restarts the guest\'s uptime', async (action) => {
      await driver().deploy(ctx(vm(7), host(1), dir));
      await driver(fakeSleep().sleep, () => NOW + 5_000)[action](ctx(vm(7), host(1), dir));
      expect((await readHypervisor(dir, 1)).domains[0].started).toBe(NOW_S + 5);
    });

    it.each(['reboot', 'reset'] as const)('%s fails when the domain is not there', async (action) => {
      await expect(driver()[action](ctx(vm(7), host(1), dir))).rejects.toThrow('one-7 not found on host host1');
    });
  });

  describe('migrate', () => {
    it('moves the domain from the source host to the destination, and a retry is a success', async () => {
      await driver().deploy(ctx(vm(7), host(1), dir));
      await driver().migrate(ctx(vm(7), host(2), dir, host(1)));
      await driver().migrate(ctx(vm(7), host(2), dir, host(1)));
      expect(await vmIds(1)).toEqual([]);
      expect(await vmIds(2)).toEqual([7]);
    });

    it('finishes a move interrupted with the guest on both hosts', async () => {
      await driver().deploy(ctx(vm(7), host(1), dir));
      await driver().deploy(ctx(vm(7), host(2), dir));
      await driver().migrate(ctx(vm(7), host(2), dir, host(1)));
      expect([await vmIds(1), await vmIds(2)]).toEqual([[], [7]]);
    });

    it('fails without a source host, or when the guest is on neither host', async () => {
      await expect(driver().migrate(ctx(vm(7), host(2), dir))).rejects.toThrow(
        'cannot migrate one-7 to host host2: the source host is not known',
      );
      await expect(driver().migrate(ctx(vm(7), host(2), dir, host(1)))).rejects.toThrow(
        'one-7 not found on hosts host1 and host2',
      );
    });
  });

  describe('system snapshots', () => {
    const snapshots = async () => (await readHypervisor(dir, 1)).domains[0].snapshots;

    it('snapshot_create keeps the snapshot with the guest and answers its name; a retry replaces it', async () => {
      await driver().deploy(ctx(vm(7), host(1), dir));
      await expect(driver().snapshot_create(ctx(creating(), host(1), dir))).resolves.toBe('onesnap-0');
      await driver(fakeSleep().sleep, () => NOW + 5_000).snapshot_create(ctx(creating(), host(1), dir));
      expect(await snapshots()).toEqual([{ name: 'onesnap-0', taken: NOW_S + 5 }]);
    });

    it('snapshot_revert finds the snapshot, and says it is lost when the guest does not have it', async () => {
      await driver().deploy(ctx(vm(7), host(1), dir));
      await expect(driver().snapshot_revert(ctx(marked('REVERT'), host(1), dir))).rejects.toThrow(
        'one-7 on host host1 has no snapshot onesnap-0 to revert to; snapshots are lost when the guest stops',
      );
      await driver().snapshot_create(ctx(creating(), host(1), dir));
      await expect(driver().snapshot_revert(ctx(marked('REVERT'), host(1), dir))).resolves.toBe('');
    });

    it('snapshot_delete removes it, and a snapshot already gone is deleted too', async () => {
      await driver().deploy(ctx(vm(7), host(1), dir));
      await driver().snapshot_create(ctx(creating(), host(1), dir));
      await driver().snapshot_delete(ctx(marked('DELETE'), host(1), dir));
      await driver().snapshot_delete(ctx(marked('DELETE'), host(1), dir));
      expect(await snapshots()).toBeUndefined();
    });

    it('the snapshot actions fail for a guest the host does not run, and without a marked snapshot', async () => {
      await expect(driver().snapshot_create(ctx(creating(), host(1), dir))).rejects.toThrow('one-7 not found on host host1');
      await driver().deploy(ctx(vm(7), host(1), dir));
      await expect(driver().snapshot_delete(ctx(vm(7), host(1), dir))).rejects.toThrow('VM 7 has no SNAPSHOT marked ACTIVE = "YES"');
    });

    it('are gone once the guest is saved and restored', async () => {
      await driver().deploy(ctx(vm(7), host(1), dir));
      await driver().snapshot_create(ctx(creating(), host(1), dir));
      await driver().save(ctx(vm(7), host(1), dir));
      await driver().restore(ctx(vm(7), host(1), dir));
      expect(await snapshots()).toBeUndefined();
    });
  });

  describe('disk snapshots', () => {
    it('need the guest running, and answer the snapshot\'s name on create', async () => {
      await expect(driver().disk_snapshot_create(ctx(diskMarked('CREATE'), host(1), dir))).rejects.toThrow('one-7 not found on host host1');
      await driver().deploy(ctx(vm(7), host(1), dir));
      await expect(driver().disk_snapshot_create(ctx(diskMarked('CREATE'), host(1), dir))).resolves.toBe('disk-snap-0');
      await expect(driver().disk_snapshot_delete(ctx(diskMarked('DELETE'), host(1), dir))).resolves.toBe('');
    });

    it('refuse to act without the pending operation they are for', async () => {
      await driver().deploy(ctx(vm(7), host(1), dir));
      await expect(driver().disk_snapshot_delete(ctx(diskMarked('CREATE'), host(1), dir))).rejects.toThrow('VM 7 has no disk snapshot DELETE pending');
    });
  });

  describe('resize', () => {
    it('gives the running guest the CPU and memory of the template', async () => {
      await driver().deploy(ctx(vm(7), host(1), dir));
      await driver().resize(ctx(vm(7, {}, { CPU: '2', MEMORY: '2048' }), host(1), dir));
      expect((await readHypervisor(dir, 1)).domains[0]).toMatchObject({ cpu: 200, memory: 2048 * 1024 });
    });

    it('fails for a guest the host does not run', async () => {
      await expect(driver().resize(ctx(vm(7), host(1), dir))).rejects.toThrow('one-7 not found on host host1');
    });
  });

  it('cleanup removes domains and checkpoints of the VM on both hosts, and nothing else', async () => {
    await driver().deploy(ctx(vm(7), host(1), dir));
    await driver().deploy(ctx(vm(8), host(1), dir));
    await driver().deploy(ctx(vm(7), host(2), dir));
    await driver().save(ctx(vm(7), host(2), dir));
    await driver().cleanup(ctx(vm(7), host(1), dir, host(2)));
    await driver().cleanup(ctx(vm(7), host(1), dir, host(2)));
    expect(await readHypervisor(dir, 1)).toMatchObject({ domains: [{ vmId: 8 }], checkpoints: [] });
    expect(await readHypervisor(dir, 2)).toEqual({ domains: [], checkpoints: [] });
  });
});
