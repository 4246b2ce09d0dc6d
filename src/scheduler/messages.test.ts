import { describe, expect, it } from 'vitest';
import { badExpressionMessage, dispatchLimitMessage, noHostMessage } from './messages.js';
import { SCHED_REQUIREMENTS_NOT_MET, capacityTest, hostStateReason, type Capacity, type Reason } from './reasons.js';

const DISABLED = hostStateReason(4)!;

/** Hosts host<id> (id) with their reasons, free capacity 0 unless given. */
function message(rows: [number, Reason, Capacity?, string?][]): string {
  const hosts = rows.map(([id, , , name]) => ({ id, name: name ?? `host${id}` }));
  return noHostMessage(hosts, rows.map(([, r]) => r), (i) => rows[i][2] ?? { cpu: 0, mem: 0 });
}

const cpuShort = capacityTest({ cpu: 100, mem: 0 })(0, 0)!;

describe('noHostMessage', () => {
  it('lists few hosts one by one with their reason', () => {
    expect(message([[0, cpuShort, { cpu: 50, mem: 10 }], [1, SCHED_REQUIREMENTS_NOT_MET], [2, DISABLED]])).toBe(
      'Cannot dispatch VM: host0 (0): not enough CPU (need 100, free 50); host1 (1): SCHED_REQUIREMENTS not met; ' +
        'host2 (2): disabled',
    );
  });

  it('groups many hosts by reason, the most common first, naming a few of each', () => {
    const rows: [number, Reason][] = [
      [0, DISABLED],
      ...Array.from({ length: 10 }, (_, i): [number, Reason] => [i + 1, cpuShort]),
      [11, SCHED_REQUIREMENTS_NOT_MET],
      [12, SCHED_REQUIREMENTS_NOT_MET],
    ];
    expect(message(rows)).toBe(
      'Cannot dispatch VM: not enough CPU (need 100): 10 hosts, e.g. host1 (1), host2 (2), host3 (3); ' +
        'SCHED_REQUIREMENTS not met: host11 (11), host12 (12); disabled: host0 (0)',
    );
  });

  it('stays under about 1 KB for thousands of hosts with long names', () => {
    const msg = message(
      Array.from({ length: 2000 }, (_, i): [number, Reason, undefined, string] => [
        i, { key: `reason number ${i % 50}`, text: () => 'x' }, undefined, `a-very-long-host-name-in-a-big-datacenter-${i}`,
      ]),
    );
    expect(msg.length).toBeLessThanOrEqual(1000);
    expect(msg).toMatch(/^Cannot dispatch VM: reason number 0: 40 hosts, e\.g\. /);
    expect(msg.endsWith('...')).toBe(true);
  });

  it('says so when there are no hosts at all', () => {
    expect(message([])).toBe("Cannot dispatch VM: there are no hosts; add one with 'onehost create'");
  });
});

describe('other messages', () => {
  it('names the dispatch limit', () => {
    expect(dispatchLimitMessage(30)).toContain('MAX_DISPATCH = 30');
  });

  it('quotes the bad expression, the parser and the fix', () => {
    expect(badExpressionMessage('SCHED_REQUIREMENTS', 'CPU >', 'expected a value at column 5', 'fix it')).toBe(
      'Cannot dispatch VM: SCHED_REQUIREMENTS "CPU >" is not a valid expression (expected a value at column 5); fix it',
    );
  });
});

describe('capacityTest', () => {
  const test = capacityTest({ cpu: 200, mem: 2048 });

  it('passes when both fit, exactly fitting included', () => {
    expect(test(200, 2048)).toBeUndefined();
  });

  it('names CPU, memory, or both, with what is needed and what is free', () => {
    expect(test(100, 4096)?.text({ cpu: 100, mem: 4096 })).toBe('not enough CPU (need 200, free 100)');
    expect(test(400, 1024)?.text({ cpu: 400, mem: 1024 })).toBe('not enough memory (need 2048 KB, free 1024 KB)');
    const both = test(100, 1024)!;
    expect(both.key).toBe('not enough CPU (need 200) and memory (need 2048 KB)');
    expect(both.text({ cpu: 100, mem: 1024 })).toBe(
      'not enough CPU (need 200, free 100) and memory (need 2048 KB, free 1024 KB)',
    );
  });
});

describe('hostStateReason', () => {
  it.each([[0, 'not monitored yet'], [3, 'in error (monitoring fails)'], [4, 'disabled'], [8, 'offline'], [1, 'not monitored (state 1)']])(
    'explains state %i',
    (state, text) => {
      expect(hostStateReason(state)?.text({ cpu: 0, mem: 0 })).toBe(text);
    },
  );

  it('has nothing to say about a MONITORED host', () => {
    expect(hostStateReason(2)).toBeUndefined();
  });
});
