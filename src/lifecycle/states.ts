/** VM_STATE numbers (include/VirtualMachine.h). 7 (FAILED) was removed upstream and is never used. */
export const VmState = {
  INIT: 0, PENDING: 1, HOLD: 2, ACTIVE: 3, STOPPED: 4, SUSPENDED: 5, DONE: 6,
  POWEROFF: 8, UNDEPLOYED: 9, CLONING: 10, CLONING_FAILURE: 11,
} as const;
export type VmStateName = keyof typeof VmState;

/** LCM_STATE numbers; only meaningful while VM_STATE is ACTIVE. Removed values are left out. */
export const LcmState = {
  LCM_INIT: 0, PROLOG: 1, BOOT: 2, RUNNING: 3, MIGRATE: 4, SAVE_STOP: 5, SAVE_SUSPEND: 6,
  SAVE_MIGRATE: 7, PROLOG_MIGRATE: 8, PROLOG_RESUME: 9, EPILOG_STOP: 10, EPILOG: 11, SHUTDOWN: 12,
  CLEANUP_RESUBMIT: 15, UNKNOWN: 16, HOTPLUG: 17, SHUTDOWN_POWEROFF: 18, BOOT_UNKNOWN: 19,
  BOOT_POWEROFF: 20, BOOT_SUSPENDED: 21, BOOT_STOPPED: 22, CLEANUP_DELETE: 23, HOTPLUG_SNAPSHOT: 24,
  HOTPLUG_NIC: 25, HOTPLUG_SAVEAS: 26, HOTPLUG_SAVEAS_POWEROFF: 27, HOTPLUG_SAVEAS_SUSPENDED: 28,
  SHUTDOWN_UNDEPLOY: 29, EPILOG_UNDEPLOY: 30, PROLOG_UNDEPLOY: 31, BOOT_UNDEPLOY: 32,
  HOTPLUG_PROLOG_POWEROFF: 33, HOTPLUG_EPILOG_POWEROFF: 34, BOOT_MIGRATE: 35, BOOT_FAILURE: 36,
  BOOT_MIGRATE_FAILURE: 37, PROLOG_MIGRATE_FAILURE: 38, PROLOG_FAILURE: 39, EPILOG_FAILURE: 40,
  EPILOG_STOP_FAILURE: 41, EPILOG_UNDEPLOY_FAILURE: 42, PROLOG_MIGRATE_POWEROFF: 43,
  PROLOG_MIGRATE_POWEROFF_FAILURE: 44, PROLOG_MIGRATE_SUSPEND: 45, PROLOG_MIGRATE_SUSPEND_FAILURE: 46,
  BOOT_UNDEPLOY_FAILURE: 47, BOOT_STOPPED_FAILURE: 48, PROLOG_RESUME_FAILURE: 49,
  PROLOG_UNDEPLOY_FAILURE: 50, DISK_SNAPSHOT_POWEROFF: 51, DISK_SNAPSHOT_REVERT_POWEROFF: 52,
  DISK_SNAPSHOT_DELETE_POWEROFF: 53, DISK_SNAPSHOT_SUSPENDED: 54, DISK_SNAPSHOT_DELETE_SUSPENDED: 56,
  DISK_SNAPSHOT: 57, DISK_SNAPSHOT_DELETE: 59, PROLOG_MIGRATE_UNKNOWN: 60,
  PROLOG_MIGRATE_UNKNOWN_FAILURE: 61, DISK_RESIZE: 62, DISK_RESIZE_POWEROFF: 63,
  DISK_RESIZE_UNDEPLOYED: 64, HOTPLUG_NIC_POWEROFF: 65, HOTPLUG_RESIZE: 66,
  HOTPLUG_SAVEAS_UNDEPLOYED: 67, HOTPLUG_SAVEAS_STOPPED: 68, BACKUP: 69, BACKUP_POWEROFF: 70, RESTORE: 71,
} as const;
export type LcmStateName = keyof typeof LcmState;

/**
 * The one name the lifecycle table uses for where a VM is: the VM_STATE name when the VM is not
 * ACTIVE, the LCM_STATE name when it is (the two sets of names do not overlap).
 */
export type StateName = Exclude<VmStateName, 'ACTIVE'> | Exclude<LcmStateName, 'LCM_INIT'>;

const VM_BY_NUMBER = new Map<number, VmStateName>(
  Object.entries(VmState).map(([k, v]) => [v, k as VmStateName]),
);
const LCM_BY_NUMBER = new Map<number, LcmStateName>(
  Object.entries(LcmState).map(([k, v]) => [v, k as LcmStateName]),
);

export function vmStateName(n: number): VmStateName | undefined {
  return VM_BY_NUMBER.get(n);
}
export function lcmStateName(n: number): LcmStateName | undefined {
  return LCM_BY_NUMBER.get(n);
}

/** The table's name for a (STATE, LCM_STATE) pair. */
export function stateName(state: number, lcm: number): StateName {
  const vm = vmStateName(state);
  if (vm === undefined) throw new Error(`unknown VM state ${state}`);
  if (vm !== 'ACTIVE') return vm;
  const l = lcmStateName(lcm);
  if (l === undefined || l === 'LCM_INIT') throw new Error(`unknown LCM state ${lcm} for an ACTIVE VM`);
  return l;
}

/** The (STATE, LCM_STATE) numbers of a table state name. */
export function stateNumbers(name: StateName): { state: number; lcm: number } {
  if (name in VmState) return { state: VmState[name as VmStateName], lcm: 0 };
  return { state: VmState.ACTIVE, lcm: LcmState[name as LcmStateName] };
}

export const ALL_STATES: StateName[] = [
  ...(Object.keys(VmState) as VmStateName[]).filter((n) => n !== 'ACTIVE'),
  ...(Object.keys(LcmState) as LcmStateName[]).filter((n) => n !== 'LCM_INIT'),
] as StateName[];

/** Short VM_STATE names of the CLI's STAT column. */
export const VM_SHORT: Record<VmStateName, string> = {
  INIT: 'init', PENDING: 'pend', HOLD: 'hold', ACTIVE: 'actv', STOPPED: 'stop', SUSPENDED: 'susp',
  DONE: 'done', POWEROFF: 'poff', UNDEPLOYED: 'unde', CLONING: 'clon', CLONING_FAILURE: 'fail',
};

/** Short LCM_STATE names, by pattern as OpenNebula groups them; the first matching rule wins. */
const LCM_SHORT_RULES: [RegExp, string][] = [
  [/_FAILURE$/, 'fail'],
  [/^LCM_INIT$/, 'init'],
  [/^PROLOG_MIGRATE/, 'migr'],
  [/^MIGRATE$/, 'migr'],
  [/^PROLOG/, 'prol'],
  [/^BOOT/, 'boot'],
  [/^RUNNING$/, 'runn'],
  [/^SAVE_/, 'save'],
  [/^EPILOG/, 'epil'],
  [/^SHUTDOWN/, 'shut'],
  [/^CLEANUP_/, 'clea'],
  [/^UNKNOWN$/, 'unkn'],
  [/^(HOTPLUG_SNAPSHOT|DISK_SNAPSHOT)/, 'snap'],
  [/^HOTPLUG/, 'hotp'],
  [/^DISK_RESIZE/, 'drsz'],
  [/^BACKUP/, 'back'],
  [/^RESTORE$/, 'rest'],
];

export function lcmShortName(name: LcmStateName): string {
  for (const [re, short] of LCM_SHORT_RULES) if (re.test(name)) return short;
  return name.toLowerCase().slice(0, 4);
}

/** The STAT column: the LCM short name while ACTIVE, the VM short name otherwise. */
export function shortState(state: number, lcm: number): string {
  const vm = vmStateName(state);
  if (vm === undefined) return '-';
  if (vm !== 'ACTIVE') return VM_SHORT[vm];
  const l = lcmStateName(lcm);
  return l === undefined ? '-' : lcmShortName(l);
}
