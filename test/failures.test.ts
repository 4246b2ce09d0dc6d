import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestDaemon, eventually } from './harness/daemon.js';
import { untilState, vmState, xmlText } from './harness/vm-state.js';

// Every failure the dummy drivers can rehearse, and the way out of each through recover.
describe('driver failures and recovery', () => {
  const d = new TestDaemon();
  let host = 0;

  beforeAll(async () => {
    await d.start();
    host = Number(await d.ok('one.host.allocate', 'flaky', 'dummy', 'dummy', -1));
    await eventually(async () => (/<STATE>2<\/STATE>/.test(String(await d.ok('one.host.info', host))) ? true : undefined));
  });
  afterAll(() => d.dispose());

  /** Scripts the host's dummy actions (replacing any earlier script). */
  const script = (actions: string) => d.ok('one.host.update', host, actions ? `DUMMY_ACTIONS = [ ${actions} ]` : '', 0);
  const running = async () => {
    const id = Number(await d.ok('one.vm.allocate', 'NAME="f"\nCPU=0.1\nMEMORY=64', true));
    await d.ok('one.vm.deploy', id, host, false);
    await untilState(d, id, 'RUNNING');
    return id;
  };
  const error = async (id: number) => xmlText(String(await d.ok('one.vm.info', id)).replace(/[\s\S]*<USER_TEMPLATE>/, ''), 'ERROR') ?? '';

  it('a failing shutdown returns the VM to RUNNING with the reason in USER_TEMPLATE/ERROR', async () => {
    const id = await running();
    await script('SHUTDOWN = "failure 0 the guest is stuck"');
    for (const action of ['poweroff', 'terminate', 'undeploy']) {
      await d.ok('one.vm.action', action, id);
      await untilState(d, id, 'RUNNING');
      expect(await error(id)).toMatch(/the guest is stuck/);
    }
    await script('');
  });

  it('poweroff --hard overrides a soft poweroff that never ends', async () => {
    const id = await running();
    await script('SHUTDOWN = "never"');
    await d.ok('one.vm.action', 'poweroff', id);
    await untilState(d, id, 'SHUTDOWN_POWEROFF');
    await d.ok('one.vm.action', 'poweroff-hard', id);
    await untilState(d, id, 'POWEROFF');
    await script('');
    await d.ok('one.vm.action', 'terminate', id);
    await untilState(d, id, 'DONE');
  });

  it('reaches each prolog, boot and epilog failure state and recovers from it', async () => {
    const cases = [
      { script: 'PROLOG = "failure 0 no space"', failed: 'PROLOG_FAILURE' },
      { script: 'DEPLOY = "failure 0 no such emulator"', failed: 'BOOT_FAILURE' },
    ];
    for (const c of cases) {
      await script(c.script);
      const id = Number(await d.ok('one.vm.allocate', 'NAME="p"\nCPU=0.1\nMEMORY=64', true));
      await d.ok('one.vm.deploy', id, host, false);
      await untilState(d, id, c.failed as never);
      await script('');
      await d.ok('one.vm.recover', id, 2); // retry
      await untilState(d, id, 'RUNNING');
    }
    const id = await running();
    await script('EPILOG = "failure 0 cannot remove files"');
    await d.ok('one.vm.action', 'terminate-hard', id);
    await untilState(d, id, 'EPILOG_FAILURE');
    await d.ok('one.vm.recover', id, 1); // success: pretend the epilog worked
    await untilState(d, id, 'DONE');
    await script('');
  });

  it('stop, undeploy and migration failures land in their *_FAILURE states', async () => {
    const id = await running();
    await script('EPILOG_STOP = "failure 0 copy failed"');
    await d.ok('one.vm.action', 'stop', id);
    await untilState(d, id, 'EPILOG_STOP_FAILURE');
    await script('');
    await d.ok('one.vm.recover', id, 2);
    await untilState(d, id, 'STOPPED');
    await script('PROLOG_RESUME = "failure 0 copy back failed"');
    await d.ok('one.vm.action', 'resume', id);
    await d.ok('one.vm.deploy', id, host, false).catch(() => undefined);
    await untilState(d, id, 'PROLOG_RESUME_FAILURE');
    await script('RESTORE = "failure 0 bad checkpoint"');
    await d.ok('one.vm.recover', id, 2);
    await untilState(d, id, 'BOOT_STOPPED_FAILURE');
    await script('');
    await d.ok('one.vm.recover', id, 2);
    await untilState(d, id, 'RUNNING');
    await d.ok('one.vm.action', 'terminate', id);
    await untilState(d, id, 'DONE');
  });

  it('recover --delete and --recreate clean up a VM stuck on a driver that never answers', async () => {
    await script('DEPLOY = "never"');
    const id = Number(await d.ok('one.vm.allocate', 'NAME="stuck"\nCPU=0.1\nMEMORY=64', true));
    await d.ok('one.vm.deploy', id, host, false);
    await untilState(d, id, 'BOOT');
    await script('');
    await d.ok('one.vm.recover', id, 4); // delete-recreate: cleaned up and PENDING again, same id
    await untilState(d, id, 'RUNNING');
    await d.ok('one.vm.recover', id, 3); // delete
    await untilState(d, id, 'DONE');
    const r = await d.rpc('one.vm.recover', id, 9);
    expect(r[0]).toBe(false);
    expect(r[2]).toBe(0x1000);
  });

  it('recover --retry runs a pending operation again when its driver never answered', async () => {
    await script('DEPLOY = "never"');
    const id = Number(await d.ok('one.vm.allocate', 'NAME="retry"\nCPU=0.1\nMEMORY=64', true));
    await d.ok('one.vm.deploy', id, host, false);
    await untilState(d, id, 'BOOT');
    await script('');
    await d.ok('one.vm.recover', id, 2);
    await untilState(d, id, 'RUNNING');
    expect((await d.rpc('one.vm.recover', id, 2))[2]).toBe(0x800); // nothing pending in RUNNING
  });

  it('a guest that powers itself off becomes POWEROFF through monitoring', async () => {
    const id = await running();
    await d.ok('one.vm.update', id, 'DUMMY_GUEST = [ STATE = "poweroff" ]', 1);
    await untilState(d, id, 'POWEROFF');
    await d.ok('one.vm.update', id, '', 0);
    await d.ok('one.vm.action', 'resume', id);
    await untilState(d, id, 'RUNNING');
  });

  it('a guest that ignores ACPI fails the shutdown after SHUTDOWN_TIMEOUT', async () => {
    const id = await running();
    await d.ok('one.vm.update', id, 'DUMMY_GUEST = [ ACPI = "NO" ]\nSHUTDOWN_TIMEOUT = 0.3', 0);
    await d.ok('one.vm.action', 'poweroff', id);
    await untilState(d, id, 'SHUTDOWN_POWEROFF');
    await untilState(d, id, 'RUNNING');
    expect(await error(id)).toMatch(/Timed out shutting down/);
    await d.ok('one.vm.action', 'poweroff-hard', id);
    await untilState(d, id, 'POWEROFF');
  });

  it('a host that stops answering puts its VMs in UNKNOWN and brings them back', async () => {
    const id = await running();
    await script('MONITOR = "failure 0 no route to host"');
    await untilState(d, id, 'UNKNOWN');
    expect(xmlText(String(await d.ok('one.host.info', host)), 'STATE')).toBe('3');
    await script('');
    await untilState(d, id, 'RUNNING');
    expect(xmlText(String(await d.ok('one.host.info', host)), 'STATE')).toBe('2');
  });

  it('a VM that disappears from its host is seen as POWEROFF', async () => {
    const id = await running();
    await d.ok('one.vm.update', id, 'DUMMY_GUEST = [ STATE = "gone" ]', 1);
    await untilState(d, id, 'POWEROFF');
    expect(await vmState(d, id)).toBe('POWEROFF');
  });
});
