import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newHistory, type Placement } from '../domain/history.js';
import { newVm } from '../domain/vm-new.js';
import type { Vm } from '../domain/vm.js';
import { edges, stateDiagram } from './diagram.js';
import { historyActionNumber, type HistoryAction } from './history-actions.js';
import { findMove } from './machine.js';
import { ALL_STATES, shortState, stateNumbers, type StateName } from './states.js';
import { LIFECYCLE } from './table.js';

const HOST: Placement = { hostname: 'host-a', hid: 1, cid: 0, vmMad: 'kvm', tmMad: 'ssh', dsId: 0 };
const OWNER = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };

/** A VM in `state` whose last record says `last` and the one before it `before` (what the guards read). */
/** A VM in `state` whose last two records name `before` and `last`, held before it (the guards read these). */
function vmIn(state: StateName, before: HistoryAction, last: HistoryAction, held = false): Vm {
  const { state: s, lcm } = stateNumbers(state);
  const vm = newVm({ id: 1, template: [{ name: 'MEMORY', value: '64' }, { name: 'CPU', value: '1' }], owner: OWNER, hold: false, now: 0 });
  const first = { ...newHistory(undefined, HOST, 0), action: historyActionNumber(before) };
  const prevState = held ? stateNumbers('HOLD').state : vm.prevState;
  return { ...vm, state: s, lcmState: lcm, prevState, history: [first, { ...newHistory(first, HOST, 0), action: historyActionNumber(last) }] };
}

const HISTORIES: [HistoryAction, HistoryAction][] = [['none', 'none'], ['none', 'stop'], ['none', 'undeploy'], ['migrate', 'none']];
const EVENTS = [...new Set(LIFECYCLE.map((r) => r.on))];
const triple = (from: string, to: string, event: string) => `${from} --> ${to} : ${event}`;

describe('docs/state-diagram.md', () => {
  it('is what the table draws today', () => {
    const doc = readFileSync(new URL('../../docs/state-diagram.md', import.meta.url), 'utf8');
    expect(doc, 'docs/state-diagram.md is out of date: run `npm run build && npm run diagram`').toBe(stateDiagram());
  });
});

describe('stateDiagram', () => {
  const doc = stateDiagram();
  const drawn = doc.split('\n').filter((l) => l.includes(' --> ')).map((l) => l.trim());

  it('draws every edge exactly once', () => {
    const expected = edges().map((e) => `${e.from} --> ${e.to} : ${e.label}`);
    expect(drawn.sort()).toEqual(expected.sort());
    expect(new Set(edges().map((e) => triple(e.from, e.to, e.event))).size).toBe(edges().length);
  });

  it('has an edge for every move the machine makes, and no other', () => {
    const taken = new Set<string>();
    for (const state of ALL_STATES) {
      for (const [before, last] of HISTORIES) {
        for (const held of [false, true]) {
          for (const event of EVENTS) {
            const move = findMove(vmIn(state, before, last, held), event);
            if (move) taken.add(triple(state, move.to, event));
          }
        }
      }
    }
    expect(new Set(edges().map((e) => triple(e.from, e.to, e.event)))).toEqual(taken);
  });

  it('labels an edge with its event, guard, driver operations and where they run', () => {
    expect(drawn).toContain('PENDING --> PROLOG : deploy / tm.prolog');
    expect(drawn).toContain('STOPPED --> PROLOG_RESUME : deploy if afterStop / tm.prolog_resume');
    expect(drawn).toContain('RUNNING --> SAVE_MIGRATE : migrate / vmm.save at source');
    expect(drawn).toContain('BOOT_FAILURE --> CLEANUP_DELETE : terminate / vmm.cleanup, tm.epilog_delete');
  });

  it('draws an alias as its own edge, to where the event it stands for goes', () => {
    expect(drawn).toContain('BOOT --> RUNNING : monitor-running (as success)');
    expect(drawn).toContain('SHUTDOWN --> EPILOG : monitor-poweroff (as success) / tm.epilog');
  });

  it('splits the edges over a few captioned diagrams', () => {
    const diagrams = doc.split('```mermaid\nstateDiagram-v2\n').slice(1);
    expect(diagrams.length).toBeGreaterThan(3);
    for (const d of diagrams) expect(d.split('```')[0].split('\n').filter((l) => l.includes(' --> ')).length).toBeLessThanOrEqual(60);
    expect(doc.match(/^## .+\n\n\S.+\n\n```mermaid$/gm)?.length).toBe(diagrams.length);
  });

  it.each(ALL_STATES)('lists %s with its numbers and STAT short name', (state) => {
    const { state: s, lcm } = stateNumbers(state);
    const row = doc.split('\n').find((l) => l.startsWith(`| ${state} |`));
    expect(row).toBeDefined();
    expect(row!.split(' | ').slice(1, 4)).toEqual([String(s), s === 3 ? String(lcm) : '—', shortState(s, lcm)]);
  });

  it('says which events a state takes, and marks the states the table has no rows for', () => {
    expect(doc).toContain('| HOLD | 2 | — | hold | delete, delete-db, delete-recreate, deploy, release, resize, terminate, terminate-hard |');
    expect(doc).toContain('| HOTPLUG_NIC | 3 | 25 | hotp | — |');
  });
});

