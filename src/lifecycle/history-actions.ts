/** History ACTION numbers (include/VMActions.h), index = number. Removed ones keep their slot. */
export const HISTORY_ACTIONS = [
  'none', 'migrate', 'live-migrate', 'shutdown', 'shutdown-hard', 'undeploy', 'undeploy-hard', 'hold',
  'release', 'stop', 'suspend', 'resume', 'boot', 'delete', 'delete-recreate', 'reboot', 'reboot-hard',
  'resched', 'unresched', 'poweroff', 'poweroff-hard', 'disk-attach', 'disk-detach', 'nic-attach',
  'nic-detach', 'disk-snapshot-create', 'disk-snapshot-delete', 'terminate', 'terminate-hard',
  'disk-resize', 'deploy', 'chown', 'chmod', 'updateconf', 'rename', 'resize', 'update',
  'snapshot-create', 'snapshot-delete', 'snapshot-revert', 'disk-saveas', 'disk-snapshot-revert',
  'recover', 'retry', 'monitor', 'disk-snapshot-rename', 'alias-attach', 'alias-detach',
  'poweroff-migrate', 'poweroff-hard-migrate', 'backup', 'nic-update', 'backup-cancel', 'sched-add',
  'sched-update', 'sched-delete', 'sg-attach', 'sg-detach', 'pci-attach', 'pci-detach', 'restore', 'exec',
  'exec-retry', 'exec-cancel', 'vmgroup-add', 'vmgroup-del',
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

export function historyActionNumber(a: HistoryAction): number {
  return HISTORY_ACTIONS.indexOf(a);
}
