import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestDaemon, eventually } from './harness/daemon.js';
import { untilState, vmState, xmlText } from './harness/vm-state.js';

// The guide's life cycle, driven through the XML-RPC API of a real daemon on dummy hosts.
describe('VM life cycle through the API', () => {
  const d = new TestDaemon();
  let h0 = 0;
  let h1 = 0;

  beforeAll(async () => {
    await d.start();
    h0 = Number(await d.ok('one.host.allocate', 'host0', 'dummy', 'dummy', -1));
    h1 = Number(await d.ok('one.host.allocate', 'host1', 'dummy', 'dummy', -1));
    await eventually(async () => (/<STATE>2<\/STATE>/.test(String(await d.ok('one.host.info', h1))) ? true : undefined), 10_000, 'host monitored');
  });
  afterAll(() => d.dispose());

  const newVm = async (extra = '') => Number(await d.ok('one.vm.allocate', `NAME="vm"\nCPU=0.1\nMEMORY=64\n${extra}`));
  const hostOf = async (id: number) => Number(xmlText(String(await d.ok('one.vm.info', id)).replace(/[\s\S]*<HISTORY>/, '<HISTORY>'), 'HID'));

  it('schedules a pending VM, then walks poweroff, suspend, stop, undeploy, reboot and terminate', async () => {
    const id = await newVm();
    await untilState(d, id, 'RUNNING');
    const steps: [string, string][] = [
      ['poweroff', 'POWEROFF'], ['resume', 'RUNNING'],
      ['suspend', 'SUSPENDED'], ['resume', 'RUNNING'],
      ['stop', 'STOPPED'], ['resume', 'RUNNING'],
      ['undeploy', 'UNDEPLOYED'], ['resume', 'RUNNING'],
      ['reboot', 'RUNNING'], ['reboot-hard', 'RUNNING'],
      ['poweroff-hard', 'POWEROFF'], ['resume', 'RUNNING'],
      ['terminate', 'DONE'],
    ];
    for (const [action, state] of steps) {
      await d.ok('one.vm.action', action, id);
      await untilState(d, id, state as never);
    }
    const xml = String(await d.ok('one.vm.info', id));
    expect(Number(xmlText(xml, 'ETIME'))).toBeGreaterThan(0);
    expect((xml.match(/<HISTORY>/g) ?? []).length).toBeGreaterThan(4);
    // the poweroff's record names the action (19), the user and the API request that asked for it
    expect(xml).toMatch(/<ACTION>19<\/ACTION><UID>0<\/UID><GID>0<\/GID><REQUEST_ID>[1-9]\d*<\/REQUEST_ID>/);
  });

  it('holds and releases, and deploys by hand with --enforce checking capacity', async () => {
    const id = Number(await d.ok('one.vm.allocate', 'NAME="held"\nCPU=0.1\nMEMORY=64', true));
    expect(await vmState(d, id)).toBe('HOLD');
    await d.ok('one.vm.action', 'release', id);
    await untilState(d, id, 'RUNNING');
    const big = Number(await d.ok('one.vm.allocate', 'NAME="big"\nCPU=100\nMEMORY=64', true));
    const r = await d.rpc('one.vm.deploy', big, h0, true);
    expect(r[0]).toBe(false);
    expect(r[2]).toBe(0x800);
    expect(String(r[1])).toMatch(/enough capacity/);
    expect(await vmState(d, big)).toBe('HOLD');
    await d.ok('one.vm.deploy', big, h0, false);
    await untilState(d, big, 'RUNNING');
    await d.ok('one.vm.action', 'terminate-hard', big);
    await untilState(d, big, 'DONE');
  });

  it('migrates cold (save, poweroff, poweroff-hard) and live between hosts', async () => {
    const id = await newVm();
    await untilState(d, id, 'RUNNING');
    for (const [live, type] of [[false, 0], [false, 1], [false, 2], [true, 0]] as const) {
      const target = (await hostOf(id)) === h0 ? h1 : h0;
      await d.ok('one.vm.migrate', id, target, live, false, -1, type);
      await untilState(d, id, 'RUNNING');
      expect(await hostOf(id)).toBe(target);
    }
    await d.ok('one.vm.action', 'poweroff', id);
    await untilState(d, id, 'POWEROFF');
    const target = (await hostOf(id)) === h0 ? h1 : h0;
    await d.ok('one.vm.migrate', id, target, false, false, -1, 0);
    await untilState(d, id, 'POWEROFF');
    expect(await hostOf(id)).toBe(target);
    await d.ok('one.vm.action', 'terminate', id);
    await untilState(d, id, 'DONE');
  });

  it('marks a VM for rescheduling and the scheduler moves it', async () => {
    const id = await newVm();
    await untilState(d, id, 'RUNNING');
    const before = await hostOf(id);
    await d.ok('one.vm.action', 'resched', id);
    await eventually(async () => ((await hostOf(id)) !== before && (await vmState(d, id)) === 'RUNNING' ? true : undefined), 10_000, 'rescheduled');
    expect(xmlText(String(await d.ok('one.vm.info', id)), 'RESCHED')).toBe('0');
  });

  it('refuses actions in states that do not allow them, and changes nothing', async () => {
    const id = Number(await d.ok('one.vm.allocate', 'NAME="h"\nCPU=0.1\nMEMORY=64', true));
    for (const action of ['poweroff', 'suspend', 'stop', 'reboot', 'resume', 'undeploy']) {
      const r = await d.rpc('one.vm.action', action, id);
      expect(r.slice(0, 4)).toEqual([false, `[one.vm.action] Error performing action "${action}": This action is not available for state HOLD`, 0x800, id]);
    }
    expect(await vmState(d, id)).toBe('HOLD');
  });
});

describe('hosts are probed when they arrive', () => {
  const slow = new TestDaemon('', { baseConfig: 'LISTEN_ADDRESS = "127.0.0.1"\nPORT = 0\nMONITORING_INTERVAL_HOST = 3600\nSCHED_INTERVAL = 3600\n' });
  beforeAll(() => slow.start());
  afterAll(() => slow.dispose());

  it('monitors a new host and places a pending VM without waiting for the intervals', async () => {
    const id = Number(await slow.ok('one.vm.allocate', 'CPU=0.1\nMEMORY=64'));
    await slow.ok('one.host.allocate', 'late', 'dummy', 'dummy', -1);
    await eventually(async () => (/<STATE>2<\/STATE>/.test(String(await slow.ok('one.host.info', 0))) ? true : undefined), 5_000, 'host monitored');
    await untilState(slow, id, 'RUNNING', 5_000);
  });
});
