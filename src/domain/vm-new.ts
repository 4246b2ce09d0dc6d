import { parseRank } from '../template/rank.js';
import { parseRequirements } from '../template/requirements.js';
import { getNumber, getSingle } from '../template/access.js';
import type { Attribute, Template } from '../template/types.js';
import { ErrorCode, OneError } from './errors.js';
import { checkName } from './names.js';
import { DEFAULT_PERMISSIONS, type Requester } from './permissions.js';
import type { Vm } from './vm.js';
import { VmState } from '../lifecycle/states.js';

/** Attributes that live in the system TEMPLATE; everything else goes to USER_TEMPLATE (VirtualMachine::insert). */
const SYSTEM_ATTRIBUTES = new Set([
  'NAME', 'MEMORY', 'CPU', 'VCPU', 'CPU_COST', 'MEMORY_COST', 'DISK_COST', 'MEMORY_MAX', 'MEMORY_SLOTS',
  'MEMORY_RESIZE_MODE', 'VCPU_MAX', 'DISK', 'NIC', 'NIC_ALIAS', 'NIC_DEFAULT', 'CONTEXT', 'OS', 'FEATURES',
  'GRAPHICS', 'VIDEO', 'INPUT', 'RAW', 'TOPOLOGY', 'NUMA_NODE', 'PCI', 'EMULATOR', 'CPU_MODEL', 'TEMPLATE_ID',
  'SCHED_ACTION', 'VMGROUP', 'SECURITY_GROUP_RULE', 'SNAPSHOT', 'BACKUP_CONFIG', 'HYPERVISOR', 'AUTOMATIC_REQUIREMENTS',
  'AUTOMATIC_DS_REQUIREMENTS', 'AUTOMATIC_NIC_REQUIREMENTS', 'VMID', 'TM_MAD_SYSTEM',
]);

/** Requirements every VM gets: the default cluster, no public cloud, no pinned hosts. */
const AUTOMATIC_REQUIREMENTS = '(CLUSTER_ID = 0) & !(PUBLIC_CLOUD = YES) & !(PIN_POLICY = PINNED)';

export interface NewVmInput {
  id: number;
  template: Template;
  owner: Requester;
  /** Name given by the caller (instantiate); else the template's NAME; else `<fallbackPrefix>-<id>`. */
  name?: string;
  fallbackPrefix?: string;
  hold: boolean;
  now: number;
}

function positive(t: Template, name: string, integer: boolean, required: boolean): void {
  const raw = getSingle(t, name);
  if (raw === undefined) {
    if (required) throw new OneError(ErrorCode.ALLOCATE, `${name} attribute is missing: give the VM its ${name === 'MEMORY' ? 'memory in MB' : 'CPU share'}, e.g. ${name} = ${name === 'MEMORY' ? '512' : '1'}.`);
    return;
  }
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new OneError(ErrorCode.ALLOCATE, `${name} attribute must be a positive ${integer ? 'integer' : 'number'}, got "${raw}".`);
  }
}

function checkExpression(t: Template, name: string, parse: (expr: string) => unknown): void {
  const expr = getSingle(t, name);
  if (expr === undefined) return;
  try {
    parse(expr);
  } catch (e) {
    throw new OneError(ErrorCode.ALLOCATE, `${name} is not a valid expression: ${(e as Error).message}`);
  }
}

/** Numbers DISK and NIC vectors (DISK_ID, NIC_ID) in order. */
function numberDevices(attrs: Attribute[]): Attribute[] {
  const next: Record<string, number> = { DISK: 0, NIC: 0, NIC_ALIAS: 0 };
  return attrs.map((a) => {
    if (typeof a.value === 'string' || !(a.name in next)) return a;
    const idKey = a.name === 'DISK' ? 'DISK_ID' : 'NIC_ID';
    const n = a.name === 'NIC_ALIAS' ? next.NIC++ : next[a.name]++;
    return { name: a.name, value: { ...a.value, [idKey]: String(n) } };
  });
}

/** A new VM from a submitted template: validated, split into TEMPLATE and USER_TEMPLATE, in PENDING or HOLD. */
export function newVm(input: NewVmInput): Vm {
  const t = input.template;
  positive(t, 'MEMORY', true, true);
  positive(t, 'CPU', false, true);
  positive(t, 'VCPU', true, false);
  checkExpression(t, 'SCHED_REQUIREMENTS', parseRequirements);
  checkExpression(t, 'REQUIREMENTS', parseRequirements);
  checkExpression(t, 'SCHED_RANK', parseRank);
  if (getNumber(t, 'USER_PRIORITY') === undefined && getSingle(t, 'USER_PRIORITY') !== undefined) {
    throw new OneError(ErrorCode.ALLOCATE, 'USER_PRIORITY must be a number.');
  }
  const name = input.name || getSingle(t, 'NAME') || `${input.fallbackPrefix ?? 'one'}-${input.id}`;
  checkName(name, ErrorCode.ALLOCATE);

  const system: Attribute[] = [];
  const user: Attribute[] = [];
  for (const a of t) (SYSTEM_ATTRIBUTES.has(a.name) ? system : user).push(a);
  const sys = numberDevices(system.filter((a) => !['NAME', 'VMID', 'AUTOMATIC_REQUIREMENTS', 'TM_MAD_SYSTEM'].includes(a.name)));
  sys.push({ name: 'VMID', value: String(input.id) });
  sys.push({ name: 'AUTOMATIC_REQUIREMENTS', value: AUTOMATIC_REQUIREMENTS });
  // The system datastore's TM driver; every VM document carries it (vm.xsd requires it).
  if (!sys.some((a) => a.name === 'TM_MAD_SYSTEM')) sys.push({ name: 'TM_MAD_SYSTEM', value: '' });

  const hold = input.hold || /^yes$/i.test(getSingle(t, 'SUBMIT_ON_HOLD') ?? '');
  return {
    id: input.id,
    uid: input.owner.uid,
    gid: input.owner.gid,
    uname: input.owner.uname,
    gname: input.owner.gname,
    name,
    permissions: { ...DEFAULT_PERMISSIONS },
    lastPoll: 0,
    state: hold ? VmState.HOLD : VmState.PENDING,
    lcmState: 0,
    prevState: hold ? VmState.HOLD : VmState.PENDING,
    prevLcmState: 0,
    resched: 0,
    stime: input.now,
    etime: 0,
    deployId: '',
    lock: null,
    monitoring: {},
    template: sys,
    userTemplate: user,
    history: [],
    stateTime: input.now,
  };
}
