import { describe, expect, it } from 'vitest';
import { ErrorCode, OneError } from '../domain/errors.js';
import { newHistory, type Placement } from '../domain/history.js';
import { newVm } from '../domain/vm-new.js';
import type { Vm } from '../domain/vm.js';
import { TM_ACTIONS, VMM_ACTIONS } from '../drivers/types.js';
import { USER_ACTIONS, type DiskHotplugEvent, type DiskSnapshotEvent, type EventName, type HotplugEvent, type Operation } from './events.js';
import { GUARDS } from './guards.js';
import { historyActionOf } from './history-action-of.js';
import { historyActionNumber, type HistoryAction } from './history-actions.js';
import { allows, findMove, settlesPending, transition } from './machine.js';
import { ALL_STATES, stateName, stateNumbers, type StateName } from './states.js';
import { holdsHost, isFailureState, LIFECYCLE, type Move, type Row } from './table.js';

/** Every event name; the Record type makes the compiler reject a missing one. */
const EVENT_SET: Record<EventName, true> = {
  terminate: true, 'terminate-hard': true, undeploy: true, 'undeploy-hard': true, poweroff: true,
  'poweroff-hard': true, reboot: true, 'reboot-hard': true, hold: true, release: true, stop: true, suspend: true,
  resume: true, resched: true, unresched: true, deploy: true, migrate: true, 'migrate-poweroff': true,
  'migrate-poweroff-hard': true, 'live-migrate': true, success: true, failure: true, retry: true, delete: true,
  'delete-recreate': true, 'delete-db': true, 'snapshot-create': true, 'snapshot-revert': true, 'snapshot-delete': true,
  resize: true, 'monitor-running': true, 'monitor-poweroff': true, 'monitor-suspended': true, 'monitor-error': true,
  'host-error': true, 'disk-snapshot-create': true, 'disk-snapshot-revert': true, 'disk-snapshot-delete': true,
  'disk-saveas': true, 'disk-attach': true, 'disk-detach': true, 'disk-resize': true,
};
const EVENTS = Object.keys(EVENT_SET) as EventName[];

const T0 = 1_700_000_000;
const HOST_A: Placement = { hostname: 'host-a', hid: 1, cid: 0, vmMad: 'kvm', tmMad: 'ssh', dsId: 0 };
const HOST_B: Placement = { hostname: 'host-b', hid: 2, cid: 0, vmMad: 'kvm', tmMad: 'ssh', dsId: 0 };
const OWNER = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };

/** What `onetemplate instantiate` makes: a PENDING VM with no history. */
function instantiate(): Vm {
  return newVm({ id: 7, template: [{ name: 'MEMORY', value: '512' }, { name: 'CPU', value: '1' }], owner: OWNER, hold: false, now: T0 });
}

/** A VM put straight into `state`, with one running record on host-a whose ACTION is `action`. */
function vmIn(state: StateName, action: HistoryAction = 'none'): Vm {
  const { state: s, lcm } = stateNumbers(state);
  const record = { ...newHistory(undefined, HOST_A, T0), rstime: T0, action: historyActionNumber(action) };
  return { ...instantiate(), state: s, lcmState: lcm, prevState: s, prevLcmState: lcm, history: [record] };
}

/** The ACTION a VM in these states last recorded in reality (the deploy guards read it). */
const ARRIVED_BY: Partial<Record<StateName, HistoryAction>> = { STOPPED: 'stop', UNDEPLOYED: 'undeploy' };
const realistic = (state: StateName) => vmIn(state, ARRIVED_BY[state]);

const argsFor = (event: EventName, now = T0 + 10) =>
  ({ now, action: historyActionOf(event), placement: HOST_B, message: 'driver said no', info: 'one-7' });

const isMove = (r: Row): r is Move => 'to' in r;
const rowsFor = (event: EventName, state: StateName) => LIFECYCLE.filter((r) => r.on === event && r.from.includes(state));
const VALID_OPERATIONS = new Set<string>([...VMM_ACTIONS.map((a) => `vmm.${a}`), ...TM_ACTIONS.map((a) => `tm.${a}`)]);

describe('every (state, event) pair', () => {
  const pairs = ALL_STATES.flatMap((s) => EVENTS.map((e) => [s, e] as const));

  it.each(pairs)('%s + %s: a move to a valid state, or the ACTION error', (state, event) => {
    const vm = realistic(state);
    const before = structuredClone(vm);
    let t;
    try {
      t = transition(vm, event, argsFor(event));
    } catch (e) {
      expect(e).toBeInstanceOf(OneError);
      expect((e as OneError).code).toBe(ErrorCode.ACTION);
      expect((e as OneError).message).toBe(`Error performing action "${event}": This action is not available for state ${state}`);
      expect((e as OneError).objectId).toBe(vm.id);
      expect(allows(vm, event)).toBe(false);
      expect(vm).toEqual(before);
      return;
    }
    expect(allows(vm, event)).toBe(true);
    expect(ALL_STATES).toContain(t.to);
    expect(t.from).toBe(state);
    expect(stateName(t.vm.state, t.vm.lcmState)).toBe(t.to);
    for (const op of t.run) expect(VALID_OPERATIONS).toContain(op);
    expect(vm, 'the input VM is never changed').toEqual(before);
  });
});

/** §2.4: the states in which OpenNebula accepts each user action, deploy and migration. */
const FAILURES = ALL_STATES.filter((s) => isFailureState(s) && s !== 'CLONING_FAILURE');
const TERMINABLE: StateName[] = [
  'RUNNING', 'UNKNOWN', 'SUSPENDED', 'POWEROFF', 'STOPPED', 'UNDEPLOYED', 'INIT', 'PENDING', 'HOLD', 'CLONING',
  'CLONING_FAILURE', ...FAILURES,
];
const COLD_MIGRATABLE: StateName[] = ['RUNNING', 'UNKNOWN', 'POWEROFF', 'SUSPENDED'];
const ALLOWED_IN: Record<(typeof USER_ACTIONS)[number] | HotplugEvent | DiskSnapshotEvent | DiskHotplugEvent | 'deploy' | 'migrate' | 'migrate-poweroff' | 'migrate-poweroff-hard' | 'live-migrate', StateName[]> = {
  terminate: TERMINABLE,
  'terminate-hard': [...TERMINABLE, 'SHUTDOWN'],
  poweroff: ['RUNNING', 'UNKNOWN'],
  'poweroff-hard': ['RUNNING', 'UNKNOWN', 'SHUTDOWN_POWEROFF'],
  undeploy: ['RUNNING', 'UNKNOWN', 'POWEROFF'],
  'undeploy-hard': ['RUNNING', 'UNKNOWN', 'POWEROFF', 'SHUTDOWN_UNDEPLOY'],
  stop: ['RUNNING', 'SUSPENDED'],
  suspend: ['RUNNING'],
  resume: ['STOPPED', 'UNDEPLOYED', 'SUSPENDED', 'POWEROFF', 'UNKNOWN'],
  reboot: ['RUNNING'],
  'reboot-hard': ['RUNNING'],
  hold: ['PENDING'],
  release: ['HOLD'],
  resched: ['RUNNING', 'UNKNOWN', 'POWEROFF'],
  unresched: ['RUNNING', 'UNKNOWN', 'POWEROFF'],
  deploy: ['PENDING', 'HOLD', 'STOPPED', 'UNDEPLOYED'],
  migrate: COLD_MIGRATABLE,
  'migrate-poweroff': COLD_MIGRATABLE,
  'migrate-poweroff-hard': COLD_MIGRATABLE,
  'live-migrate': ['RUNNING'],
  // §2.4 Hotplug and snapshots: no KEEP_SNAPSHOTS, so a snapshot is deleted in RUNNING only.
  'snapshot-create': ['RUNNING'],
  'snapshot-revert': ['RUNNING'],
  'snapshot-delete': ['RUNNING'],
  // §2.4 disk snapshots: create and delete live or offline; revert in POWEROFF only (the CLI help's SUSPENDED is wrong).
  'disk-snapshot-create': ['RUNNING', 'POWEROFF', 'SUSPENDED'],
  'disk-snapshot-revert': ['POWEROFF'],
  'disk-snapshot-delete': ['RUNNING', 'POWEROFF', 'SUSPENDED'],
  // §2.4 disk saveas (VirtualMachine::set_saveas_state).
  'disk-saveas': ['RUNNING', 'POWEROFF', 'SUSPENDED', 'UNDEPLOYED', 'STOPPED'],
  // §2.4 disk attach, detach (HOTPLUG, HOTPLUG_PROLOG/EPILOG_POWEROFF) and disk resize (DISK_RESIZE*).
  'disk-attach': ['RUNNING', 'POWEROFF'],
  'disk-detach': ['RUNNING', 'POWEROFF'],
  'disk-resize': ['RUNNING', 'POWEROFF', 'UNDEPLOYED'],
  // §2.4 Resize: the template in INIT, PENDING, HOLD, UNDEPLOYED, CLONING*; the host too in POWEROFF; live in RUNNING.
  resize: ['INIT', 'PENDING', 'HOLD', 'UNDEPLOYED', 'CLONING', 'CLONING_FAILURE', 'POWEROFF', 'RUNNING'],
};

describe('where user actions are accepted (§2.4)', () => {
  it.each(Object.entries(ALLOWED_IN))('%s is available exactly where OpenNebula allows it', (event, expected) => {
    const actual = ALL_STATES.filter((s) => allows(realistic(s), event as EventName));
    expect(actual.sort()).toEqual([...expected].sort());
  });
});

/** Every state a walk from a PENDING VM reaches through the machine, trying every event in every state. */
function reachableFromPending(): Set<StateName> {
  // Guards read the history, so a state is revisited when it comes with a different guard outcome.
  const key = (vm: Vm) => `${stateName(vm.state, vm.lcmState)}|${Object.values(GUARDS).map((g) => (g(vm) ? 1 : 0)).join('')}`;
  const start = instantiate();
  const seen = new Set([key(start)]);
  const queue = [start];
  const reached = new Set<StateName>(['PENDING']);
  let now = T0;
  while (queue.length > 0) {
    const vm = queue.shift()!;
    for (const event of EVENTS) {
      if (!allows(vm, event)) continue;
      const next = transition(vm, event, argsFor(event, (now += 10))).vm;
      reached.add(stateName(next.state, next.lcmState));
      if (!seen.has(key(next))) {
        seen.add(key(next));
        queue.push(next);
      }
    }
  }
  return reached;
}

/** States that only allocate and image cloning lead to: INIT lasts inside allocate; CLONING* wait on images. */
const ALLOCATE_ONLY: StateName[] = ['INIT', 'CLONING', 'CLONING_FAILURE'];
/**
 * Where rows lead from states an event can reach; a row that keeps the VM where it is (resched, a resize of
 * the template) leads nowhere new, and the outcome of cloning only from where allocate put the VM.
 */
const TARGETS = new Set(LIFECYCLE.filter(isMove).filter((r) => r.from.some((f) => f !== r.to && !ALLOCATE_ONLY.includes(f))).map((r) => r.to));

describe('reachability', () => {
  const reached = reachableFromPending();

  it('reaches every state some row leads to, starting from PENDING', () => {
    expect([...TARGETS].filter((s) => !reached.has(s))).toEqual([]);
  });

  // Finding F1: the NIC hotplug, backup and restore states (HOTPLUG_NIC*, BACKUP*, RESTORE) have no rows
  // yet, so no event leads to them or out of them (§2.4 "Hotplug and snapshots", "Resize, config, backup").
  // The disk hotplug, disk resize, system and disk snapshot and saveas states have theirs.
  it.fails('reaches every state except those of allocate and cloning, starting from PENDING (F1)', () => {
    expect(ALL_STATES.filter((s) => !reached.has(s) && !ALLOCATE_ONLY.includes(s))).toEqual([]);
  });
});

describe('driver operations can always settle', () => {
  const started = [...new Set(LIFECYCLE.filter((r) => isMove(r) && (r.run ?? []).length > 0).map((r) => (r as Move).to))];

  it.each(started)('%s, where an operation starts, has an unguarded success and failure row', (state) => {
    for (const outcome of ['success', 'failure'] as const) {
      const rows = rowsFor(outcome, state);
      expect(rows.some((r) => !('when' in r && r.when)), `${outcome} from ${state}`).toBe(true);
    }
  });
});

describe('failure states (§2.6)', () => {
  const RECOVERY: EventName[] = ['retry', 'success', 'failure', 'delete', 'delete-recreate', 'delete-db', 'terminate', 'terminate-hard'];

  it.each(FAILURES)('%s takes retry, success, failure, delete, delete-recreate, delete-db, terminate and terminate-hard', (state) => {
    expect(RECOVERY.filter((e) => !allows(vmIn(state), e))).toEqual([]);
  });

  // Finding F2: CLONING_FAILURE has no retry or delete-recreate row (a failed image copy is not run again: delete
  // the image and instantiate again); §2.6 lists it among the recoverable states. success and failure it has.
  it.fails('CLONING_FAILURE takes the same recovery events (F2)', () => {
    expect(RECOVERY.filter((e) => !allows(vmIn('CLONING_FAILURE'), e))).toEqual([]);
  });

  it.each(FAILURES)('%s is left by retry for the state that failed, which restarts its operation', (state) => {
    const t = transition(vmIn(state), 'retry', argsFor('retry'));
    expect(t.to).toBe(state.replace(/_FAILURE$/, ''));
    expect(t.run.length).toBeGreaterThan(0);
  });
});

// recover --retry in a state whose operation is still pending needs no row: core/vm-recover.ts queues the same
// operation again from the outbox (test/failures.test.ts drives it on a driver that never answers).

describe('the shape of the table', () => {
  it('records the message of every failure in USER_TEMPLATE/ERROR', () => {
    const silent = LIFECYCLE.filter((r) => r.on === 'failure' && isMove(r) && !(r.effects ?? []).includes('setError'));
    expect(silent).toEqual([]);
  });

  it('leads nowhere that only DONE leaves', () => {
    const stuck = [...TARGETS].filter((s) => s !== 'DONE').filter((s) =>
      !LIFECYCLE.some((r) => r.from.includes(s) && (!isMove(r) || (r.to !== s && r.to !== 'DONE'))));
    expect(stuck).toEqual([]);
  });

  it('has no row that an earlier one for the same event and state hides', () => {
    const dead: string[] = [];
    for (const event of EVENTS) {
      for (const state of ALL_STATES) {
        const rows = rowsFor(event, state);
        rows.forEach((row, i) => {
          const guard = 'when' in row ? row.when : undefined;
          const earlier = rows.slice(0, i).map((r) => ('when' in r ? r.when : undefined));
          if (earlier.includes(undefined) || (guard && earlier.includes(guard))) dead.push(`${event} from ${state} (row ${LIFECYCLE.indexOf(row)})`);
        });
      }
    }
    expect(dead).toEqual([]);
  });

  it('names no state twice in a row', () => {
    expect(LIFECYCLE.filter((r) => new Set(r.from).size !== r.from.length)).toEqual([]);
  });

  it('has aliases only where the event they stand for is taken', () => {
    for (const row of LIFECYCLE.filter((r) => !isMove(r))) {
      for (const state of row.from) {
        expect(findMove(vmIn(state), row.on), `${row.on} in ${state}`).toBeDefined();
        expect(settlesPending(vmIn(state), row.on)).toBe(true);
      }
    }
  });

  it('runs at the source only where the row opens a record on the target, so the source is the record before', () => {
    const atSource = LIFECYCLE.filter((r): r is Move => isMove(r) && r.at === 'source');
    expect(atSource.length).toBeGreaterThan(0);
    expect(atSource.filter((r) => !(r.effects ?? []).includes('openHistory') || (r.run ?? []).length === 0)).toEqual([]);
  });

  it('runs only operations the drivers have', () => {
    const ops = LIFECYCLE.flatMap((r) => (isMove(r) ? [...(r.run ?? [])] : []));
    expect(ops.filter((op: Operation) => !VALID_OPERATIONS.has(op))).toEqual([]);
  });
});

describe('holdsHost and isFailureState', () => {
  it.each(ALL_STATES)('%s holds a host unless it is not placed, off the host, or DONE', (state) => {
    const off = ['INIT', 'PENDING', 'HOLD', 'CLONING', 'CLONING_FAILURE', 'STOPPED', 'UNDEPLOYED', 'HOTPLUG_SAVEAS_STOPPED', 'HOTPLUG_SAVEAS_UNDEPLOYED', 'DISK_RESIZE_UNDEPLOYED', 'DONE'];
    expect(holdsHost(state)).toBe(!off.includes(state));
  });

  it('counts the fifteen failure states of §2.6', () => {
    expect(ALL_STATES.filter(isFailureState).sort()).toEqual([
      'BOOT_FAILURE', 'BOOT_MIGRATE_FAILURE', 'BOOT_STOPPED_FAILURE', 'BOOT_UNDEPLOY_FAILURE', 'CLONING_FAILURE',
      'EPILOG_FAILURE', 'EPILOG_STOP_FAILURE', 'EPILOG_UNDEPLOY_FAILURE', 'PROLOG_FAILURE', 'PROLOG_MIGRATE_FAILURE',
      'PROLOG_MIGRATE_POWEROFF_FAILURE', 'PROLOG_MIGRATE_SUSPEND_FAILURE', 'PROLOG_MIGRATE_UNKNOWN_FAILURE',
      'PROLOG_RESUME_FAILURE', 'PROLOG_UNDEPLOY_FAILURE',
    ]);
  });
});
