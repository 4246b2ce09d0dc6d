import { describe, expect, it } from 'vitest';
import { USER_ACTIONS, type EventName } from './events.js';
import { historyActionOf } from './history-action-of.js';
import { HISTORY_ACTIONS, historyActionNumber } from './history-actions.js';
import { LIFECYCLE } from './table.js';

describe('historyActionOf', () => {
  it.each([
    ['migrate-poweroff', 'poweroff-migrate', 48], ['migrate-poweroff-hard', 'poweroff-hard-migrate', 49],
    ['success', 'recover', 42], ['failure', 'recover', 42], ['delete-db', 'delete', 13], ['delete-recreate', 'delete-recreate', 14],
    ['monitor-running', 'monitor', 44], ['monitor-poweroff', 'monitor', 44], ['host-error', 'monitor', 44],
    ['live-migrate', 'live-migrate', 2], ['terminate-hard', 'terminate-hard', 28], ['deploy', 'deploy', 30], ['retry', 'retry', 43],
  ] as [EventName, string, number][])('%s records %s (%i)', (event, action, number) => {
    expect(historyActionOf(event)).toBe(action);
    expect(historyActionNumber(historyActionOf(event))).toBe(number);
  });

  it('maps every event the table or one.vm.action knows to a history ACTION', () => {
    const events = new Set<EventName>([...USER_ACTIONS, ...LIFECYCLE.map((r) => r.on)]);
    expect([...events].filter((e) => !(HISTORY_ACTIONS as readonly string[]).includes(historyActionOf(e)))).toEqual([]);
  });
});
