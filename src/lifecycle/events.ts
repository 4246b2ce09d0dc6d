import type { TmAction, VmmAction } from '../drivers/types.js';

/** The actions of `one.vm.action`, in OpenNebula's spelling. */
export const USER_ACTIONS = [
  'terminate', 'terminate-hard', 'undeploy', 'undeploy-hard', 'poweroff', 'poweroff-hard', 'reboot',
  'reboot-hard', 'hold', 'release', 'stop', 'suspend', 'resume', 'resched', 'unresched',
] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

/** Placement events: deploy (one.vm.deploy or the scheduler) and the four kinds of migration. */
export type PlacementEvent = 'deploy' | 'migrate' | 'migrate-poweroff' | 'migrate-poweroff-hard' | 'live-migrate';

/** The outcome of the pending driver operation (also what `recover --success/--failure` pretend). */
export type OutcomeEvent = 'success' | 'failure';

/** What `one.vm.recover` asks beyond success/failure. */
export type RecoverEvent = 'retry' | 'delete' | 'delete-recreate' | 'delete-db';

/**
 * Changes to a running guest with an API call of their own (one.vm.snapshot*, one.vm.resize,
 * one.vm.disksaveas); the core marks what they work on in the VM's template before it takes the event.
 */
export type HotplugEvent = 'snapshot-create' | 'snapshot-revert' | 'snapshot-delete' | 'resize' | 'disk-saveas';

/**
 * Disk snapshots (one.vm.disksnapshot*): the core marks the operation in the disk's snapshot tree
 * (`pending`) before it takes the event; rename changes only the tree and is no event.
 */
export type DiskSnapshotEvent = 'disk-snapshot-create' | 'disk-snapshot-revert' | 'disk-snapshot-delete';

/**
 * Disks plugged in or out (one.vm.attach, one.vm.detach) and grown (one.vm.diskresize): the core marks the
 * disk the driver works on before it takes the event.
 */
export type DiskHotplugEvent = 'disk-attach' | 'disk-detach' | 'disk-resize';

/** What monitoring reports about a guest, or about its host. */
export type MonitorEvent =
  | 'monitor-running' | 'monitor-poweroff' | 'monitor-suspended' | 'monitor-error' | 'host-error';

export type EventName = UserAction | PlacementEvent | OutcomeEvent | RecoverEvent | HotplugEvent | MonitorEvent | DiskSnapshotEvent | DiskHotplugEvent;

/** A driver operation the table can start: `vmm.<action>` or `tm.<action>`. */
export type Operation = `vmm.${VmmAction}` | `tm.${TmAction}`;
