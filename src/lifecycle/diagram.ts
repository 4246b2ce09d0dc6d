import type { EventName } from './events.js';
import { ALL_STATES, shortState, stateNumbers, VmState, type StateName } from './states.js';
import { isFailureState, LIFECYCLE, type Move } from './table.js';

/** One arrow of the diagram: what `event` does in `from`, for one row of the table. */
export interface Edge {
  from: StateName;
  to: StateName;
  event: EventName;
  label: string;
}

type Group = 'placement' | 'terminate' | 'pause' | 'migration' | 'hotplug' | 'diskSnapshots' | 'saveAs' | 'diskHotplug' | 'monitoring' | 'recover' | 'recreate' | 'forget';

const GROUPS: Record<Group, { title: string; caption: string }> = {
  placement: {
    title: 'Placement and boot',
    caption: 'Deploy, hold and release, resume, and the prolog and boot that follow, with their failures and retries; a VM instantiated to persistent waits in CLONING for its images.',
  },
  terminate: {
    title: 'Terminate',
    caption: 'terminate and terminate --hard: through SHUTDOWN and EPILOG for a guest on a host, at once for a VM never placed, through a cleanup from a failure state.',
  },
  pause: {
    title: 'Poweroff, undeploy, stop, suspend and reboot',
    caption: 'The guest is shut down or saved; its files stay on the host (poweroff, suspend) or go back to the datastore (undeploy, stop). A shutdown that fails leaves it RUNNING.',
  },
  migration: {
    title: 'Migration and rescheduling',
    caption: 'Cold migration (save, poweroff, poweroff-hard) from each resting state, live migration, and the RESCHED mark the scheduler acts on.',
  },
  hotplug: {
    title: 'Snapshots and resize',
    caption: 'System snapshots and live resize of a running guest through the driver; resize elsewhere changes the template only. A failure leaves the guest RUNNING as it was.',
  },
  diskSnapshots: {
    title: 'Disk snapshots',
    caption: 'Snapshots of one disk: live through the VMM while RUNNING, through the TM on the disk file in POWEROFF and SUSPENDED; revert in POWEROFF only. Either outcome returns to the state it started from; recover --delete, --recreate and --delete-db leave these states too.',
  },
  saveAs: {
    title: 'Disk save-as',
    caption: 'A disk copied into a new image: by the hypervisor while RUNNING, by the TM on the disk file where the VM\'s files are otherwise. Either outcome returns to the state it started from; recover --delete, --recreate and --delete-db leave these states too.',
  },
  diskHotplug: {
    title: 'Disk hotplug and resize',
    caption: 'A disk attached, detached or grown: live through the VMM (the TM making or removing the file around it) while RUNNING, by the TM alone in POWEROFF. A failure undoes the change in the template and returns to the state it started from; recover --delete, --recreate and --delete-db leave these states too.',
  },
  monitoring: {
    title: 'Monitoring',
    caption: 'What the hypervisor reports wins over what was believed; "(as success)" marks a report that settles the pending operation.',
  },
  recover: {
    title: 'Recover: delete',
    caption: '`onevm recover --delete` from every state that takes it and the cleanup it runs; `--success` and `--failure` in UNKNOWN.',
  },
  recreate: {
    title: 'Recover: recreate',
    caption: '`onevm recover --recreate`: the VM is cleaned up and goes back to PENDING with the same id.',
  },
  forget: {
    title: 'Recover: delete-db',
    caption: '`onevm recover --delete-db`: the VM is DONE at once and no driver is called.',
  },
};

/** The diagram an event's arrows go to; `byState` for outcomes and retries, which go with the state they settle. */
const GROUP_OF_EVENT: Record<EventName, Group | 'byState'> = {
  deploy: 'placement', hold: 'placement', release: 'placement', resume: 'placement',
  terminate: 'terminate', 'terminate-hard': 'terminate', poweroff: 'pause', 'poweroff-hard': 'pause',
  undeploy: 'pause', 'undeploy-hard': 'pause', stop: 'pause', suspend: 'pause', reboot: 'pause', 'reboot-hard': 'pause',
  migrate: 'migration', 'migrate-poweroff': 'migration', 'migrate-poweroff-hard': 'migration', 'live-migrate': 'migration',
  resched: 'migration', unresched: 'migration',
  'snapshot-create': 'hotplug', 'snapshot-revert': 'hotplug', 'snapshot-delete': 'hotplug', resize: 'hotplug',
  'disk-saveas': 'saveAs',
  'disk-attach': 'diskHotplug', 'disk-detach': 'diskHotplug', 'disk-resize': 'diskHotplug',
  'disk-snapshot-create': 'diskSnapshots', 'disk-snapshot-revert': 'diskSnapshots', 'disk-snapshot-delete': 'diskSnapshots',
  'monitor-running': 'monitoring', 'monitor-poweroff': 'monitoring', 'monitor-suspended': 'monitoring',
  'monitor-error': 'monitoring', 'host-error': 'monitoring',
  delete: 'recover', 'delete-recreate': 'recreate', 'delete-db': 'forget',
  success: 'byState', failure: 'byState', retry: 'byState',
};

/** For outcomes and retries: the diagram of the state they leave; the first matching rule wins. */
const GROUP_OF_STATE: [RegExp, Group][] = [
  [/^HOTPLUG_(SNAPSHOT|RESIZE)$/, 'hotplug'],
  [/^DISK_SNAPSHOT/, 'diskSnapshots'],
  [/^HOTPLUG_SAVEAS/, 'saveAs'],
  [/^(HOTPLUG|HOTPLUG_PROLOG_POWEROFF|HOTPLUG_EPILOG_POWEROFF|DISK_RESIZE.*)$/, 'diskHotplug'],
  [/^CLONING/, 'placement'],
  [/MIGRATE/, 'migration'],
  [/^(PROLOG|BOOT)/, 'placement'],
  [/^(SHUTDOWN|EPILOG|EPILOG_FAILURE)$/, 'terminate'],
  [/^(SHUTDOWN_|SAVE_|EPILOG_|RUNNING$)/, 'pause'],
  [/^(CLEANUP_DELETE|UNKNOWN)$/, 'recover'],
  [/^CLEANUP_RESUBMIT$/, 'recreate'],
];

/**
 * Groups of side operations whose states' way out by recover --delete, --recreate and --delete-db is drawn
 * with them, so that the recover diagrams stay readable as such operations are added.
 */
const OWN_RECOVERY = new Set<Group>(['diskSnapshots', 'saveAs', 'diskHotplug']);
const RECOVER_GROUPS = new Set<Group | 'byState'>(['recover', 'recreate', 'forget']);

function groupOf(edge: Edge): Group {
  const byEvent = GROUP_OF_EVENT[edge.event];
  const own = GROUP_OF_STATE.find(([re]) => re.test(edge.from))?.[1];
  if (RECOVER_GROUPS.has(byEvent) && own && OWN_RECOVERY.has(own)) return own;
  if (byEvent !== 'byState') return byEvent;
  const rule = GROUP_OF_STATE.find(([re]) => re.test(edge.from));
  if (!rule) throw new Error(`diagram: no group for "${edge.event}" from ${edge.from}; add a rule to GROUP_OF_STATE in src/lifecycle/diagram.ts`);
  return rule[1];
}

const describeMove = (on: string, move: Move) =>
  [on, move.when ? ` if ${move.when}` : '', move.run?.length ? ` / ${move.run.join(', ')}` : '', move.at ? ` at ${move.at}` : ''].join('');

/** The moves an alias stands for in `state`: its event's rows there, up to the first unguarded one. */
function aliasTargets(event: EventName, state: StateName): Move[] {
  const rows = LIFECYCLE.filter((r): r is Move => 'to' in r && r.on === event && r.from.includes(state));
  const last = rows.findIndex((r) => !r.when);
  return last < 0 ? rows : rows.slice(0, last + 1);
}

/**
 * Every arrow the table draws, in table order: one per (from, to, event); a row hidden for a state by an
 * earlier unguarded row of the same event is left out, as the machine never takes it.
 */
export function edges(): Edge[] {
  const out = new Map<string, Edge>();
  const settled = new Set<string>();
  const add = (edge: Edge) => {
    const key = `${edge.from}|${edge.to}|${edge.event}`;
    if (!out.has(key)) out.set(key, edge);
  };
  for (const row of LIFECYCLE) {
    for (const from of row.from) {
      const slot = `${row.on}|${from}`;
      if (settled.has(slot)) continue;
      if ('same' in row) {
        for (const move of aliasTargets(row.same, from)) add({ from, to: move.to, event: row.on, label: describeMove(`${row.on} (as ${row.same})`, move) });
        settled.add(slot);
      } else {
        add({ from, to: row.to, event: row.on, label: describeMove(row.on, row) });
        if (!row.when) settled.add(slot);
      }
    }
  }
  return [...out.values()];
}

function mermaid(list: Edge[]): string {
  const failures = [...new Set(list.flatMap((e) => [e.from, e.to]))].filter(isFailureState);
  return [
    '```mermaid',
    'stateDiagram-v2',
    ...list.map((e) => `    ${e.from} --> ${e.to} : ${e.label}`),
    ...(failures.length ? ['    classDef failure fill:#f8d7da,stroke:#a33', `    class ${failures.join(',')} failure`] : []),
    '```',
  ].join('\n');
}

/** The events with a row from `state`, sorted. */
function leavesOn(state: StateName): string {
  const events = [...new Set(LIFECYCLE.filter((r) => r.from.includes(state)).map((r) => r.on))].sort();
  return events.length ? events.join(', ') : '—';
}

function statesTable(): string {
  const rows = ALL_STATES.map((s) => {
    const { state, lcm } = stateNumbers(s);
    return `| ${s} | ${state} | ${state === VmState.ACTIVE ? lcm : '—'} | ${shortState(state, lcm)} | ${leavesOn(s)} |`;
  });
  return ['| State | STATE | LCM_STATE | STAT | Left on |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The VM life cycle as Markdown: Mermaid diagrams drawn from LIFECYCLE, and a table of every state. */
export function stateDiagram(): string {
  const all = edges();
  const sections = (Object.keys(GROUPS) as Group[]).map((g) => {
    const list = all.filter((e) => groupOf(e) === g);
    return `## ${GROUPS[g].title}\n\n${GROUPS[g].caption}\n\n${mermaid(list)}\n`;
  });
  return [
    '# VM life cycle',
    '',
    'Generated from `src/lifecycle/table.ts` by `npm run build && npm run diagram`; do not edit by hand.',
    '',
    'Each arrow is one row of the table for one state, labelled `event [if guard] [/ driver operations started on',
    'arrival] [at source]`. `success` and `failure` are the outcome of the pending driver operation, or what',
    '`onevm recover --success/--failure` pretend; `retry` is `onevm recover --retry`. Failure states are shaded.',
    '',
    ...sections,
    '## States',
    '',
    'OpenNebula\'s numbers (STATE, and LCM_STATE while ACTIVE), the short name of the STAT column, and the events',
    'the table takes in each state (— where it has no rows).',
    '',
    statesTable(),
    '',
  ].join('\n');
}
