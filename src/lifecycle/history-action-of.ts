import type { EventName } from './events.js';
import type { HistoryAction } from './history-actions.js';

/** History ACTION names that differ from the event's name. */
const RENAMED: Partial<Record<EventName, HistoryAction>> = {
  'migrate-poweroff': 'poweroff-migrate',
  'migrate-poweroff-hard': 'poweroff-hard-migrate',
  success: 'recover',
  failure: 'recover',
  'delete-db': 'delete',
};

const MONITOR_EVENTS = new Set<EventName>(['monitor-running', 'monitor-poweroff', 'monitor-suspended', 'monitor-error', 'host-error']);

/** The history ACTION an event records when it touches a history record. */
export function historyActionOf(event: EventName): HistoryAction {
  if (MONITOR_EVENTS.has(event)) return 'monitor';
  return RENAMED[event] ?? (event as HistoryAction);
}
