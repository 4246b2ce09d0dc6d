import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateName } from '../src/lifecycle/states.js';
import { TestDaemon, eventually } from './harness/daemon.js';
import { untilState } from './harness/vm-state.js';

// Every *_FAILURE state of the table, reached on dummy hosts scripted to fail one driver action, and left
// again with recover --retry once the host behaves.
describe('every failure state is reachable and recoverable', () => {
  const d = new TestDaemon();
  let a = 0; // where VMs start
  let b = 0; // where migrations go

  beforeAll(async () => {
    await d.start();
    a = Number(await d.ok('one.host.allocate', 'src', 'dummy', 'dummy', -1));
    b = Number(await d.ok('one.host.allocate', 'dst', 'dummy', 'dummy', -1));
    for (const h of [a, b]) await eventually(async () => (/<STATE>2<\/STATE>/.test(String(await d.ok('one.host.info', h))) ? true : undefined));
  });
  afterAll(() => d.dispose());

  const script = (host: number, actions: string) => d.ok('one.host.update', host, actions ? `DUMMY_ACTIONS = [ ${actions} ]` : '', 0);
  const act = (action: string) => (id: number) => d.ok('one.vm.action', action, id);
  const redeploy = (id: number) => d.ok('one.vm.deploy', id, a, false);
  const migrate = (type: number) => (id: number) => d.ok('one.vm.migrate', id, b, false, false, -1, type);
  /** Drives a fresh VM on host `a` through `steps` (action, then the state to wait for). */
  const prepare = async (steps: [(id: number) => Promise<unknown>, StateName][]) => {
    const id = Number(await d.ok('one.vm.allocate', 'CPU=0.1\nMEMORY=32', true));
    await d.ok('one.vm.deploy', id, a, false);
    await untilState(d, id, 'RUNNING');
    for (const [step, state] of steps) {
      await step(id);
      await untilState(d, id, state);
    }
    return id;
  };

  /** `before` null: the failing action is the VM's first deploy. */
  const cases: { failure: StateName; host: () => number; fail: string; before: [(id: number) => Promise<unknown>, StateName][] | null; trigger: (id: number) => Promise<unknown>; after: StateName }[] = [
    { failure: 'PROLOG_FAILURE', host: () => a, fail: 'PROLOG', before: null, trigger: redeploy, after: 'RUNNING' },
    { failure: 'BOOT_FAILURE', host: () => a, fail: 'DEPLOY', before: null, trigger: redeploy, after: 'RUNNING' },
    { failure: 'EPILOG_FAILURE', host: () => a, fail: 'EPILOG', before: [], trigger: act('terminate'), after: 'DONE' },
    { failure: 'EPILOG_STOP_FAILURE', host: () => a, fail: 'EPILOG_STOP', before: [], trigger: act('stop'), after: 'STOPPED' },
    { failure: 'EPILOG_UNDEPLOY_FAILURE', host: () => a, fail: 'EPILOG_STOP', before: [], trigger: act('undeploy'), after: 'UNDEPLOYED' },
    // deploy from STOPPED/UNDEPLOYED by hand, as oneadmin may, instead of resume and the scheduler
    { failure: 'PROLOG_RESUME_FAILURE', host: () => a, fail: 'PROLOG_RESUME', before: [[act('stop'), 'STOPPED']], trigger: redeploy, after: 'RUNNING' },
    { failure: 'BOOT_STOPPED_FAILURE', host: () => a, fail: 'RESTORE', before: [[act('stop'), 'STOPPED']], trigger: redeploy, after: 'RUNNING' },
    { failure: 'PROLOG_UNDEPLOY_FAILURE', host: () => a, fail: 'PROLOG_RESUME', before: [[act('undeploy'), 'UNDEPLOYED']], trigger: redeploy, after: 'RUNNING' },
    { failure: 'BOOT_UNDEPLOY_FAILURE', host: () => a, fail: 'DEPLOY', before: [[act('undeploy'), 'UNDEPLOYED']], trigger: redeploy, after: 'RUNNING' },
    { failure: 'PROLOG_MIGRATE_FAILURE', host: () => b, fail: 'PROLOG_MIGRATE', before: [], trigger: migrate(0), after: 'RUNNING' },
    { failure: 'BOOT_MIGRATE_FAILURE', host: () => b, fail: 'RESTORE', before: [], trigger: migrate(0), after: 'RUNNING' },
    { failure: 'PROLOG_MIGRATE_POWEROFF_FAILURE', host: () => b, fail: 'PROLOG_MIGRATE', before: [[act('poweroff'), 'POWEROFF']], trigger: migrate(1), after: 'POWEROFF' },
    { failure: 'PROLOG_MIGRATE_SUSPEND_FAILURE', host: () => b, fail: 'PROLOG_MIGRATE', before: [[act('suspend'), 'SUSPENDED']], trigger: migrate(0), after: 'SUSPENDED' },
    {
      failure: 'PROLOG_MIGRATE_UNKNOWN_FAILURE', host: () => b, fail: 'PROLOG_MIGRATE',
      before: [[() => script(a, 'MONITOR = "failure 0 cable cut"'), 'UNKNOWN']],
      trigger: async (id) => { await script(a, ''); await migrate(0)(id); }, after: 'RUNNING',
    },
  ];

  for (const c of cases) {
    it(`${c.failure}: reached by a failing ${c.fail}, left with recover --retry`, async () => {
      const id = c.before ? await prepare(c.before) : Number(await d.ok('one.vm.allocate', 'CPU=0.1\nMEMORY=32', true));
      await script(c.host(), `${c.fail} = "failure 0 rehearsed ${c.fail} failure"`);
      await c.trigger(id);
      await untilState(d, id, c.failure);
      expect(String(await d.ok('one.vm.info', id))).toContain(`rehearsed ${c.fail} failure`);
      await script(c.host(), '');
      await d.ok('one.vm.recover', id, 2);
      await untilState(d, id, c.after);
    });
  }
});
