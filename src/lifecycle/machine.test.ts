import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../domain/errors.js';
import { newHistory, type Placement } from '../domain/history.js';
import type { EventArgs } from '../domain/vm-effects.js';
import { newVm } from '../domain/vm-new.js';
import { currentHistory, type Vm } from '../domain/vm.js';
import { capacityOf, withCapacity, withResizeBackup } from '../domain/vm-resize.js';
import { addSnapshot, markSnapshot, snapshotsOf } from '../domain/vm-snapshots.js';
import { requestCreate, requestDelete, requestRevert, settle, type DiskSnapshotTree } from '../domain/disk-snapshots.js';
import { markSaveAs, savingDisk } from '../domain/disk-saveas.js';
import { getSingle, getVector } from '../template/access.js';
import type { TemplateVector } from '../template/types.js';
import type { EventName, Operation } from './events.js';
import { historyActionOf } from './history-action-of.js';
import { historyActionNumber, type HistoryAction } from './history-actions.js';
import { allows, findMove, settlesPending, transition, type Transition } from './machine.js';
import { LcmState, stateNumbers, VmState, type StateName } from './states.js';

const T0 = 1_700_000_000;
const HOST_A: Placement = { hostname: 'host-a', hid: 1, cid: 0, vmMad: 'kvm', tmMad: 'ssh', dsId: 0 };
const HOST_B: Placement = { hostname: 'host-b', hid: 2, cid: 0, vmMad: 'kvm', tmMad: 'ssh', dsId: 0 };
const OWNER = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };
const CLEANUP: Operation[] = ['vmm.cleanup', 'tm.epilog_delete'];

/** What `onetemplate instantiate [--hold]` makes at T0. */
function instantiate(hold = false): Vm {
  return newVm({ id: 7, template: [{ name: 'MEMORY', value: '512' }, { name: 'CPU', value: '1' }], owner: OWNER, hold, now: T0 });
}

/** A VM put straight into `state`, with one running record on host-a whose ACTION is `action`. */
function vmIn(state: StateName, action: HistoryAction = 'none'): Vm {
  const { state: s, lcm } = stateNumbers(state);
  const record = { ...newHistory(undefined, HOST_A, T0), rstime: T0, action: historyActionNumber(action) };
  return { ...instantiate(), state: s, lcmState: lcm, prevState: s, prevLcmState: lcm, history: [record] };
}

/** A VM fed events ten seconds apart, the way core/ feeds them, checking where each leads. */
class Life {
  now = T0;
  last!: Transition;
  constructor(public vm: Vm = instantiate()) {}

  go(event: EventName, to: StateName, extra: Partial<EventArgs> = {}): this {
    this.now += 10;
    this.last = transition(this.vm, event, { now: this.now, action: historyActionOf(event), ...extra });
    expect(this.last.to, `${event} from ${this.last.from}`).toBe(to);
    this.vm = this.last.vm;
    return this;
  }

  /** Checks the driver operations the last event started. */
  runs(...ops: Operation[]): this {
    expect(this.last.run).toEqual(ops);
    return this;
  }

  rejects(event: EventName): this {
    expect(() => transition(this.vm, event, { now: this.now, action: historyActionOf(event) })).toThrow(
      expect.objectContaining({ code: ErrorCode.ACTION, message: expect.stringContaining(`"${event}"`) }),
    );
    return this;
  }

  get record() {
    return currentHistory(this.vm)!;
  }
  get error() {
    return getSingle(this.vm.userTemplate, 'ERROR');
  }
}

/** instantiate -> deploy on host-a -> PROLOG -> BOOT -> RUNNING. */
const running = () =>
  new Life().go('deploy', 'PROLOG', { placement: HOST_A }).go('success', 'BOOT').go('success', 'RUNNING', { info: 'one-7' });

const toPoweroff = () => running().go('poweroff', 'SHUTDOWN_POWEROFF').go('success', 'POWEROFF');
const toSuspended = () => running().go('suspend', 'SAVE_SUSPEND').go('success', 'SUSPENDED');
const toUnknown = () => running().go('host-error', 'UNKNOWN');

describe('placement and boot', () => {
  it('instantiate -> deploy -> PROLOG -> BOOT -> RUNNING opens one record on the host', () => {
    const life = new Life();
    expect(life.vm.state).toBe(VmState.PENDING);
    expect(life.vm.history).toEqual([]);
    life.go('deploy', 'PROLOG', { placement: HOST_A }).runs('tm.prolog')
      .go('success', 'BOOT').runs('vmm.deploy')
      .go('success', 'RUNNING', { info: 'one-7' }).runs();
    expect(life.vm).toMatchObject({ state: VmState.ACTIVE, lcmState: LcmState.RUNNING, deployId: 'one-7', stateTime: T0 + 30 });
    expect(life.vm.history).toHaveLength(1);
    expect(life.record).toMatchObject({
      seq: 0, hostname: 'host-a', hid: 1, stime: T0 + 10, pstime: T0 + 10, petime: T0 + 20, rstime: T0 + 30, etime: 0,
    });
  });

  it('deploys a VM instantiated on hold by hand, or releases it to PENDING', () => {
    new Life(instantiate(true)).go('deploy', 'PROLOG', { placement: HOST_A }).runs('tm.prolog');
    new Life(instantiate(true)).rejects('hold').go('release', 'PENDING').rejects('release').go('hold', 'HOLD');
  });

  it('retries a failed prolog', () => {
    new Life().go('deploy', 'PROLOG', { placement: HOST_A })
      .go('failure', 'PROLOG_FAILURE', { message: 'cannot copy image' })
      .go('retry', 'PROLOG').runs('tm.prolog')
      .go('success', 'BOOT').runs('vmm.deploy');
  });

  it('records a failed boot in ERROR and retries it', () => {
    const life = new Life().go('deploy', 'PROLOG', { placement: HOST_A }).go('success', 'BOOT')
      .go('failure', 'BOOT_FAILURE', { message: 'domain did not start' });
    expect(life.error).toContain('domain did not start');
    life.go('retry', 'BOOT').runs('vmm.deploy').go('success', 'RUNNING');
  });
});

describe('shutdown family', () => {
  it('terminate: RUNNING -> SHUTDOWN -> EPILOG -> DONE', () => {
    const life = running().go('terminate', 'SHUTDOWN').runs('vmm.shutdown')
      .go('success', 'EPILOG').runs('tm.epilog')
      .go('success', 'DONE').runs();
    expect(life.vm).toMatchObject({ state: VmState.DONE, lcmState: 0, etime: life.now });
    expect(life.record).toMatchObject({ action: historyActionNumber('terminate'), estime: T0 + 50, eetime: T0 + 60, etime: T0 + 60 });
  });

  it('poweroff: RUNNING -> SHUTDOWN_POWEROFF -> POWEROFF', () => {
    running().go('poweroff', 'SHUTDOWN_POWEROFF').runs('vmm.shutdown').go('success', 'POWEROFF').runs();
  });

  it('poweroff --hard is accepted while a soft poweroff is pending, and cancels the guest', () => {
    running().go('poweroff', 'SHUTDOWN_POWEROFF').rejects('poweroff')
      .go('poweroff-hard', 'SHUTDOWN_POWEROFF').runs('vmm.cancel')
      .go('success', 'POWEROFF');
  });

  it('terminate --hard overrides a pending soft terminate; a second soft one is refused', () => {
    running().go('terminate', 'SHUTDOWN').rejects('terminate').go('terminate-hard', 'SHUTDOWN').runs('vmm.cancel');
  });

  it('undeploy --hard overrides a pending soft undeploy', () => {
    running().go('undeploy', 'SHUTDOWN_UNDEPLOY').rejects('undeploy').go('undeploy-hard', 'SHUTDOWN_UNDEPLOY').runs('vmm.cancel');
  });

  // §2.4: where terminate is accepted, and what it starts.
  const FAILURES: StateName[] = [
    'BOOT_FAILURE', 'BOOT_MIGRATE_FAILURE', 'PROLOG_MIGRATE_FAILURE', 'PROLOG_FAILURE', 'EPILOG_FAILURE',
    'EPILOG_STOP_FAILURE', 'EPILOG_UNDEPLOY_FAILURE', 'PROLOG_MIGRATE_POWEROFF_FAILURE', 'PROLOG_MIGRATE_SUSPEND_FAILURE',
    'BOOT_UNDEPLOY_FAILURE', 'BOOT_STOPPED_FAILURE', 'PROLOG_RESUME_FAILURE', 'PROLOG_UNDEPLOY_FAILURE',
    'PROLOG_MIGRATE_UNKNOWN_FAILURE',
  ];
  const TERMINATE: [StateName, StateName, Operation[]][] = [
    ['RUNNING', 'SHUTDOWN', ['vmm.shutdown']],
    ['UNKNOWN', 'SHUTDOWN', ['vmm.shutdown']],
    ...(['SUSPENDED', 'POWEROFF', 'STOPPED', 'UNDEPLOYED'] as StateName[]).map((s): [StateName, StateName, Operation[]] => [s, 'EPILOG', ['tm.epilog']]),
    ...(['INIT', 'PENDING', 'HOLD', 'CLONING', 'CLONING_FAILURE'] as StateName[]).map((s): [StateName, StateName, Operation[]] => [s, 'DONE', []]),
    ...FAILURES.map((s): [StateName, StateName, Operation[]] => [s, 'CLEANUP_DELETE', CLEANUP]),
  ];

  it.each(TERMINATE)('terminate from %s -> %s running %j', (from, to, run) => {
    const t = transition(vmIn(from), 'terminate', { now: T0 + 10, action: 'terminate' });
    expect([t.to, t.run]).toEqual([to, run]);
  });

  it.each(TERMINATE)('terminate --hard from %s -> %s, destroying a live guest', (from, to, run) => {
    const t = transition(vmIn(from), 'terminate-hard', { now: T0 + 10, action: 'terminate-hard' });
    expect([t.to, t.run]).toEqual([to, run.map((op) => (op === 'vmm.shutdown' ? 'vmm.cancel' : op))]);
  });

  it.each([
    ['terminate', 'SHUTDOWN'], ['terminate-hard', 'SHUTDOWN'], ['poweroff', 'SHUTDOWN_POWEROFF'],
    ['poweroff-hard', 'SHUTDOWN_POWEROFF'], ['undeploy', 'SHUTDOWN_UNDEPLOY'], ['undeploy-hard', 'SHUTDOWN_UNDEPLOY'],
  ] as [EventName, StateName][])('a failing %s goes back to RUNNING with USER_TEMPLATE/ERROR set', (action, via) => {
    const life = running().go(action, via).go('failure', 'RUNNING', { message: 'Timed out shutting down one-7' }).runs();
    expect(life.error).toContain('Timed out shutting down one-7');
  });

  it('undeploy -> resume -> PENDING -> deploy -> PROLOG_UNDEPLOY -> BOOT_UNDEPLOY -> RUNNING on a new host', () => {
    const life = running().go('undeploy', 'SHUTDOWN_UNDEPLOY').runs('vmm.shutdown')
      .go('success', 'EPILOG_UNDEPLOY').runs('tm.epilog_stop')
      .go('success', 'UNDEPLOYED')
      .go('resume', 'PENDING').runs()
      .go('deploy', 'PROLOG_UNDEPLOY', { placement: HOST_B }).runs('tm.prolog_resume')
      .go('success', 'BOOT_UNDEPLOY').runs('vmm.deploy')
      .go('success', 'RUNNING');
    expect(life.vm.history.map((h) => [h.seq, h.hostname])).toEqual([[0, 'host-a'], [1, 'host-b']]);
  });

  it('undeploy from POWEROFF goes straight to EPILOG_UNDEPLOY', () => {
    toPoweroff().go('undeploy', 'EPILOG_UNDEPLOY').runs('tm.epilog_stop').go('success', 'UNDEPLOYED');
  });

  it('stop -> resume -> PENDING -> deploy -> PROLOG_RESUME -> BOOT_STOPPED -> RUNNING', () => {
    running().go('stop', 'SAVE_STOP').runs('vmm.save')
      .go('success', 'EPILOG_STOP').runs('tm.epilog_stop')
      .go('success', 'STOPPED')
      .go('resume', 'PENDING')
      .go('deploy', 'PROLOG_RESUME', { placement: HOST_B }).runs('tm.prolog_resume')
      .go('success', 'BOOT_STOPPED').runs('vmm.restore')
      .go('success', 'RUNNING');
  });

  it('a stopped VM put on hold after resume still comes back through PROLOG_RESUME', () => {
    running().go('stop', 'SAVE_STOP').go('success', 'EPILOG_STOP').go('success', 'STOPPED')
      .go('resume', 'PENDING').go('hold', 'HOLD').go('deploy', 'PROLOG_RESUME', { placement: HOST_A });
  });

  it('stop from SUSPENDED goes straight to EPILOG_STOP', () => {
    toSuspended().go('stop', 'EPILOG_STOP').runs('tm.epilog_stop');
  });

  it('suspend -> SAVE_SUSPEND -> SUSPENDED -> resume -> BOOT_SUSPENDED -> RUNNING', () => {
    running().go('suspend', 'SAVE_SUSPEND').runs('vmm.save').go('success', 'SUSPENDED').runs()
      .go('resume', 'BOOT_SUSPENDED').runs('vmm.restore').go('success', 'RUNNING');
  });

  it.each([['stop', 'SAVE_STOP'], ['suspend', 'SAVE_SUSPEND']] as [EventName, StateName][])(
    'a failed save for %s leaves the guest RUNNING with ERROR set',
    (action, via) => {
      expect(running().go(action, via).go('failure', 'RUNNING', { message: 'no space for the checkpoint' }).error).toContain('no space');
    },
  );

  it.each([
    ['POWEROFF', toPoweroff, 'BOOT_POWEROFF', 'vmm.deploy'],
    ['SUSPENDED', toSuspended, 'BOOT_SUSPENDED', 'vmm.restore'],
    ['UNKNOWN', toUnknown, 'BOOT_UNKNOWN', 'vmm.deploy'],
  ] as [StateName, () => Life, StateName, Operation][])('resume from %s boots in place and falls back there on failure', (from, reach, via, op) => {
    reach().go('resume', via).runs(op).go('success', 'RUNNING');
    expect(reach().go('resume', via).go('failure', from, { message: 'cannot boot' }).error).toContain('cannot boot');
  });

  it.each([['reboot', 'vmm.reboot'], ['reboot-hard', 'vmm.reset']] as [EventName, Operation][])(
    '%s stays RUNNING, runs %s and clears RESCHED; its outcome lands in RUNNING',
    (action, op) => {
      const life = running().go('resched', 'RUNNING').go(action, 'RUNNING').runs(op);
      expect(life.vm.resched).toBe(0);
      life.go('success', 'RUNNING');
      expect(life.go('failure', 'RUNNING', { message: 'guest agent gone' }).error).toContain('guest agent gone');
      toPoweroff().rejects(action);
    },
  );
});

describe('migration', () => {
  it.each([
    ['migrate', 'vmm.save', 'BOOT_MIGRATE', 'vmm.restore'],
    ['migrate-poweroff', 'vmm.shutdown', 'BOOT', 'vmm.deploy'],
    ['migrate-poweroff-hard', 'vmm.cancel', 'BOOT', 'vmm.deploy'],
  ] as [EventName, Operation, StateName, Operation][])('%s from RUNNING: SAVE_MIGRATE (%s) -> PROLOG_MIGRATE -> %s -> RUNNING on the target', (kind, stop, boot, start) => {
    const life = running().go(kind, 'SAVE_MIGRATE', { placement: HOST_B }).runs(stop)
      .go('success', 'PROLOG_MIGRATE').runs('tm.prolog_migrate')
      .go('success', boot).runs(start)
      .go('success', 'RUNNING');
    expect(life.vm.history.map((h) => [h.seq, h.hostname])).toEqual([[0, 'host-a'], [1, 'host-b']]);
  });

  const KINDS: EventName[] = ['migrate', 'migrate-poweroff', 'migrate-poweroff-hard'];

  it.each(KINDS)('%s from POWEROFF moves the files and lands in POWEROFF', (kind) => {
    toPoweroff().go(kind, 'PROLOG_MIGRATE_POWEROFF', { placement: HOST_B }).runs('tm.prolog_migrate').go('success', 'POWEROFF').runs();
  });

  it.each(KINDS)('%s from SUSPENDED moves the files and lands in SUSPENDED', (kind) => {
    toSuspended().go(kind, 'PROLOG_MIGRATE_SUSPEND', { placement: HOST_B }).runs('tm.prolog_migrate').go('success', 'SUSPENDED').runs();
  });

  it.each(KINDS)('%s from UNKNOWN moves the files and boots on the target', (kind) => {
    const life = toUnknown().go(kind, 'PROLOG_MIGRATE_UNKNOWN', { placement: HOST_B }).runs('tm.prolog_migrate')
      .go('success', 'BOOT').runs('vmm.deploy').go('success', 'RUNNING');
    expect(life.record.hostname).toBe('host-b');
  });

  it('a failed transfer of a saved migration is retried and then restores the checkpoint', () => {
    running().go('migrate', 'SAVE_MIGRATE', { placement: HOST_B }).go('success', 'PROLOG_MIGRATE')
      .go('failure', 'PROLOG_MIGRATE_FAILURE', { message: 'scp failed' })
      .go('retry', 'PROLOG_MIGRATE').runs('tm.prolog_migrate')
      .go('success', 'BOOT_MIGRATE').runs('vmm.restore');
  });

  it('a failed save for migration keeps the guest RUNNING on the source, in a new record there', () => {
    const life = running().go('migrate', 'SAVE_MIGRATE', { placement: HOST_B })
      .go('failure', 'RUNNING', { message: 'save failed' }).runs();
    expect(life.vm.history.map((h) => h.hostname)).toEqual(['host-a', 'host-b', 'host-a']);
    expect(life.error).toContain('save failed');
  });

  it('live migration: RUNNING -> MIGRATE -> RUNNING on the target', () => {
    const life = running().go('live-migrate', 'MIGRATE', { placement: HOST_B }).runs('vmm.migrate').go('success', 'RUNNING').runs();
    expect(life.vm.history.map((h) => [h.seq, h.hostname])).toEqual([[0, 'host-a'], [1, 'host-b']]);
    expect(life.vm.history[0]).toMatchObject({ action: historyActionNumber('live-migrate'), etime: T0 + 40, retime: T0 + 40 });
    expect(life.record).toMatchObject({ stime: T0 + 40, rstime: T0 + 50, etime: 0 });
  });

  it('a failed live migration goes back to RUNNING on the source host, in a new record there', () => {
    const life = running().go('live-migrate', 'MIGRATE', { placement: HOST_B }).go('failure', 'RUNNING', { message: 'migration aborted' });
    expect(life.vm.history.map((h) => h.hostname)).toEqual(['host-a', 'host-b', 'host-a']);
    expect(life.vm.history[1].etime).toBe(T0 + 50);
    expect(life.record).toMatchObject({ hid: 1, stime: T0 + 50, rstime: T0 + 50, etime: 0 });
    expect(life.error).toContain('migration aborted');
  });

  it('numbers the record of a failed live migration after the target record', () => {
    const life = running().go('live-migrate', 'MIGRATE', { placement: HOST_B }).go('failure', 'RUNNING');
    expect(life.vm.history.map((h) => h.seq)).toEqual([0, 1, 2]);
  });

  // The scheduler migrates every RESCHED=1 VM it finds RUNNING; a flag left set would move it every cycle.
  it.each(['migrate', 'migrate-poweroff', 'migrate-poweroff-hard', 'live-migrate'] as EventName[])('%s clears RESCHED', (kind) => {
    const life = running().go('resched', 'RUNNING').go(kind, kind === 'live-migrate' ? 'MIGRATE' : 'SAVE_MIGRATE', { placement: HOST_B });
    expect(life.vm.resched).toBe(0);
  });

  it('stops the guest of a cold migration on the source host, and runs everything else on the open record\'s host', () => {
    const life = running().go('migrate', 'SAVE_MIGRATE', { placement: HOST_B });
    expect(life.last.runAt).toBe('source');
    expect(life.go('success', 'PROLOG_MIGRATE').last.runAt).toBe('current');
    expect(running().go('live-migrate', 'MIGRATE', { placement: HOST_B }).last.runAt).toBe('current');
  });
});

describe('monitoring', () => {
  it('a guest that powers itself off is POWEROFF; seen running again, RUNNING', () => {
    running().go('monitor-poweroff', 'POWEROFF').runs().go('monitor-running', 'RUNNING').runs();
  });

  it('a host in error makes the VM UNKNOWN; seen running again, RUNNING', () => {
    running().go('host-error', 'UNKNOWN').runs().go('monitor-running', 'RUNNING').runs();
  });

  it('a guest in error is UNKNOWN, a paused one SUSPENDED', () => {
    running().go('monitor-error', 'UNKNOWN');
    running().go('monitor-suspended', 'SUSPENDED');
    running().go('host-error', 'UNKNOWN').go('monitor-suspended', 'SUSPENDED');
  });

  it('a guest seen running while it boots settles the pending deploy, as success would', () => {
    const life = new Life().go('deploy', 'PROLOG', { placement: HOST_A }).go('success', 'BOOT');
    expect(settlesPending(life.vm, 'monitor-running')).toBe(true);
    expect(findMove(life.vm, 'monitor-running')).toBe(findMove(life.vm, 'success'));
    life.go('monitor-running', 'RUNNING');
  });

  it('a guest seen off while it shuts down settles the pending shutdown, as success would', () => {
    const life = running().go('terminate', 'SHUTDOWN');
    expect(settlesPending(life.vm, 'monitor-poweroff')).toBe(true);
    life.go('monitor-poweroff', 'EPILOG').runs('tm.epilog');
  });

  it('a report that changes a resting state settles nothing', () => {
    const life = running();
    expect(allows(life.vm, 'monitor-poweroff')).toBe(true);
    expect(settlesPending(life.vm, 'monitor-poweroff')).toBe(false);
    expect(settlesPending(life.vm, 'success')).toBe(false);
  });

  it.each([['POWEROFF', toPoweroff], ['SUSPENDED', toSuspended]] as [string, () => Life][])('a guest seen running again in %s starts a new running period', (_, reach) => {
    const life = reach().go('monitor-running', 'RUNNING');
    expect(life.record).toMatchObject({ rstime: life.now, retime: 0 });
  });
});

describe('system snapshots', () => {
  /** A running VM with snapshot 0 taken (HYPERVISOR_ID onesnap-0). */
  const withSnapshot = () => {
    const life = running();
    life.vm = addSnapshot(life.vm, 'before upgrade', life.now).vm;
    return life.go('snapshot-create', 'HOTPLUG_SNAPSHOT').go('success', 'RUNNING', { info: 'onesnap-0' });
  };
  const mark = (life: Life, action: 'REVERT' | 'DELETE') => {
    life.vm = markSnapshot(life.vm, 0, action)!;
    return life;
  };

  it('create: RUNNING -> HOTPLUG_SNAPSHOT -> RUNNING keeps the snapshot under the name the driver gave', () => {
    const life = running();
    life.vm = addSnapshot(life.vm, 'before upgrade', life.now).vm;
    life.go('snapshot-create', 'HOTPLUG_SNAPSHOT').runs('vmm.snapshot_create');
    expect(snapshotsOf(life.vm)).toEqual([expect.objectContaining({ ACTIVE: 'YES', ACTION: 'CREATE', HYPERVISOR_ID: '' })]);
    life.go('success', 'RUNNING', { info: 'onesnap-0' }).runs();
    expect(snapshotsOf(life.vm)).toEqual([
      { HYPERVISOR_ID: 'onesnap-0', NAME: 'before upgrade', SNAPSHOT_ID: '0', SYSTEM_DISK_SIZE: '512', TIME: String(T0 + 30) },
    ]);
  });

  it('a failed create forgets the snapshot and says why in ERROR', () => {
    const life = running();
    life.vm = addSnapshot(life.vm, '', life.now).vm;
    life.go('snapshot-create', 'HOTPLUG_SNAPSHOT').go('failure', 'RUNNING', { message: 'no qcow2 disk' });
    expect(snapshotsOf(life.vm)).toEqual([]);
    expect(life.error).toContain('no qcow2 disk');
  });

  it.each([['REVERT', 'snapshot-revert', 'vmm.snapshot_revert'], ['DELETE', 'snapshot-delete', 'vmm.snapshot_delete']] as const)(
    '%s runs its driver action; a failure keeps the snapshot, unmarked', (action, event, op) => {
      const life = mark(withSnapshot(), action).go(event, 'HOTPLUG_SNAPSHOT').runs(op).go('failure', 'RUNNING', { message: 'QEMU said no' });
      expect(snapshotsOf(life.vm)).toEqual([expect.not.objectContaining({ ACTIVE: expect.anything() })]);
      expect(snapshotsOf(life.vm)).toHaveLength(1);
    },
  );

  it('a revert keeps the snapshot, a delete removes it', () => {
    expect(snapshotsOf(mark(withSnapshot(), 'REVERT').go('snapshot-revert', 'HOTPLUG_SNAPSHOT').go('success', 'RUNNING').vm))
      .toEqual([expect.objectContaining({ HYPERVISOR_ID: 'onesnap-0' })]);
    expect(snapshotsOf(mark(withSnapshot(), 'DELETE').go('snapshot-delete', 'HOTPLUG_SNAPSHOT').go('success', 'RUNNING').vm)).toEqual([]);
  });

  it.each([['snapshot-create', 37], ['snapshot-delete', 38], ['snapshot-revert', 39]] as [EventName, number][])(
    '%s closes the record with ACTION %i and goes on in a copy, the guest still running', (event, number) => {
      const life = withSnapshot();
      if (event !== 'snapshot-create') mark(life, event === 'snapshot-revert' ? 'REVERT' : 'DELETE');
      const records = life.vm.history.length;
      life.go(event, 'HOTPLUG_SNAPSHOT', { uid: 5 });
      expect(life.vm.history).toHaveLength(records + 1);
      expect(life.vm.history.at(-2)).toMatchObject({ action: number, uid: 5, etime: life.now });
      expect(life.record).toMatchObject({ action: 0, rstime: life.now, retime: 0 });
    },
  );

  // §"Snapshots" of the guide: they are lost on any life-cycle operation (OpenNebula's KVM has no KEEP_SNAPSHOTS).
  it.each([
    ['poweroff', (l: Life) => l.go('poweroff', 'SHUTDOWN_POWEROFF').go('success', 'POWEROFF')],
    ['poweroff --hard', (l: Life) => l.go('poweroff-hard', 'SHUTDOWN_POWEROFF').go('success', 'POWEROFF')],
    ['suspend', (l: Life) => l.go('suspend', 'SAVE_SUSPEND').go('success', 'SUSPENDED')],
    ['stop', (l: Life) => l.go('stop', 'SAVE_STOP').go('success', 'EPILOG_STOP')],
    ['undeploy', (l: Life) => l.go('undeploy', 'SHUTDOWN_UNDEPLOY').go('success', 'EPILOG_UNDEPLOY')],
    ['terminate', (l: Life) => l.go('terminate', 'SHUTDOWN').go('success', 'EPILOG')],
    ['migrate', (l: Life) => l.go('migrate', 'SAVE_MIGRATE', { placement: HOST_B }).go('success', 'PROLOG_MIGRATE')],
    ['live-migrate', (l: Life) => l.go('live-migrate', 'MIGRATE', { placement: HOST_B }).go('success', 'RUNNING')],
    ['a guest powering itself off', (l: Life) => l.go('monitor-poweroff', 'POWEROFF')],
    ['a guest seen paused', (l: Life) => l.go('monitor-suspended', 'SUSPENDED')],
    ['an UNKNOWN guest recovered as failed', (l: Life) => l.go('host-error', 'UNKNOWN').go('failure', 'POWEROFF')],
    ['an UNKNOWN guest migrated', (l: Life) => l.go('host-error', 'UNKNOWN').go('migrate', 'PROLOG_MIGRATE_UNKNOWN', { placement: HOST_B })],
    ['recover --recreate', (l: Life) => l.go('delete-recreate', 'CLEANUP_RESUBMIT')],
  ])('are lost on %s', (_, walk) => {
    expect(snapshotsOf(walk(withSnapshot()).vm)).toEqual([]);
  });

  it.each([
    ['a failed poweroff', (l: Life) => l.go('poweroff', 'SHUTDOWN_POWEROFF').go('failure', 'RUNNING')],
    ['a failed live migration', (l: Life) => l.go('live-migrate', 'MIGRATE', { placement: HOST_B }).go('failure', 'RUNNING')],
    ['a reboot', (l: Life) => l.go('reboot', 'RUNNING').go('success', 'RUNNING')],
    ['a host error', (l: Life) => l.go('host-error', 'UNKNOWN').go('monitor-running', 'RUNNING')],
  ])('survive %s: the guest never stopped', (_, walk) => {
    expect(snapshotsOf(walk(withSnapshot()).vm)).toHaveLength(1);
  });
});

describe('disk snapshots', () => {
  const DISK: TemplateVector = { DISK_ID: '1', IMAGE_ID: '4', SOURCE: '/ds/1/d', SIZE: '256', DRIVER: 'qcow2' };
  /** The life with a disk, its tree marked as the core marks it before the event. */
  const withDisk = (life: Life) => {
    life.vm = { ...life.vm, template: [...life.vm.template, { name: 'DISK', value: DISK }] };
    return life;
  };
  const marking = (life: Life, f: (trees: DiskSnapshotTree[]) => DiskSnapshotTree[]) => {
    life.vm = { ...life.vm, diskSnapshots: f(life.vm.diskSnapshots ?? []) };
    return life;
  };
  const create = (life: Life) => marking(life, (t) => requestCreate(t, 1, 'snap', life.now, life.vm.id).trees);
  const tree = (life: Life) => life.vm.diskSnapshots?.find((t) => t.diskId === 1);

  it.each([
    ['RUNNING', () => running(), 'DISK_SNAPSHOT', 'vmm.disk_snapshot_create'],
    ['POWEROFF', toPoweroff, 'DISK_SNAPSHOT_POWEROFF', 'tm.snap_create'],
    ['SUSPENDED', toSuspended, 'DISK_SNAPSHOT_SUSPENDED', 'tm.snap_create'],
  ] as [StateName, () => Life, StateName, Operation][])('create from %s: %s, then back, the snapshot active with the disk\'s SIZE', (from, reach, via, op) => {
    const life = create(withDisk(reach())).go('disk-snapshot-create', via).runs(op).go('success', from).runs();
    expect(tree(life)).toMatchObject({ snapshots: [{ id: 0, active: true, size: 256 }] });
    expect(tree(life)?.pending).toBeUndefined();
  });

  const CREATE_VIA: Record<string, StateName> = { RUNNING: 'DISK_SNAPSHOT', POWEROFF: 'DISK_SNAPSHOT_POWEROFF', SUSPENDED: 'DISK_SNAPSHOT_SUSPENDED' };
  /** Snapshots 0 and 1 taken in `from`, the disk then back on 0 (the tree as a revert leaves it): 1 is a leaf, not active. */
  const twoTaken = (life: Life, from: StateName) => {
    for (let i = 0; i < 2; i++) create(life).go('disk-snapshot-create', CREATE_VIA[from]!).go('success', from);
    return marking(life, (t) => settle(requestRevert(t, 1, 0, life.vm.id), 1));
  };

  it.each([
    ['RUNNING', () => running(), 'DISK_SNAPSHOT_DELETE', 'vmm.disk_snapshot_delete'],
    ['POWEROFF', toPoweroff, 'DISK_SNAPSHOT_DELETE_POWEROFF', 'tm.snap_delete'],
    ['SUSPENDED', toSuspended, 'DISK_SNAPSHOT_DELETE_SUSPENDED', 'tm.snap_delete'],
  ] as [StateName, () => Life, StateName, Operation][])('delete from %s goes through %s; a failure keeps the snapshot', (from, reach, via, op) => {
    const life = twoTaken(withDisk(reach()), from);
    const deleting = (l: Life) => marking(l, (t) => requestDelete(t, 1, 1, l.vm.id));
    deleting(life).go('disk-snapshot-delete', via).runs(op).go('failure', from, { message: 'busy' });
    expect(tree(life)?.snapshots.map((x) => x.id)).toEqual([0, 1]);
    expect(tree(life)?.pending).toBeUndefined();
    deleting(life).go('disk-snapshot-delete', via).go('success', from);
    expect(tree(life)?.snapshots).toEqual([expect.objectContaining({ id: 0, active: true, children: [] })]);
  });

  it('revert only from POWEROFF, through DISK_SNAPSHOT_REVERT_POWEROFF and the TM', () => {
    const life = create(withDisk(toPoweroff())).go('disk-snapshot-create', 'DISK_SNAPSHOT_POWEROFF').go('success', 'POWEROFF');
    marking(life, (t) => requestRevert(t, 1, 0, life.vm.id)).go('disk-snapshot-revert', 'DISK_SNAPSHOT_REVERT_POWEROFF').runs('tm.snap_revert');
    life.go('success', 'POWEROFF');
    expect(tree(life)?.snapshots).toEqual([expect.objectContaining({ id: 0, active: true })]);
    for (const reach of [running, toSuspended, toUnknown]) create(withDisk(reach())).rejects('disk-snapshot-revert');
  });

  it('a failed create forgets the snapshot (its id stays used) and says why in ERROR, the VM back where it was', () => {
    const life = create(withDisk(toPoweroff())).go('disk-snapshot-create', 'DISK_SNAPSHOT_POWEROFF').go('failure', 'POWEROFF', { message: 'qemu-img: no space' });
    expect(life.vm.diskSnapshots).toEqual([{ diskId: 1, nextSnapshot: 1, snapshots: [] }]);
    expect(life.error).toContain('qemu-img: no space');
  });

  it.each([
    ['disk-snapshot-create', 25, 'DISK_SNAPSHOT_POWEROFF'],
    ['disk-snapshot-delete', 26, 'DISK_SNAPSHOT_DELETE_POWEROFF'],
    ['disk-snapshot-revert', 41, 'DISK_SNAPSHOT_REVERT_POWEROFF'],
  ] as [EventName, number, StateName][])('%s closes the record with ACTION %i and goes on in a copy', (event, number, via) => {
    const life = twoTaken(withDisk(toPoweroff()), 'POWEROFF');
    if (event === 'disk-snapshot-create') create(life);
    else marking(life, (t) => (event === 'disk-snapshot-delete' ? requestDelete(t, 1, 1, life.vm.id) : requestRevert(t, 1, 1, life.vm.id)));
    const records = life.vm.history.length;
    life.go(event, via, { uid: 5 });
    expect(life.vm.history).toHaveLength(records + 1);
    expect(life.vm.history.at(-2)).toMatchObject({ action: number, uid: 5, etime: life.now });
  });

  it('are not events outside RUNNING, POWEROFF and SUSPENDED', () => {
    for (const event of ['disk-snapshot-create', 'disk-snapshot-delete'] as EventName[]) {
      new Life().rejects(event);
      toUnknown().rejects(event);
      create(withDisk(running())).go('disk-snapshot-create', 'DISK_SNAPSHOT').rejects(event).rejects('poweroff');
    }
  });

  it.each([
    ['recover --success', 'success', 'POWEROFF', true],
    ['recover --failure', 'failure', 'POWEROFF', false],
  ] as [string, EventName, StateName, boolean][])('%s settles a pending operation by hand', (_, event, to, kept) => {
    const life = create(withDisk(toPoweroff())).go('disk-snapshot-create', 'DISK_SNAPSHOT_POWEROFF').go(event, to);
    expect(tree(life)?.snapshots.length).toBe(kept ? 1 : 0);
  });

  it('recover --recreate forgets the snapshots of cloned disks and keeps a persistent disk\'s', () => {
    const life = create(withDisk(running())).go('disk-snapshot-create', 'DISK_SNAPSHOT').go('success', 'RUNNING');
    expect(tree(life.go('delete-recreate', 'CLEANUP_RESUBMIT'))).toBeUndefined();
    const persistent = withDisk(running());
    persistent.vm = { ...persistent.vm, template: persistent.vm.template.map((a) => (a.name === 'DISK' ? { name: 'DISK', value: { ...DISK, PERSISTENT: 'YES' } } : a)) };
    create(persistent).go('disk-snapshot-create', 'DISK_SNAPSHOT').go('success', 'RUNNING').go('delete-recreate', 'CLEANUP_RESUBMIT');
    expect(tree(persistent)?.snapshots).toHaveLength(1);
  });

  it('a VM waiting for a disk snapshot can be deleted', () => {
    create(withDisk(toSuspended())).go('disk-snapshot-create', 'DISK_SNAPSHOT_SUSPENDED').go('delete', 'CLEANUP_DELETE').runs(...CLEANUP);
  });
});

describe('resize', () => {
  /** What core/ does before a live resize: old values into RESIZE, new ones into the template. */
  const asked = (life: Life, memory: number, live = true) => {
    const next = { ...capacityOf(life.vm), memory };
    life.vm = withCapacity(live ? withResizeBackup(life.vm) : life.vm, next);
    return life;
  };
  const memory = (life: Life) => getSingle(life.vm.template, 'MEMORY');

  it('live: RUNNING -> HOTPLUG_RESIZE -> RUNNING keeps the new values and forgets the old', () => {
    const life = asked(running(), 1024).go('resize', 'HOTPLUG_RESIZE').runs('vmm.resize');
    expect(getVector(life.vm.template, 'RESIZE')).toEqual({ CPU: '1', MEMORY: '512' });
    life.go('success', 'RUNNING').runs();
    expect([memory(life), getVector(life.vm.template, 'RESIZE')]).toEqual(['1024', undefined]);
  });

  it('a failed live resize gives the VM its old values back and says why in ERROR', () => {
    const life = asked(running(), 1024).go('resize', 'HOTPLUG_RESIZE').go('failure', 'RUNNING', { message: 'no DIMM slot' });
    expect([memory(life), getVector(life.vm.template, 'RESIZE'), getSingle(life.vm.template, 'VCPU')]).toEqual(['512', undefined, undefined]);
    expect(life.error).toContain('no DIMM slot');
  });

  it('records resize (35) in a record of its own, live or powered off', () => {
    const live = asked(running(), 1024).go('resize', 'HOTPLUG_RESIZE', { uid: 3 });
    expect(live.vm.history.at(-2)).toMatchObject({ action: 35, uid: 3 });
    const off = asked(toPoweroff(), 1024, false);
    const records = off.vm.history.length;
    off.go('resize', 'POWEROFF').runs();
    expect(off.vm.history).toHaveLength(records + 1);
    expect(off.vm.history.at(-2)).toMatchObject({ action: 35 });
    expect(off.record).toMatchObject({ rstime: 0, etime: 0 });
  });

  it.each(['PENDING', 'HOLD', 'UNDEPLOYED'] as StateName[])('in %s only changes the template: no driver, no record', (state) => {
    const life = new Life(vmIn(state));
    life.go('resize', state).runs();
    expect(life.vm.history).toEqual(vmIn(state).history);
  });

  it.each(['SUSPENDED', 'STOPPED', 'DONE', 'BOOT', 'HOTPLUG_SNAPSHOT'] as StateName[])('is refused in %s', (state) => {
    new Life(vmIn(state)).rejects('resize');
  });
});

describe('recover', () => {
  // §2.4 recover: retry returns to the state that failed; success is that state's success.
  const RECOVERY: [StateName, StateName, Operation[], StateName][] = [
    ['PROLOG_FAILURE', 'PROLOG', ['tm.prolog'], 'BOOT'],
    ['PROLOG_RESUME_FAILURE', 'PROLOG_RESUME', ['tm.prolog_resume'], 'BOOT_STOPPED'],
    ['PROLOG_UNDEPLOY_FAILURE', 'PROLOG_UNDEPLOY', ['tm.prolog_resume'], 'BOOT_UNDEPLOY'],
    ['BOOT_FAILURE', 'BOOT', ['vmm.deploy'], 'RUNNING'],
    ['BOOT_STOPPED_FAILURE', 'BOOT_STOPPED', ['vmm.restore'], 'RUNNING'],
    ['BOOT_UNDEPLOY_FAILURE', 'BOOT_UNDEPLOY', ['vmm.deploy'], 'RUNNING'],
    ['BOOT_MIGRATE_FAILURE', 'BOOT_MIGRATE', ['vmm.restore'], 'RUNNING'],
    ['PROLOG_MIGRATE_FAILURE', 'PROLOG_MIGRATE', ['tm.prolog_migrate'], 'BOOT'],
    ['PROLOG_MIGRATE_POWEROFF_FAILURE', 'PROLOG_MIGRATE_POWEROFF', ['tm.prolog_migrate'], 'POWEROFF'],
    ['PROLOG_MIGRATE_SUSPEND_FAILURE', 'PROLOG_MIGRATE_SUSPEND', ['tm.prolog_migrate'], 'SUSPENDED'],
    ['PROLOG_MIGRATE_UNKNOWN_FAILURE', 'PROLOG_MIGRATE_UNKNOWN', ['tm.prolog_migrate'], 'BOOT'],
    ['EPILOG_FAILURE', 'EPILOG', ['tm.epilog'], 'DONE'],
    ['EPILOG_STOP_FAILURE', 'EPILOG_STOP', ['tm.epilog_stop'], 'STOPPED'],
    ['EPILOG_UNDEPLOY_FAILURE', 'EPILOG_UNDEPLOY', ['tm.epilog_stop'], 'UNDEPLOYED'],
  ];

  it.each(RECOVERY)('%s: retry -> %s running %j', (failed, active, run) => {
    new Life(vmIn(failed)).go('retry', active).runs(...run);
  });

  it.each(RECOVERY)('%s: success -> what %s succeeds to (%s); failure stays', (failed, active, _, next) => {
    const fromFailure = new Life(vmIn(failed)).go('success', next);
    const fromActive = new Life(vmIn(active)).go('success', next);
    expect(fromFailure.last.run).toEqual(fromActive.last.run);
    new Life(vmIn(failed)).go('failure', failed, { message: 'still broken' }).runs();
  });

  it.each(RECOVERY)('%s: delete cleans up, then DONE', (failed) => {
    const life = new Life(vmIn(failed)).go('delete', 'CLEANUP_DELETE').runs(...CLEANUP).go('success', 'DONE');
    expect(life.vm.history[0].action).toBe(historyActionNumber('delete'));
  });

  it.each(RECOVERY)('%s: delete-recreate cleans up, then PENDING with the same id', (failed) => {
    const life = new Life(vmIn(failed)).go('delete-recreate', 'CLEANUP_RESUBMIT').runs(...CLEANUP).go('success', 'PENDING');
    expect(life.vm.id).toBe(7);
    expect(life.vm.history[0].action).toBe(historyActionNumber('delete-recreate'));
  });

  it('UNKNOWN: success means the guest runs, failure that it is off', () => {
    running().go('host-error', 'UNKNOWN').go('success', 'RUNNING');
    running().go('host-error', 'UNKNOWN').go('failure', 'POWEROFF');
  });

  it('a failed cleanup still ends the VM, or requeues it, with ERROR set', () => {
    expect(running().go('delete', 'CLEANUP_DELETE').go('failure', 'DONE', { message: 'host gone' }).error).toContain('host gone');
    expect(running().go('delete-recreate', 'CLEANUP_RESUBMIT').go('failure', 'PENDING', { message: 'host gone' }).error).toContain('host gone');
  });

  it('delete-db ends the VM without calling a driver, from anywhere', () => {
    running().go('delete-db', 'DONE').runs();
    new Life().go('delete-db', 'DONE').runs();
    new Life(vmIn('BOOT_FAILURE')).go('delete-db', 'DONE').runs();
  });

  it('delete-recreate of a PENDING or HOLD VM keeps it waiting', () => {
    new Life().go('delete-recreate', 'PENDING').runs();
    new Life(instantiate(true)).go('delete-recreate', 'PENDING').runs();
  });

  it('a recreated VM that had been stopped is deployed from scratch, not resumed', () => {
    running().go('stop', 'SAVE_STOP').go('success', 'EPILOG_STOP').go('success', 'STOPPED')
      .go('delete-recreate', 'CLEANUP_RESUBMIT').go('success', 'PENDING')
      .go('deploy', 'PROLOG', { placement: HOST_B }).runs('tm.prolog');
  });
});

describe('resched and unresched', () => {
  it.each(['RUNNING', 'UNKNOWN', 'POWEROFF'] as StateName[])('set and clear RESCHED in %s without moving the VM', (state) => {
    const life = new Life(vmIn(state)).go('resched', state).runs();
    expect(life.vm).toMatchObject({ resched: 1, stateTime: T0, prevState: life.vm.state, prevLcmState: life.vm.lcmState });
    expect(life.go('unresched', state).runs().vm.resched).toBe(0);
  });

  it.each(['PENDING', 'SUSPENDED', 'STOPPED', 'BOOT'] as StateName[])('are refused in %s', (state) => {
    new Life(vmIn(state)).rejects('resched').rejects('unresched');
  });
});

describe('state bookkeeping', () => {
  it('keeps the previous STATE and LCM_STATE and the time of the change', () => {
    const life = new Life().go('deploy', 'PROLOG', { placement: HOST_A });
    expect(life.vm).toMatchObject({ prevState: VmState.PENDING, prevLcmState: 0, state: VmState.ACTIVE, lcmState: LcmState.PROLOG, stateTime: T0 + 10 });
    life.go('success', 'BOOT');
    expect(life.vm).toMatchObject({ prevState: VmState.ACTIVE, prevLcmState: LcmState.PROLOG, stateTime: T0 + 20 });
  });

  it('leaves them alone when the state does not change', () => {
    const life = running();
    const { prevState, prevLcmState, stateTime } = life.vm;
    life.go('reboot', 'RUNNING');
    expect(life.vm).toMatchObject({ prevState, prevLcmState, stateTime });
  });

  it('sets ETIME when the VM reaches DONE, and only then', () => {
    const life = new Life();
    expect(life.go('hold', 'HOLD').vm.etime).toBe(0);
    expect(life.go('terminate', 'DONE').vm.etime).toBe(T0 + 20);
  });

  it('names the event and the state in the error of an action the state does not take', () => {
    expect(() => transition(instantiate(), 'suspend', { now: T0, action: 'suspend' })).toThrow(
      'Error performing action "suspend": This action is not available for state PENDING',
    );
  });
});

describe('history records', () => {
  const number = (a: HistoryAction) => historyActionNumber(a);

  it('opens a record per deploy and migration, numbered from 0', () => {
    const life = running().go('live-migrate', 'MIGRATE', { placement: HOST_B }).go('success', 'RUNNING')
      .go('migrate', 'SAVE_MIGRATE', { placement: HOST_A }).go('success', 'PROLOG_MIGRATE').go('success', 'BOOT_MIGRATE').go('success', 'RUNNING')
      .go('undeploy', 'SHUTDOWN_UNDEPLOY').go('success', 'EPILOG_UNDEPLOY').go('success', 'UNDEPLOYED')
      .go('resume', 'PENDING').go('deploy', 'PROLOG_UNDEPLOY', { placement: HOST_B });
    expect(life.vm.history.map((h) => [h.seq, h.hostname])).toEqual([[0, 'host-a'], [1, 'host-b'], [2, 'host-a'], [3, 'host-b']]);
  });

  it('closes the record and opens a copy on the same host for an action that keeps the host', () => {
    const life = running().go('poweroff', 'SHUTDOWN_POWEROFF');
    expect(life.vm.history).toHaveLength(2);
    expect(life.vm.history[0]).toMatchObject({ seq: 0, hostname: 'host-a', action: number('poweroff'), etime: T0 + 40, retime: T0 + 40 });
    expect(life.record).toMatchObject({ seq: 1, hostname: 'host-a', stime: T0 + 40, etime: 0, action: 0 });
  });

  it('numbers each copy after the record it closes', () => {
    const life = running().go('poweroff', 'SHUTDOWN_POWEROFF').go('success', 'POWEROFF').go('resume', 'BOOT_POWEROFF');
    expect(life.vm.history.map((h) => h.seq)).toEqual([0, 1, 2]);
  });

  // A record split by an action on a running guest: the copy starts running where the closed one stopped.
  it.each(['reboot', 'reboot-hard'] as EventName[])('the copy made by %s keeps the guest running from the split', (action) => {
    const life = running().go(action, 'RUNNING');
    expect(life.record).toMatchObject({ rstime: life.now, retime: 0 });
  });

  // The record the VM was running in takes the ACTION, with who asked for it.
  it.each([
    ['terminate', 'SHUTDOWN', {}],
    ['terminate-hard', 'SHUTDOWN', {}],
    ['undeploy', 'SHUTDOWN_UNDEPLOY', {}],
    ['undeploy-hard', 'SHUTDOWN_UNDEPLOY', {}],
    ['stop', 'SAVE_STOP', {}],
    ['poweroff', 'SHUTDOWN_POWEROFF', {}],
    ['poweroff-hard', 'SHUTDOWN_POWEROFF', {}],
    ['suspend', 'SAVE_SUSPEND', {}],
    ['reboot', 'RUNNING', {}],
    ['reboot-hard', 'RUNNING', {}],
    ['migrate', 'SAVE_MIGRATE', { placement: HOST_B }],
    ['migrate-poweroff', 'SAVE_MIGRATE', { placement: HOST_B }],
    ['migrate-poweroff-hard', 'SAVE_MIGRATE', { placement: HOST_B }],
    ['live-migrate', 'MIGRATE', { placement: HOST_B }],
    ['delete', 'CLEANUP_DELETE', {}],
    ['delete-recreate', 'CLEANUP_RESUBMIT', {}],
  ] as [EventName, StateName, Partial<EventArgs>][])('%s from RUNNING records its ACTION number in that record', (event, to, extra) => {
    const life = running().go(event, to, { ...extra, uid: 5, gid: 6, reqId: 99 });
    const expected = { 'migrate-poweroff': 'poweroff-migrate', 'migrate-poweroff-hard': 'poweroff-hard-migrate' }[event as string] ?? event;
    expect(life.vm.history[0]).toMatchObject({ action: number(expected as HistoryAction), uid: 5, gid: 6, reqId: 99 });
  });

  it('records resume in the record it closes', () => {
    const life = running().go('suspend', 'SAVE_SUSPEND').go('success', 'SUSPENDED').go('resume', 'BOOT_SUSPENDED');
    expect(life.vm.history.at(-2)!.action).toBe(number('resume'));
  });

  it('stamps prolog, running and epilog times as the VM moves', () => {
    const life = running().go('undeploy', 'SHUTDOWN_UNDEPLOY').go('success', 'EPILOG_UNDEPLOY').go('success', 'UNDEPLOYED');
    expect(life.record).toMatchObject({
      stime: T0 + 10, pstime: T0 + 10, petime: T0 + 20, rstime: T0 + 30, estime: T0 + 50, eetime: T0 + 60, retime: T0 + 50, etime: T0 + 60,
    });
  });

  // The running period ends when the guest is gone and the epilog starts (RETIME = ESTIME), so accounting
  // does not count the epilog as running time.
  it.each([
    ['terminate', 'SHUTDOWN', 'EPILOG'], ['undeploy', 'SHUTDOWN_UNDEPLOY', 'EPILOG_UNDEPLOY'], ['stop', 'SAVE_STOP', 'EPILOG_STOP'],
  ] as [EventName, StateName, StateName][])('ends the running period of %s when the epilog starts', (action, via, epilog) => {
    const life = running().go(action, via).go('success', epilog);
    expect(life.record.retime).toBe(life.record.estime);
  });
});

describe('disk save-as', () => {
  /** The VM with a disk from image 3, marked to be saved into image 9. */
  const marked = (life: Life) => {
    life.vm = markSaveAs({ ...life.vm, template: [...life.vm.template, { name: 'DISK', value: { DISK_ID: '0', IMAGE_ID: '3', SOURCE: '/i' } }] }, 0, { id: 9, source: '/n' }, -1);
    return life;
  };
  const toStopped = () => running().go('stop', 'SAVE_STOP').go('success', 'EPILOG_STOP').go('success', 'STOPPED');
  const toUndeployed = () => running().go('undeploy', 'SHUTDOWN_UNDEPLOY').go('success', 'EPILOG_UNDEPLOY').go('success', 'UNDEPLOYED');

  it.each([
    ['RUNNING', running, 'HOTPLUG_SAVEAS', 'vmm.disk_saveas'],
    ['POWEROFF', toPoweroff, 'HOTPLUG_SAVEAS_POWEROFF', 'tm.cpds'],
    ['SUSPENDED', toSuspended, 'HOTPLUG_SAVEAS_SUSPENDED', 'tm.cpds'],
    ['UNDEPLOYED', toUndeployed, 'HOTPLUG_SAVEAS_UNDEPLOYED', 'tm.cpds'],
    ['STOPPED', toStopped, 'HOTPLUG_SAVEAS_STOPPED', 'tm.cpds'],
  ] as [StateName, () => Life, StateName, Operation][])('%s -> %s copies the disk and comes back, the marks cleared, whatever the outcome', (from, reach, via, op) => {
    const ok = marked(reach()).go('disk-saveas', via).runs(op);
    const records = ok.vm.history.length;
    ok.go('retry', via).runs(op).go('success', from).runs();
    expect(savingDisk(ok.vm)).toBeUndefined();
    expect(ok.error).toBeUndefined();
    expect(ok.vm.history.length, 'a save-as keeps the history record').toBe(records);
    const failed = marked(reach()).go('disk-saveas', via).go('failure', from, { message: 'disk unreadable' });
    expect(savingDisk(failed.vm)).toBeUndefined();
    expect(failed.error).toMatch(/disk unreadable/);
  });

  it('takes no other action while a disk is saved, and recover --delete cleans the VM up', () => {
    const life = marked(running()).go('disk-saveas', 'HOTPLUG_SAVEAS');
    for (const e of ['poweroff', 'terminate', 'disk-saveas', 'snapshot-create'] as EventName[]) life.rejects(e);
    life.go('delete', 'CLEANUP_DELETE').runs(...CLEANUP);
  });
});

describe('cloning', () => {
  /** What instantiate to persistent makes while the image clones are copied. */
  const cloning = () => {
    const { state, lcm } = stateNumbers('CLONING');
    return new Life({ ...instantiate(), state, lcmState: lcm, prevState: state });
  };

  it('CLONING -> PENDING once the images are copied', () => {
    cloning().go('success', 'PENDING').runs().go('deploy', 'PROLOG', { placement: HOST_A });
  });

  it('CLONING -> CLONING_FAILURE when a copy failed, the reason in ERROR; recover or terminate from there', () => {
    const failed = cloning().go('failure', 'CLONING_FAILURE', { message: 'Cannot copy image [4]' });
    expect(failed.error).toMatch(/Cannot copy image \[4\]/);
    failed.go('success', 'PENDING');
    cloning().go('failure', 'CLONING_FAILURE').go('terminate', 'DONE');
    cloning().go('terminate-hard', 'DONE');
  });
});

