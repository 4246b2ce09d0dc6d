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

/** What monitoring reports about a guest, or about its host. */
export type MonitorEvent =
  | 'monitor-running' | 'monitor-poweroff' | 'monitor-suspended' | 'monitor-error' | 'host-error';

export type EventName = UserAction | PlacementEvent | OutcomeEvent | RecoverEvent | MonitorEvent;

/** A driver operation the table can start: `vmm.<action>` or `tm.<action>`. */
export type Operation = `vmm.${VmmAction}` | `tm.${TmAction}`;
