import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DriverError } from '../types.js';
import { readHypervisor, updateHypervisor } from './hypervisor.js';
import { createDummyIm } from './im.js';
import { ctx, fakeSleep, host, settlement, tempDataDir, vm } from '../test-fixtures.js';
import { createDummyVmm } from './vmm.js';

const DEPLOYED = 1_700_000_000_000;

describe('dummy IM', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await tempDataDir()));
  afterEach(() => remove());

  const im = (at = DEPLOYED + 100_000, sleep = fakeSleep().sleep) => createDummyIm({ now: () => at, sleep });
  const deploy = (v: ReturnType<typeof vm>, h = host(1)) =>
    createDummyVmm({ now: () => DEPLOYED }).deploy(ctx(v, h, dir));

  describe('host', () => {
    it('reports the capacity of OpenNebula\'s dummy probes on an empty host', async () => {
      const report = await im().monitor(host(1), [], dir);
      expect(report).toEqual({
        attributes: {
          HYPERVISOR: 'dummy', ARCH: 'x86_64', MODELNAME: 'Dummy CPU', CPUSPEED: '2000',
          TOTALCPU: '800', TOTALMEMORY: '16777216',
        },
        totalCpu: 800, totalMem: 16_777_216, usedCpu: 0, usedMem: 0, freeCpu: 800, freeMem: 16_777_216,
        netrx: 0, nettx: 0, vms: [],
      });
    });

    it('takes capacity from DUMMY_CPU and DUMMY_MEMORY', async () => {
      const report = await im().monitor(host(1, { DUMMY_CPU: '1600', DUMMY_MEMORY: '4194304' }), [], dir);
      expect(report).toMatchObject({ totalCpu: 1600, totalMem: 4_194_304 });
      expect(report.attributes).toMatchObject({ TOTALCPU: '1600', TOTALMEMORY: '4194304' });
    });

    it('rejects a DUMMY_CPU that is not a whole number, saying what to write', async () => {
      await expect(im().monitor(host(1, { DUMMY_CPU: '8 cores' }), [], dir)).rejects.toThrow(
        'DUMMY_CPU = "8 cores" on host host1 is not a whole number; set it in percent of a core, e.g. 800 for 8 cores',
      );
    });

    it('sums used CPU, memory and network over the domains', async () => {
      const vms = [vm(1, {}, { MEMORY: '1024' }), vm(2, {}, { MEMORY: '2048' })];
      for (const v of vms) await deploy(v);
      const report = await im().monitor(host(1), vms, dir);
      expect(report.usedMem).toBe(3072 * 1024);
      expect(report.freeMem).toBe(16_777_216 - 3072 * 1024);
      expect(report.usedCpu).toBe(Math.round(report.vms[0].cpu + report.vms[1].cpu));
      expect(report.freeCpu).toBe(800 - report.usedCpu);
      expect(report.netrx).toBe(2 * 100 * 2048);
    });

    it('is unreachable when MONITOR is scripted to fail', async () => {
      const h = host(1, { DUMMY_ACTIONS: { MONITOR: 'failure 0 host unreachable' } });
      await expect(im().monitor(h, [], dir)).rejects.toThrow(new DriverError('host unreachable'));
    });

    it('waits a scripted delay, and never answers when told so', async () => {
      const { sleep, waits } = fakeSleep();
      await im(DEPLOYED, sleep).monitor(host(1, { DUMMY_ACTIONS: { MONITOR: 'success 15' } }), [], dir);
      expect(waits).toEqual([15_000]);
      const stuck = im().monitor(host(1, { DUMMY_ACTIONS: { MONITOR: '-' } }), [], dir);
      expect(await settlement(stuck)).toBe('pending');
    });
  });

  describe('VMs', () => {
    it('reports a running domain with its memory, a CPU load that depends only on time and id, and growing traffic', async () => {
      const v = vm(3, {}, { CPU: '2', MEMORY: '512' });
      await deploy(v);
      const [first] = (await im(DEPLOYED + 100_000).monitor(host(1), [v], dir)).vms;
      const [again] = (await im(DEPLOYED + 100_000).monitor(host(1), [v], dir)).vms;
      const [later] = (await im(DEPLOYED + 200_000).monitor(host(1), [v], dir)).vms;
      expect(first).toMatchObject({
        deployId: 'one-3', vmId: 3, state: 'a', memory: 512 * 1024,
        netrx: 100 * 2048, nettx: 100 * 1024, diskrdbytes: 100 * 4096, diskwrbytes: 100 * 2048,
      });
      expect(again).toEqual(first);
      expect(first.cpu).toBeGreaterThanOrEqual(20);
      expect(first.cpu).toBeLessThanOrEqual(180);
      expect(later.cpu).not.toBe(first.cpu);
      expect(later.netrx).toBe(200 * 2048);
    });

    it('leaves out a VM of the store that has no domain', async () => {
      expect((await im().monitor(host(1), [vm(4)], dir)).vms).toEqual([]);
    });

    it('reports domains the store does not know as zombies', async () => {
      await deploy(vm(5));
      await deploy(vm(6));
      const report = await im().monitor(host(1), [vm(5)], dir);
      expect(report.vms.map((r) => [r.deployId, r.vmId])).toEqual([['one-5', 5], ['one-6', -1]]);
    });

    it('powers off a guest with DUMMY_GUEST STATE=poweroff at every probe while it is set', async () => {
      const off = vm(7, { DUMMY_GUEST: { STATE: 'poweroff' } });
      await deploy(off);
      expect((await im().monitor(host(1), [off], dir)).vms).toEqual([]);
      expect((await readHypervisor(dir, 1)).domains).toEqual([]);
      await deploy(off); // powered on again: the condition still holds
      expect((await im().monitor(host(1), [off], dir)).vms).toEqual([]);
      expect((await readHypervisor(dir, 1)).domains).toEqual([]);
    });

    it('reports e for STATE=error and keeps the domain', async () => {
      const broken = vm(7, { DUMMY_GUEST: { STATE: 'ERROR' } });
      await deploy(broken);
      expect((await im().monitor(host(1), [broken], dir)).vms).toMatchObject([{ vmId: 7, state: 'e' }]);
      expect((await readHypervisor(dir, 1)).domains).toHaveLength(1);
    });

    it('pauses a guest with STATE=paused: reported p, using no CPU', async () => {
      const paused = vm(7, { DUMMY_GUEST: { STATE: 'paused' } });
      await deploy(paused);
      expect((await im().monitor(host(1), [paused], dir)).vms).toMatchObject([{ state: 'p', cpu: 0, memory: 524288 }]);
      expect((await readHypervisor(dir, 1)).domains[0].state).toBe('paused');
    });

    it('removes every trace of a guest with STATE=gone, checkpoint included', async () => {
      const gone = vm(7, { DUMMY_GUEST: { STATE: 'gone' } });
      await deploy(gone);
      await updateHypervisor(dir, 1, (hv) => void hv.checkpoints.push({ deployId: 'one-7', vmId: 7, cpu: 100, memory: 1, saved: 0 }));
      expect((await im().monitor(host(1), [gone], dir)).vms).toEqual([]);
      expect(await readHypervisor(dir, 1)).toEqual({ domains: [], checkpoints: [] });
    });

    it('does not apply DUMMY_GUEST to zombies, and ignores unknown states', async () => {
      await deploy(vm(7));
      await deploy(vm(8));
      const report = await im().monitor(host(1), [vm(8, { DUMMY_GUEST: { STATE: 'sleepy' } })], dir);
      expect(report.vms.map((r) => [r.vmId, r.state])).toEqual([[-1, 'a'], [8, 'a']]);
    });
  });
});
