import { afterEach, describe, expect, it } from 'vitest';
import { TestDaemon, eventually } from './harness/daemon.js';
import { untilState, vmState } from './harness/vm-state.js';
import { ALL_STATES } from '../src/lifecycle/states.js';

// kill -9 at awkward moments: after a restart every VM is accounted for and every operation that was in
// flight is finished, retried, or surfaced as a state the user can recover from.
describe('daemon killed with SIGKILL', () => {
  let d: TestDaemon;
  afterEach(() => d.dispose());

  async function withHost(script: string, extraConfig = ''): Promise<number> {
    d = new TestDaemon(extraConfig);
    await d.start();
    const host = Number(await d.ok('one.host.allocate', 'h', 'dummy', 'dummy', -1));
    if (script) await d.ok('one.host.update', host, `DUMMY_ACTIONS = [ ${script} ]`, 0);
    await eventually(async () => (/<STATE>2<\/STATE>/.test(String(await d.ok('one.host.info', host))) ? true : undefined));
    return host;
  }

  it('finishes a deploy that was in flight when the daemon died', async () => {
    const host = await withHost('DEPLOY = "success 1"');
    const id = Number(await d.ok('one.vm.allocate', 'NAME="k"\nCPU=0.1\nMEMORY=64', true));
    await d.ok('one.vm.deploy', id, host, false);
    await untilState(d, id, 'BOOT');
    await d.kill();
    await d.start();
    expect(await vmState(d, id)).toBe('BOOT');
    await untilState(d, id, 'RUNNING', 15_000);
  });

  it('surfaces an operation interrupted too many times as a failure state, then recovers it', async () => {
    const host = await withHost('DEPLOY = "success 30"', 'MAX_OPERATION_ATTEMPTS = 2\n');
    const id = Number(await d.ok('one.vm.allocate', 'NAME="k"\nCPU=0.1\nMEMORY=64', true));
    await d.ok('one.vm.deploy', id, host, false);
    for (let i = 0; i < 2; i++) {
      await untilState(d, id, 'BOOT');
      await new Promise((r) => setTimeout(r, 300)); // let the executor hand it to the driver
      await d.kill();
      await d.start();
    }
    await untilState(d, id, 'BOOT_FAILURE');
    expect(String(await d.ok('one.vm.info', id))).toMatch(/interrupted by 2 daemon restarts/);
    await d.ok('one.host.update', host, '', 0);
    await d.ok('one.vm.recover', id, 2);
    await untilState(d, id, 'RUNNING');
  });

  it('keeps every VM a client was told about across kills in the middle of a busy stream', async () => {
    await withHost('PROLOG = "success 0.2", DEPLOY = "success 0.2", SHUTDOWN = "success 0.2"', 'SCHED_MAX_HOST = 1000\nSCHED_MAX_DISPATCH = 1000\n');
    const created: number[] = [];
    for (let round = 0; round < 3; round++) {
      const stream = (async () => {
        // bounded: at most 150 calls a round, cut short by the kill
        for (let call = 0; call < 150; call++) {
          const r = await d.rpc('one.vm.allocate', `NAME="s${round}"\nCPU=0.01\nMEMORY=16`).catch(() => null);
          if (!r) return;
          if (r[0] === true) created.push(Number(r[1]));
          if (created.length % 3 === 0 && r[0] === true) await d.rpc('one.vm.action', 'poweroff', Number(r[1]) - 1).catch(() => null);
        }
      })();
      await new Promise((r) => setTimeout(r, 700 + round * 150));
      await d.kill();
      await stream;
      await d.start();
    }
    expect(created.length).toBeGreaterThan(5);
    const settled = new Set(['RUNNING', 'POWEROFF', 'PENDING']);
    for (const id of created) {
      const state = await eventually(async () => {
        const s = await vmState(d, id);
        return settled.has(s) ? s : undefined;
      }, 20_000, `VM ${id} settled`);
      expect(ALL_STATES).toContain(state);
    }
    // A call the daemon committed just before it died may not have reached the client: at most one per kill.
    const pool = [...String(await d.ok('one.vmpool.info', -2, -1, -1, -1)).matchAll(/<VM><ID>(\d+)<\/ID>/g)].map((m) => Number(m[1]));
    expect(pool).toEqual(expect.arrayContaining(created));
    expect(pool.length - created.length).toBeLessThanOrEqual(3);
  });
});
