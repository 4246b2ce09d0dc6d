import type { DiskSnapshotEvent, EventName, Operation } from './events.js';
import type { StateName } from './states.js';

/**
 * Named changes a row makes besides the state. Their code is in domain/vm-effects.ts; everything else
 * (history times, which host holds the VM's capacity) is derived from the states themselves.
 */
export type Effect =
  /** Open a history record on the target host of the event. */
  | 'openHistory'
  /** Return to the host of the previous record after a failed migration (a new record there). */
  | 'revertMigration'
  /** Write the outcome's message to USER_TEMPLATE/ERROR. */
  | 'setError'
  /** Set the current record's ACTION; the VM is about to leave the host, which closes the record. */
  | 'recordAction'
  /** Set the current record's ACTION, close it and open a copy: one record per action on a host. */
  | 'splitHistory'
  | 'setResched'
  | 'clearResched'
  /** Keep the deploy id a driver returned. */
  | 'setDeployId'
  /** The snapshot marked ACTIVE is done: created (with the HYPERVISOR_ID returned), reverted to, or deleted. */
  | 'settleSnapshot'
  /** The snapshot marked ACTIVE was not done: one being created goes, others only lose the mark. */
  | 'abandonSnapshot'
  /** Forget every system snapshot: they live in the running guest, which is gone (KVM's default). */
  | 'dropSnapshots'
  /** A live resize worked: forget the old values (RESIZE). */
  | 'keepResize'
  /** A live resize failed: the old CPU, VCPU and MEMORY (RESIZE) come back. */
  | 'undoResize'
  /** The disk snapshot operation pending in a disk's tree is done: created (SIZE the disk's), reverted to, or deleted. */
  | 'settleDiskSnapshot'
  /** The pending disk snapshot operation was not done: a snapshot being created goes, the rest stays as it was. */
  | 'abandonDiskSnapshot'
  /** Forget the snapshots of disks cloned from images: the VM gets fresh copies (persistent disks keep theirs). */
  | 'dropClonedDiskSnapshots'
  /** The disk being saved as an image loses its HOTPLUG_SAVE_AS marks (the core settles the image itself). */
  | 'clearSaveAs'
  /** The disk marked for attach, detach or resize is done: attached, gone, or at its new SIZE. */
  | 'settleDiskOperation'
  /** The disk operation was not done: an attached disk goes, a detached one stays, a resized one gets its SIZE back. */
  | 'abandonDiskOperation';

/** Named predicates that choose between rows of the same event and state. */
export type Guard =
  /** The VM was stopped before this deploy: its files come back from the front-end. */
  | 'afterStop'
  /** The VM was undeployed before this deploy. */
  | 'afterUndeploy'
  /** The migration in progress saved the guest's memory (migrate type 0). */
  | 'savedMigration'
  /** The VM was created on hold and waits for its images' copies (instantiate --persistent --hold). */
  | 'heldBeforeCloning';

/** One transition: on `on`, from any state of `from` (when `when` holds), go to `to` and start `run`. */
export interface Move {
  on: EventName;
  from: readonly StateName[];
  to: StateName;
  /** Driver operations started on arrival, run in order as one step. */
  run?: readonly Operation[];
  effects?: readonly Effect[];
  when?: Guard;
  /** Where `run` happens: the host of the open record (default), or the one before it (a migration's source). */
  at?: 'source';
}

/** A row that stands for another event in these states: monitoring that settles a pending operation. */
export interface Alias {
  on: EventName;
  from: readonly StateName[];
  same: 'success';
}

export type Row = Move | Alias;

// Groups of states used by many rows.
const FAILURE_STATES = [
  'BOOT_FAILURE', 'BOOT_MIGRATE_FAILURE', 'PROLOG_MIGRATE_FAILURE', 'PROLOG_FAILURE', 'EPILOG_FAILURE',
  'EPILOG_STOP_FAILURE', 'EPILOG_UNDEPLOY_FAILURE', 'PROLOG_MIGRATE_POWEROFF_FAILURE',
  'PROLOG_MIGRATE_SUSPEND_FAILURE', 'BOOT_UNDEPLOY_FAILURE', 'BOOT_STOPPED_FAILURE', 'PROLOG_RESUME_FAILURE',
  'PROLOG_UNDEPLOY_FAILURE', 'PROLOG_MIGRATE_UNKNOWN_FAILURE',
] as const satisfies readonly StateName[];
const NOT_PLACED = ['INIT', 'PENDING', 'HOLD', 'CLONING', 'CLONING_FAILURE'] as const satisfies readonly StateName[];
const BOOTING = [
  'BOOT', 'BOOT_MIGRATE', 'BOOT_POWEROFF', 'BOOT_SUSPENDED', 'BOOT_STOPPED', 'BOOT_UNDEPLOY', 'BOOT_UNKNOWN',
] as const satisfies readonly StateName[];
const SHUTTING_DOWN = ['SHUTDOWN', 'SHUTDOWN_POWEROFF', 'SHUTDOWN_UNDEPLOY'] as const satisfies readonly StateName[];
/** Where a disk snapshot operation runs, by the resting state it starts from and returns to. */
const DISK_SNAPSHOT_STATES = [
  'DISK_SNAPSHOT', 'DISK_SNAPSHOT_DELETE', 'DISK_SNAPSHOT_POWEROFF', 'DISK_SNAPSHOT_REVERT_POWEROFF',
  'DISK_SNAPSHOT_DELETE_POWEROFF', 'DISK_SNAPSHOT_SUSPENDED', 'DISK_SNAPSHOT_DELETE_SUSPENDED',
] as const satisfies readonly StateName[];
/** States in which the VM is on a host and a driver operation may be pending or has failed. */
const ON_HOST_TRANSITIONAL = [
  'PROLOG', 'BOOT', 'MIGRATE', 'SAVE_STOP', 'SAVE_SUSPEND', 'SAVE_MIGRATE', 'PROLOG_MIGRATE', 'PROLOG_RESUME',
  'EPILOG_STOP', 'EPILOG', 'SHUTDOWN', 'CLEANUP_RESUBMIT', 'SHUTDOWN_POWEROFF', 'BOOT_UNKNOWN', 'BOOT_POWEROFF',
  'BOOT_SUSPENDED', 'BOOT_STOPPED', 'CLEANUP_DELETE', 'SHUTDOWN_UNDEPLOY', 'EPILOG_UNDEPLOY', 'PROLOG_UNDEPLOY',
  'BOOT_UNDEPLOY', 'BOOT_MIGRATE', 'PROLOG_MIGRATE_POWEROFF', 'PROLOG_MIGRATE_SUSPEND', 'PROLOG_MIGRATE_UNKNOWN',
  'HOTPLUG_SNAPSHOT', 'HOTPLUG_RESIZE',
  ...DISK_SNAPSHOT_STATES,
  'HOTPLUG_SAVEAS', 'HOTPLUG_SAVEAS_POWEROFF', 'HOTPLUG_SAVEAS_SUSPENDED',
  'HOTPLUG', 'HOTPLUG_PROLOG_POWEROFF', 'HOTPLUG_EPILOG_POWEROFF', 'DISK_RESIZE', 'DISK_RESIZE_POWEROFF',
] as const satisfies readonly StateName[];
const RESTING_ON_HOST = ['RUNNING', 'UNKNOWN', 'POWEROFF', 'SUSPENDED'] as const satisfies readonly StateName[];
const OFF_HOST = ['STOPPED', 'UNDEPLOYED'] as const satisfies readonly StateName[];
/** A disk of a VM whose files are off its host being saved as an image or grown: it holds no host either. */
const BUSY_OFF_HOST = ['HOTPLUG_SAVEAS_UNDEPLOYED', 'HOTPLUG_SAVEAS_STOPPED', 'DISK_RESIZE_UNDEPLOYED'] as const satisfies readonly StateName[];

const CLEANUP: readonly Operation[] = ['vmm.cleanup', 'tm.epilog_delete'];
const MIGRATIONS = ['migrate', 'migrate-poweroff', 'migrate-poweroff-hard'] as const;

/** Rows that keep the VM where it is (one per state, so each names its target). */
function stay(on: EventName, states: readonly StateName[], effects: readonly Effect[]): Row[] {
  return states.map((s) => ({ on, from: [s], to: s, effects }));
}

/** Cold migration rows: the same shape for its three kinds, differing in how the guest is stopped. */
function coldMigration(on: (typeof MIGRATIONS)[number], stop: Operation): Row[] {
  return [
    { on, from: ['RUNNING'], to: 'SAVE_MIGRATE', run: [stop], at: 'source', effects: ['openHistory', 'clearResched'] },
    { on, from: ['POWEROFF'], to: 'PROLOG_MIGRATE_POWEROFF', run: ['tm.prolog_migrate'], effects: ['openHistory', 'clearResched', 'dropSnapshots'] },
    { on, from: ['SUSPENDED'], to: 'PROLOG_MIGRATE_SUSPEND', run: ['tm.prolog_migrate'], effects: ['openHistory', 'clearResched', 'dropSnapshots'] },
    { on, from: ['UNKNOWN'], to: 'PROLOG_MIGRATE_UNKNOWN', run: ['tm.prolog_migrate'], effects: ['openHistory', 'clearResched', 'dropSnapshots'] },
  ];
}

/**
 * A disk snapshot operation from a resting state: one record per action (a running guest's reschedule mark
 * goes, as for system snapshots), and back to that state whatever the outcome.
 */
function diskSnapshot(on: DiskSnapshotEvent, from: 'RUNNING' | 'POWEROFF' | 'SUSPENDED', to: (typeof DISK_SNAPSHOT_STATES)[number], op: Operation): Row[] {
  return [
    { on, from: [from], to, run: [op], effects: from === 'RUNNING' ? ['splitHistory', 'clearResched'] : ['splitHistory'] },
    { on: 'success', from: [to], to: from, effects: ['settleDiskSnapshot'] },
    { on: 'failure', from: [to], to: from, effects: ['abandonDiskSnapshot', 'setError'] },
  ];
}

/** disk-saveas from a resting state: the copy runs (again on retry), and the VM goes back whatever the outcome. */
function saveAs(from: StateName, to: StateName, op: Operation): Row[] {
  return [
    { on: 'disk-saveas', from: [from], to, run: [op] },
    { on: 'success', from: [to], to: from, effects: ['clearSaveAs'] },
    { on: 'failure', from: [to], to: from, effects: ['clearSaveAs', 'setError'] },
    { on: 'retry', from: [to], to, run: [op] },
  ];
}

/**
 * The VM life cycle: every transition OpenNebula makes (src/dm, src/lcm), as data. For an event the
 * first row whose `from` holds the VM's state and whose guard holds is taken; no row means the event is
 * not available in that state. The daemon executes this table, the docs' diagram is drawn from it and
 * the tests walk it.
 */
export const LIFECYCLE: readonly Row[] = [
  // ---- placement: deploy from PENDING/HOLD, or back from STOPPED/UNDEPLOYED
  { on: 'deploy', from: ['PENDING', 'HOLD', 'STOPPED'], when: 'afterStop', to: 'PROLOG_RESUME', run: ['tm.prolog_resume'], effects: ['openHistory'] },
  { on: 'deploy', from: ['PENDING', 'HOLD', 'UNDEPLOYED'], when: 'afterUndeploy', to: 'PROLOG_UNDEPLOY', run: ['tm.prolog_resume'], effects: ['openHistory'] },
  { on: 'deploy', from: ['PENDING', 'HOLD'], to: 'PROLOG', run: ['tm.prolog'], effects: ['openHistory'] },

  { on: 'success', from: ['PROLOG', 'PROLOG_FAILURE'], to: 'BOOT', run: ['vmm.deploy'] },
  { on: 'failure', from: ['PROLOG', 'PROLOG_FAILURE'], to: 'PROLOG_FAILURE', effects: ['setError'] },
  { on: 'success', from: ['PROLOG_RESUME', 'PROLOG_RESUME_FAILURE'], to: 'BOOT_STOPPED', run: ['vmm.restore'] },
  { on: 'failure', from: ['PROLOG_RESUME', 'PROLOG_RESUME_FAILURE'], to: 'PROLOG_RESUME_FAILURE', effects: ['setError'] },
  { on: 'success', from: ['PROLOG_UNDEPLOY', 'PROLOG_UNDEPLOY_FAILURE'], to: 'BOOT_UNDEPLOY', run: ['vmm.deploy'] },
  { on: 'failure', from: ['PROLOG_UNDEPLOY', 'PROLOG_UNDEPLOY_FAILURE'], to: 'PROLOG_UNDEPLOY_FAILURE', effects: ['setError'] },

  { on: 'success', from: ['BOOT', 'BOOT_FAILURE', 'BOOT_STOPPED', 'BOOT_STOPPED_FAILURE', 'BOOT_UNDEPLOY', 'BOOT_UNDEPLOY_FAILURE', 'BOOT_MIGRATE', 'BOOT_MIGRATE_FAILURE', 'BOOT_POWEROFF', 'BOOT_SUSPENDED', 'BOOT_UNKNOWN'], to: 'RUNNING', effects: ['setDeployId'] },
  { on: 'failure', from: ['BOOT', 'BOOT_FAILURE'], to: 'BOOT_FAILURE', effects: ['setError'] },
  { on: 'failure', from: ['BOOT_STOPPED', 'BOOT_STOPPED_FAILURE'], to: 'BOOT_STOPPED_FAILURE', effects: ['setError'] },
  { on: 'failure', from: ['BOOT_UNDEPLOY', 'BOOT_UNDEPLOY_FAILURE'], to: 'BOOT_UNDEPLOY_FAILURE', effects: ['setError'] },
  { on: 'failure', from: ['BOOT_MIGRATE', 'BOOT_MIGRATE_FAILURE'], to: 'BOOT_MIGRATE_FAILURE', effects: ['setError'] },
  { on: 'failure', from: ['BOOT_POWEROFF'], to: 'POWEROFF', effects: ['setError'] },
  { on: 'failure', from: ['BOOT_SUSPENDED'], to: 'SUSPENDED', effects: ['setError'] },
  { on: 'failure', from: ['BOOT_UNKNOWN'], to: 'UNKNOWN', effects: ['setError'] },

  // ---- hold and release
  { on: 'hold', from: ['PENDING'], to: 'HOLD' },
  { on: 'release', from: ['HOLD'], to: 'PENDING' },

  // ---- cloning: a VM instantiated to persistent waits for the copies of its images (image-operations.ts reports
  // them as the outcome: success once none is LOCKED, failure when one failed)
  { on: 'success', from: ['CLONING', 'CLONING_FAILURE'], when: 'heldBeforeCloning', to: 'HOLD' },
  { on: 'success', from: ['CLONING', 'CLONING_FAILURE'], to: 'PENDING' },
  { on: 'failure', from: ['CLONING', 'CLONING_FAILURE'], to: 'CLONING_FAILURE', effects: ['setError'] },

  // ---- terminate: soft through ACPI, hard at once; hard also overrides a soft one still running
  { on: 'terminate', from: ['RUNNING', 'UNKNOWN'], to: 'SHUTDOWN', run: ['vmm.shutdown'], effects: ['recordAction'] },
  { on: 'terminate-hard', from: ['RUNNING', 'UNKNOWN', 'SHUTDOWN'], to: 'SHUTDOWN', run: ['vmm.cancel'], effects: ['recordAction'] },
  ...(['terminate', 'terminate-hard'] as const).flatMap((on): Row[] => [
    { on, from: ['POWEROFF', 'SUSPENDED', ...OFF_HOST], to: 'EPILOG', run: ['tm.epilog'], effects: ['recordAction'] },
    { on, from: NOT_PLACED, to: 'DONE' },
    { on, from: FAILURE_STATES, to: 'CLEANUP_DELETE', run: CLEANUP, effects: ['recordAction'] },
  ]),
  { on: 'success', from: ['SHUTDOWN'], to: 'EPILOG', run: ['tm.epilog'], effects: ['dropSnapshots'] },
  { on: 'failure', from: SHUTTING_DOWN, to: 'RUNNING', effects: ['setError'] },
  { on: 'success', from: ['EPILOG', 'EPILOG_FAILURE'], to: 'DONE' },
  { on: 'failure', from: ['EPILOG', 'EPILOG_FAILURE'], to: 'EPILOG_FAILURE', effects: ['setError'] },

  // ---- poweroff
  { on: 'poweroff', from: ['RUNNING', 'UNKNOWN'], to: 'SHUTDOWN_POWEROFF', run: ['vmm.shutdown'], effects: ['splitHistory'] },
  { on: 'poweroff-hard', from: ['RUNNING', 'UNKNOWN', 'SHUTDOWN_POWEROFF'], to: 'SHUTDOWN_POWEROFF', run: ['vmm.cancel'], effects: ['splitHistory'] },
  { on: 'success', from: ['SHUTDOWN_POWEROFF'], to: 'POWEROFF', effects: ['dropSnapshots'] },

  // ---- undeploy
  { on: 'undeploy', from: ['RUNNING', 'UNKNOWN'], to: 'SHUTDOWN_UNDEPLOY', run: ['vmm.shutdown'], effects: ['recordAction'] },
  { on: 'undeploy-hard', from: ['RUNNING', 'UNKNOWN', 'SHUTDOWN_UNDEPLOY'], to: 'SHUTDOWN_UNDEPLOY', run: ['vmm.cancel'], effects: ['recordAction'] },
  { on: 'undeploy', from: ['POWEROFF'], to: 'EPILOG_UNDEPLOY', run: ['tm.epilog_stop'], effects: ['recordAction'] },
  { on: 'undeploy-hard', from: ['POWEROFF'], to: 'EPILOG_UNDEPLOY', run: ['tm.epilog_stop'], effects: ['recordAction'] },
  { on: 'success', from: ['SHUTDOWN_UNDEPLOY'], to: 'EPILOG_UNDEPLOY', run: ['tm.epilog_stop'], effects: ['dropSnapshots'] },
  { on: 'success', from: ['EPILOG_UNDEPLOY', 'EPILOG_UNDEPLOY_FAILURE'], to: 'UNDEPLOYED' },
  { on: 'failure', from: ['EPILOG_UNDEPLOY', 'EPILOG_UNDEPLOY_FAILURE'], to: 'EPILOG_UNDEPLOY_FAILURE', effects: ['setError'] },

  // ---- stop and suspend: the guest's memory is saved
  { on: 'stop', from: ['RUNNING'], to: 'SAVE_STOP', run: ['vmm.save'], effects: ['recordAction'] },
  { on: 'stop', from: ['SUSPENDED'], to: 'EPILOG_STOP', run: ['tm.epilog_stop'], effects: ['recordAction'] },
  { on: 'success', from: ['SAVE_STOP'], to: 'EPILOG_STOP', run: ['tm.epilog_stop'], effects: ['dropSnapshots'] },
  { on: 'failure', from: ['SAVE_STOP'], to: 'RUNNING', effects: ['setError'] },
  { on: 'success', from: ['EPILOG_STOP', 'EPILOG_STOP_FAILURE'], to: 'STOPPED' },
  { on: 'failure', from: ['EPILOG_STOP', 'EPILOG_STOP_FAILURE'], to: 'EPILOG_STOP_FAILURE', effects: ['setError'] },
  { on: 'suspend', from: ['RUNNING'], to: 'SAVE_SUSPEND', run: ['vmm.save'], effects: ['splitHistory'] },
  { on: 'success', from: ['SAVE_SUSPEND'], to: 'SUSPENDED', effects: ['dropSnapshots'] },
  { on: 'failure', from: ['SAVE_SUSPEND'], to: 'RUNNING', effects: ['setError'] },

  // ---- resume
  { on: 'resume', from: OFF_HOST, to: 'PENDING' },
  { on: 'resume', from: ['SUSPENDED'], to: 'BOOT_SUSPENDED', run: ['vmm.restore'], effects: ['splitHistory'] },
  { on: 'resume', from: ['POWEROFF'], to: 'BOOT_POWEROFF', run: ['vmm.deploy'], effects: ['splitHistory'] },
  { on: 'resume', from: ['UNKNOWN'], to: 'BOOT_UNKNOWN', run: ['vmm.deploy'], effects: ['splitHistory'] },

  // ---- reboot: no intermediate state; the outcome lands back in RUNNING
  { on: 'reboot', from: ['RUNNING'], to: 'RUNNING', run: ['vmm.reboot'], effects: ['splitHistory', 'clearResched'] },
  { on: 'reboot-hard', from: ['RUNNING'], to: 'RUNNING', run: ['vmm.reset'], effects: ['splitHistory', 'clearResched'] },
  { on: 'success', from: ['RUNNING'], to: 'RUNNING' },
  { on: 'failure', from: ['RUNNING'], to: 'RUNNING', effects: ['setError'] },

  // ---- rescheduling marks
  ...stay('resched', ['RUNNING', 'UNKNOWN', 'POWEROFF'], ['setResched']),
  ...stay('unresched', ['RUNNING', 'UNKNOWN', 'POWEROFF'], ['clearResched']),

  // ---- cold migration (save, poweroff, poweroff-hard) and live migration
  ...coldMigration('migrate', 'vmm.save'),
  ...coldMigration('migrate-poweroff', 'vmm.shutdown'),
  ...coldMigration('migrate-poweroff-hard', 'vmm.cancel'),
  { on: 'success', from: ['SAVE_MIGRATE'], to: 'PROLOG_MIGRATE', run: ['tm.prolog_migrate'], effects: ['dropSnapshots'] },
  { on: 'failure', from: ['SAVE_MIGRATE'], to: 'RUNNING', effects: ['revertMigration', 'setError'] },
  { on: 'success', from: ['PROLOG_MIGRATE', 'PROLOG_MIGRATE_FAILURE'], when: 'savedMigration', to: 'BOOT_MIGRATE', run: ['vmm.restore'] },
  { on: 'success', from: ['PROLOG_MIGRATE', 'PROLOG_MIGRATE_FAILURE'], to: 'BOOT', run: ['vmm.deploy'] },
  { on: 'failure', from: ['PROLOG_MIGRATE', 'PROLOG_MIGRATE_FAILURE'], to: 'PROLOG_MIGRATE_FAILURE', effects: ['setError'] },
  { on: 'success', from: ['PROLOG_MIGRATE_POWEROFF', 'PROLOG_MIGRATE_POWEROFF_FAILURE'], to: 'POWEROFF' },
  { on: 'failure', from: ['PROLOG_MIGRATE_POWEROFF', 'PROLOG_MIGRATE_POWEROFF_FAILURE'], to: 'PROLOG_MIGRATE_POWEROFF_FAILURE', effects: ['setError'] },
  { on: 'success', from: ['PROLOG_MIGRATE_SUSPEND', 'PROLOG_MIGRATE_SUSPEND_FAILURE'], to: 'SUSPENDED' },
  { on: 'failure', from: ['PROLOG_MIGRATE_SUSPEND', 'PROLOG_MIGRATE_SUSPEND_FAILURE'], to: 'PROLOG_MIGRATE_SUSPEND_FAILURE', effects: ['setError'] },
  { on: 'success', from: ['PROLOG_MIGRATE_UNKNOWN', 'PROLOG_MIGRATE_UNKNOWN_FAILURE'], to: 'BOOT', run: ['vmm.deploy'] },
  { on: 'failure', from: ['PROLOG_MIGRATE_UNKNOWN', 'PROLOG_MIGRATE_UNKNOWN_FAILURE'], to: 'PROLOG_MIGRATE_UNKNOWN_FAILURE', effects: ['setError'] },
  { on: 'live-migrate', from: ['RUNNING'], to: 'MIGRATE', run: ['vmm.migrate'], effects: ['openHistory', 'clearResched'] },
  { on: 'success', from: ['MIGRATE'], to: 'RUNNING', effects: ['dropSnapshots'] },
  { on: 'failure', from: ['MIGRATE'], to: 'RUNNING', effects: ['revertMigration', 'setError'] },

  // ---- system snapshots of a running guest; the core marks the snapshot the driver works on (ACTIVE = YES).
  // The guest's life-cycle operations above drop them, as OpenNebula's KVM driver loses them (no KEEP_SNAPSHOTS).
  { on: 'snapshot-create', from: ['RUNNING'], to: 'HOTPLUG_SNAPSHOT', run: ['vmm.snapshot_create'], effects: ['splitHistory', 'clearResched'] },
  { on: 'snapshot-revert', from: ['RUNNING'], to: 'HOTPLUG_SNAPSHOT', run: ['vmm.snapshot_revert'], effects: ['splitHistory', 'clearResched'] },
  { on: 'snapshot-delete', from: ['RUNNING'], to: 'HOTPLUG_SNAPSHOT', run: ['vmm.snapshot_delete'], effects: ['splitHistory', 'clearResched'] },
  { on: 'success', from: ['HOTPLUG_SNAPSHOT'], to: 'RUNNING', effects: ['settleSnapshot'] },
  { on: 'failure', from: ['HOTPLUG_SNAPSHOT'], to: 'RUNNING', effects: ['abandonSnapshot', 'setError'] },

  // ---- disk snapshots: the core marks the operation in the disk's tree (`pending`). A running guest's disk
  // is snapshotted live through the VMM; otherwise the TM works on the disk file. Revert only in POWEROFF.
  ...diskSnapshot('disk-snapshot-create', 'RUNNING', 'DISK_SNAPSHOT', 'vmm.disk_snapshot_create'),
  ...diskSnapshot('disk-snapshot-create', 'POWEROFF', 'DISK_SNAPSHOT_POWEROFF', 'tm.snap_create'),
  ...diskSnapshot('disk-snapshot-create', 'SUSPENDED', 'DISK_SNAPSHOT_SUSPENDED', 'tm.snap_create'),
  ...diskSnapshot('disk-snapshot-revert', 'POWEROFF', 'DISK_SNAPSHOT_REVERT_POWEROFF', 'tm.snap_revert'),
  ...diskSnapshot('disk-snapshot-delete', 'RUNNING', 'DISK_SNAPSHOT_DELETE', 'vmm.disk_snapshot_delete'),
  ...diskSnapshot('disk-snapshot-delete', 'POWEROFF', 'DISK_SNAPSHOT_DELETE_POWEROFF', 'tm.snap_delete'),
  ...diskSnapshot('disk-snapshot-delete', 'SUSPENDED', 'DISK_SNAPSHOT_DELETE_SUSPENDED', 'tm.snap_delete'),

  // ---- disk-saveas: the core creates the new image (LOCKED) and marks the disk; a running guest's disk is
  // copied by the hypervisor, a resting VM's disk file by the TM where its files are. The core settles the image.
  ...saveAs('RUNNING', 'HOTPLUG_SAVEAS', 'vmm.disk_saveas'),
  ...saveAs('POWEROFF', 'HOTPLUG_SAVEAS_POWEROFF', 'tm.cpds'),
  ...saveAs('SUSPENDED', 'HOTPLUG_SAVEAS_SUSPENDED', 'tm.cpds'),
  ...saveAs('UNDEPLOYED', 'HOTPLUG_SAVEAS_UNDEPLOYED', 'tm.cpds'),
  ...saveAs('STOPPED', 'HOTPLUG_SAVEAS_STOPPED', 'tm.cpds'),

  // ---- resize: a running guest through the driver, the core keeping the old values in RESIZE; elsewhere
  // only the template changes (the core checks the host's capacity where the VM holds one)
  { on: 'resize', from: ['RUNNING'], to: 'HOTPLUG_RESIZE', run: ['vmm.resize'], effects: ['splitHistory', 'clearResched'] },
  { on: 'success', from: ['HOTPLUG_RESIZE'], to: 'RUNNING', effects: ['keepResize'] },
  { on: 'failure', from: ['HOTPLUG_RESIZE'], to: 'RUNNING', effects: ['undoResize', 'setError'] },
  ...stay('resize', ['POWEROFF'], ['splitHistory']),
  ...stay('resize', [...NOT_PLACED, 'UNDEPLOYED'], []),

  // ---- disk hotplug and growth: the core marks the disk (ATTACH, DETACH, RESIZE). A running guest gets the
  // file made first and then plugged in, or unplugged first and then the file removed (saved when persistent)
  { on: 'disk-attach', from: ['RUNNING'], to: 'HOTPLUG', run: ['tm.prolog_disk', 'vmm.attach_disk'], effects: ['splitHistory', 'clearResched'] },
  { on: 'disk-detach', from: ['RUNNING'], to: 'HOTPLUG', run: ['vmm.detach_disk', 'tm.epilog_disk'], effects: ['splitHistory', 'clearResched'] },
  { on: 'disk-resize', from: ['RUNNING'], to: 'DISK_RESIZE', run: ['vmm.resize_disk'], effects: ['splitHistory', 'clearResched'] },
  { on: 'success', from: ['HOTPLUG', 'DISK_RESIZE'], to: 'RUNNING', effects: ['settleDiskOperation'] },
  { on: 'failure', from: ['HOTPLUG', 'DISK_RESIZE'], to: 'RUNNING', effects: ['abandonDiskOperation', 'setError'] },
  { on: 'disk-attach', from: ['POWEROFF'], to: 'HOTPLUG_PROLOG_POWEROFF', run: ['tm.prolog_disk'], effects: ['splitHistory'] },
  { on: 'disk-detach', from: ['POWEROFF'], to: 'HOTPLUG_EPILOG_POWEROFF', run: ['tm.epilog_disk'], effects: ['splitHistory'] },
  { on: 'disk-resize', from: ['POWEROFF'], to: 'DISK_RESIZE_POWEROFF', run: ['tm.resize_disk'], effects: ['splitHistory'] },
  { on: 'success', from: ['HOTPLUG_PROLOG_POWEROFF', 'HOTPLUG_EPILOG_POWEROFF', 'DISK_RESIZE_POWEROFF'], to: 'POWEROFF', effects: ['settleDiskOperation'] },
  { on: 'failure', from: ['HOTPLUG_PROLOG_POWEROFF', 'HOTPLUG_EPILOG_POWEROFF', 'DISK_RESIZE_POWEROFF'], to: 'POWEROFF', effects: ['abandonDiskOperation', 'setError'] },
  // an undeployed VM's disk grows where its files are (the front-end, or the shared datastore)
  { on: 'disk-resize', from: ['UNDEPLOYED'], to: 'DISK_RESIZE_UNDEPLOYED', run: ['tm.resize_disk'] },
  { on: 'success', from: ['DISK_RESIZE_UNDEPLOYED'], to: 'UNDEPLOYED', effects: ['settleDiskOperation'] },
  { on: 'failure', from: ['DISK_RESIZE_UNDEPLOYED'], to: 'UNDEPLOYED', effects: ['abandonDiskOperation', 'setError'] },

  // ---- monitoring: what the hypervisor says wins over what we believed
  { on: 'monitor-running', from: BOOTING, same: 'success' },
  { on: 'monitor-running', from: ['POWEROFF', 'SUSPENDED', 'UNKNOWN'], to: 'RUNNING' },
  { on: 'monitor-poweroff', from: SHUTTING_DOWN, same: 'success' },
  { on: 'monitor-poweroff', from: ['RUNNING', 'UNKNOWN'], to: 'POWEROFF', effects: ['dropSnapshots'] },
  { on: 'monitor-suspended', from: ['RUNNING', 'UNKNOWN'], to: 'SUSPENDED', effects: ['dropSnapshots'] },
  { on: 'monitor-error', from: ['RUNNING'], to: 'UNKNOWN' },
  { on: 'host-error', from: ['RUNNING'], to: 'UNKNOWN' },

  // ---- recover: success/failure are the outcome rows above; UNKNOWN has its own
  { on: 'success', from: ['UNKNOWN'], to: 'RUNNING' },
  { on: 'failure', from: ['UNKNOWN'], to: 'POWEROFF', effects: ['dropSnapshots', 'setError'] },
  { on: 'retry', from: ['PROLOG_FAILURE'], to: 'PROLOG', run: ['tm.prolog'] },
  { on: 'retry', from: ['PROLOG_RESUME_FAILURE'], to: 'PROLOG_RESUME', run: ['tm.prolog_resume'] },
  { on: 'retry', from: ['PROLOG_UNDEPLOY_FAILURE'], to: 'PROLOG_UNDEPLOY', run: ['tm.prolog_resume'] },
  { on: 'retry', from: ['BOOT_FAILURE'], to: 'BOOT', run: ['vmm.deploy'] },
  { on: 'retry', from: ['BOOT_STOPPED_FAILURE'], to: 'BOOT_STOPPED', run: ['vmm.restore'] },
  { on: 'retry', from: ['BOOT_UNDEPLOY_FAILURE'], to: 'BOOT_UNDEPLOY', run: ['vmm.deploy'] },
  { on: 'retry', from: ['BOOT_MIGRATE_FAILURE'], to: 'BOOT_MIGRATE', run: ['vmm.restore'] },
  { on: 'retry', from: ['PROLOG_MIGRATE_FAILURE'], to: 'PROLOG_MIGRATE', run: ['tm.prolog_migrate'] },
  { on: 'retry', from: ['PROLOG_MIGRATE_POWEROFF_FAILURE'], to: 'PROLOG_MIGRATE_POWEROFF', run: ['tm.prolog_migrate'] },
  { on: 'retry', from: ['PROLOG_MIGRATE_SUSPEND_FAILURE'], to: 'PROLOG_MIGRATE_SUSPEND', run: ['tm.prolog_migrate'] },
  { on: 'retry', from: ['PROLOG_MIGRATE_UNKNOWN_FAILURE'], to: 'PROLOG_MIGRATE_UNKNOWN', run: ['tm.prolog_migrate'] },
  { on: 'retry', from: ['EPILOG_FAILURE'], to: 'EPILOG', run: ['tm.epilog'] },
  { on: 'retry', from: ['EPILOG_STOP_FAILURE'], to: 'EPILOG_STOP', run: ['tm.epilog_stop'] },
  { on: 'retry', from: ['EPILOG_UNDEPLOY_FAILURE'], to: 'EPILOG_UNDEPLOY', run: ['tm.epilog_stop'] },
  { on: 'delete', from: [...ON_HOST_TRANSITIONAL, ...FAILURE_STATES, ...RESTING_ON_HOST, ...OFF_HOST, ...BUSY_OFF_HOST], to: 'CLEANUP_DELETE', run: CLEANUP, effects: ['recordAction'] },
  { on: 'delete', from: NOT_PLACED, to: 'DONE' },
  { on: 'success', from: ['CLEANUP_DELETE'], to: 'DONE' },
  // A failed cleanup still ends the VM: the user asked for it gone; the message stays in ERROR.
  { on: 'failure', from: ['CLEANUP_DELETE'], to: 'DONE', effects: ['setError'] },
  { on: 'delete-recreate', from: [...ON_HOST_TRANSITIONAL, ...FAILURE_STATES, ...RESTING_ON_HOST, ...OFF_HOST, ...BUSY_OFF_HOST], to: 'CLEANUP_RESUBMIT', run: CLEANUP, effects: ['recordAction', 'dropSnapshots', 'dropClonedDiskSnapshots', 'abandonDiskOperation', 'clearSaveAs'] },
  { on: 'delete-recreate', from: ['PENDING', 'HOLD'], to: 'PENDING' },
  { on: 'success', from: ['CLEANUP_RESUBMIT'], to: 'PENDING' },
  { on: 'failure', from: ['CLEANUP_RESUBMIT'], to: 'PENDING', effects: ['setError'] },
  { on: 'delete-db', from: [...ON_HOST_TRANSITIONAL, ...FAILURE_STATES, ...RESTING_ON_HOST, ...OFF_HOST, ...BUSY_OFF_HOST, ...NOT_PLACED], to: 'DONE' },
];

/** States where the VM uses its host's capacity (the host's CPU_USAGE, MEM_USAGE and RUNNING_VMS count it). */
export function holdsHost(state: StateName): boolean {
  const off: readonly StateName[] = [...NOT_PLACED, ...OFF_HOST, ...BUSY_OFF_HOST, 'DONE'];
  return !off.includes(state);
}

/** The *_FAILURE states (and CLONING_FAILURE). */
export function isFailureState(state: StateName): boolean {
  return state.endsWith('_FAILURE');
}
