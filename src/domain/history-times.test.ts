import { describe, expect, it } from 'vitest';
import type { StateName } from '../lifecycle/states.js';
import { closeHistory, stampHistory } from './history-times.js';
import { newHistory, type History } from './history.js';

const HOST = { hostname: 'host-a', hid: 1, cid: 0, vmMad: 'kvm', tmMad: 'ssh', dsId: 0 };
const NOW = 5000;
const record = (times: Partial<History> = {}): History => ({ ...newHistory(undefined, HOST, 1000), ...times });

type Times = Pick<History, 'pstime' | 'petime' | 'rstime' | 'retime' | 'estime' | 'eetime' | 'etime'>;

describe('stampHistory', () => {
  // [from, to, times before, times the change sets]
  it.each([
    ['PENDING', 'PROLOG', {}, { pstime: NOW }],
    ['STOPPED', 'PROLOG_RESUME', {}, { pstime: NOW }],
    ['RUNNING', 'PROLOG_MIGRATE_POWEROFF', {}, { pstime: NOW }],
    ['PROLOG_FAILURE', 'PROLOG', { pstime: 1, petime: 2 }, { pstime: NOW }],
    ['PROLOG', 'BOOT', { pstime: 1 }, { petime: NOW }],
    ['PROLOG', 'PROLOG_FAILURE', { pstime: 1 }, { petime: NOW }],
    ['PROLOG_MIGRATE_SUSPEND', 'SUSPENDED', { pstime: 1, rstime: 3 }, { petime: NOW, retime: NOW }],
    ['BOOT', 'RUNNING', {}, { rstime: NOW }],
    ['MIGRATE', 'RUNNING', { rstime: 3 }, {}],
    ['RUNNING', 'POWEROFF', { rstime: 3 }, { retime: NOW }],
    ['RUNNING', 'SUSPENDED', { rstime: 3, retime: 4 }, {}],
    ['BOOT_POWEROFF', 'POWEROFF', {}, {}],
    ['SHUTDOWN', 'EPILOG', { rstime: 3 }, { estime: NOW, retime: NOW }],
    ['POWEROFF', 'EPILOG_UNDEPLOY', {}, { estime: NOW }],
    ['EPILOG', 'EPILOG_FAILURE', { estime: 1 }, { eetime: NOW }],
    ['EPILOG', 'DONE', { rstime: 3, estime: 4 }, { eetime: NOW, retime: NOW, etime: NOW }],
    ['EPILOG_STOP', 'STOPPED', { rstime: 3, estime: 4 }, { eetime: NOW, retime: NOW, etime: NOW }],
    ['CLEANUP_RESUBMIT', 'PENDING', { rstime: 3 }, { retime: NOW, etime: NOW }],
    ['RUNNING', 'DONE', { rstime: 3, etime: 9 }, { retime: NOW }],
  ] as [StateName, StateName, Partial<Times>, Partial<Times>][])('%s -> %s stamps what it should and nothing else', (from, to, before, set) => {
    const h = record(before);
    expect(stampHistory(h, from, to, NOW)).toEqual({ ...h, ...set });
  });

  it('changes nothing, and returns the same record, when the state does not change', () => {
    const h = record({ rstime: 3 });
    expect(stampHistory(h, 'RUNNING', 'RUNNING', NOW)).toBe(h);
  });

  it('never changes the record it is given', () => {
    const h = Object.freeze(record({ pstime: 1 }));
    expect(() => stampHistory(h, 'PROLOG', 'BOOT', NOW)).not.toThrow();
    expect(h.petime).toBe(0);
  });
});

describe('closeHistory', () => {
  it('ends the stay now, and every period still open', () => {
    expect(closeHistory(record({ pstime: 1, rstime: 2, estime: 3 }), NOW)).toMatchObject({
      etime: NOW, petime: NOW, retime: NOW, eetime: NOW,
    });
  });

  it('leaves periods that never started, or already ended, as they were', () => {
    expect(closeHistory(record({ pstime: 1, petime: 2, rstime: 3, retime: 4, etime: 6 }), NOW)).toMatchObject({
      etime: 6, petime: 2, retime: 4, estime: 0, eetime: 0,
    });
    expect(closeHistory(record(), NOW)).toMatchObject({ etime: NOW, petime: 0, retime: 0, eetime: 0 });
  });
});
