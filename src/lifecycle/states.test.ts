import { describe, expect, it } from 'vitest';
import { ALL_STATES, shortState, stateName, stateNumbers, type StateName } from './states.js';

/** §2.2: the STAT column's short name of every state, as OpenNebula groups them. */
const SHORT: Record<string, StateName[]> = {
  init: ['INIT'], pend: ['PENDING'], hold: ['HOLD'], stop: ['STOPPED'], susp: ['SUSPENDED'], done: ['DONE'],
  poff: ['POWEROFF'], unde: ['UNDEPLOYED'], clon: ['CLONING'],
  prol: ['PROLOG', 'PROLOG_RESUME', 'PROLOG_UNDEPLOY'],
  boot: ['BOOT', 'BOOT_UNKNOWN', 'BOOT_POWEROFF', 'BOOT_SUSPENDED', 'BOOT_STOPPED', 'BOOT_UNDEPLOY', 'BOOT_MIGRATE'],
  runn: ['RUNNING'],
  migr: ['MIGRATE', 'PROLOG_MIGRATE', 'PROLOG_MIGRATE_POWEROFF', 'PROLOG_MIGRATE_SUSPEND', 'PROLOG_MIGRATE_UNKNOWN'],
  save: ['SAVE_STOP', 'SAVE_SUSPEND', 'SAVE_MIGRATE'],
  epil: ['EPILOG', 'EPILOG_STOP', 'EPILOG_UNDEPLOY'],
  shut: ['SHUTDOWN', 'SHUTDOWN_POWEROFF', 'SHUTDOWN_UNDEPLOY'],
  clea: ['CLEANUP_RESUBMIT', 'CLEANUP_DELETE'],
  unkn: ['UNKNOWN'],
  hotp: [
    'HOTPLUG', 'HOTPLUG_NIC', 'HOTPLUG_SAVEAS', 'HOTPLUG_SAVEAS_POWEROFF', 'HOTPLUG_SAVEAS_SUSPENDED',
    'HOTPLUG_SAVEAS_UNDEPLOYED', 'HOTPLUG_SAVEAS_STOPPED', 'HOTPLUG_PROLOG_POWEROFF', 'HOTPLUG_EPILOG_POWEROFF',
    'HOTPLUG_NIC_POWEROFF', 'HOTPLUG_RESIZE',
  ],
  snap: [
    'HOTPLUG_SNAPSHOT', 'DISK_SNAPSHOT', 'DISK_SNAPSHOT_DELETE', 'DISK_SNAPSHOT_POWEROFF', 'DISK_SNAPSHOT_REVERT_POWEROFF',
    'DISK_SNAPSHOT_DELETE_POWEROFF', 'DISK_SNAPSHOT_SUSPENDED', 'DISK_SNAPSHOT_DELETE_SUSPENDED',
  ],
  drsz: ['DISK_RESIZE', 'DISK_RESIZE_POWEROFF', 'DISK_RESIZE_UNDEPLOYED'],
  back: ['BACKUP', 'BACKUP_POWEROFF'],
  rest: ['RESTORE'],
  fail: ALL_STATES.filter((s) => s.endsWith('_FAILURE')),
};
const EXPECTED = Object.entries(SHORT).flatMap(([short, states]) => states.map((s) => [s, short] as const));

describe('states', () => {
  it('gives every state exactly one short name', () => {
    expect(EXPECTED.map(([s]) => s).sort()).toEqual([...ALL_STATES].sort());
  });

  it.each(EXPECTED)('%s is shown as %s', (state, short) => {
    const { state: s, lcm } = stateNumbers(state);
    expect(shortState(s, lcm)).toBe(short);
  });

  it.each(ALL_STATES)('%s survives the round trip through its numbers', (state) => {
    const { state: s, lcm } = stateNumbers(state);
    expect(stateName(s, lcm)).toBe(state);
  });

  // §2.1: 7 (FAILED) and LCM 13, 14, 55, 58 were removed upstream.
  it.each([[7, 0], [3, 13], [3, 14], [3, 55], [3, 58]])('refuses STATE %i, LCM_STATE %i', (s, lcm) => {
    expect(() => stateName(s, lcm)).toThrow();
    expect(shortState(s, lcm)).toBe('-');
  });

  it('has no table name for an ACTIVE VM in LCM_INIT, which the CLI still shows as init', () => {
    expect(() => stateName(3, 0)).toThrow();
    expect(shortState(3, 0)).toBe('init');
  });
});
