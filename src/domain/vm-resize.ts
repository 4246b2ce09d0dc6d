import { getNumber, getSingle, getVector, removeAttr, setSingle, setVector } from '../template/access.js';
import type { Template, TemplateVector } from '../template/types.js';
import { ErrorCode, OneError } from './errors.js';
import type { Vm } from './vm.js';

/** What a VM is given: CPU share (1 = one core), virtual CPUs and memory in MB. */
export interface Capacity {
  cpu: number;
  vcpu: number;
  memory: number;
}

/** The values a resize asks for; a missing one stays as it is. */
export type ResizeRequest = Partial<Capacity>;

const RULES: [key: keyof Capacity, attr: string, integer: boolean, example: string][] = [
  ['cpu', 'CPU', false, 'CPU = 0.5'],
  ['vcpu', 'VCPU', true, 'VCPU = 2'],
  ['memory', 'MEMORY', true, 'MEMORY = 1024'],
];

/**
 * The CPU, VCPU and MEMORY of a one.vm.resize template. A missing or 0 value leaves that value unchanged,
 * as in OpenNebula; anything that is not a number of the right kind is refused (INTERNAL, as OpenNebula
 * answers a negative one).
 */
export function resizeRequest(t: Template): ResizeRequest {
  const out: ResizeRequest = {};
  for (const [key, attr, integer, example] of RULES) {
    const raw = getSingle(t, attr)?.trim();
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
      const kind = integer ? 'a positive integer value' : 'a positive float or integer value';
      throw new OneError(ErrorCode.INTERNAL, `${attr} must be ${kind}, got "${raw}"; write e.g. ${example}.`);
    }
    if (n > 0) out[key] = n;
  }
  return out;
}

/** The capacity a VM has now (VCPU defaults to 1, as the hypervisors do). */
export function capacityOf(vm: Vm): Capacity {
  return {
    cpu: getNumber(vm.template, 'CPU') ?? 0,
    vcpu: getNumber(vm.template, 'VCPU') ?? 1,
    memory: getNumber(vm.template, 'MEMORY') ?? 0,
  };
}

/** `current` with the values `req` asks for. */
export function resized(current: Capacity, req: ResizeRequest): Capacity {
  return { ...current, ...req };
}

export function sameCapacity(a: Capacity, b: Capacity): boolean {
  return a.cpu === b.cpu && a.vcpu === b.vcpu && a.memory === b.memory;
}

/** The VM with `next` in its template; values that do not change are left as written. */
export function withCapacity(vm: Vm, next: Capacity): Vm {
  const now = capacityOf(vm);
  let template = vm.template;
  for (const [key, attr] of RULES) if (next[key] !== now[key]) template = setSingle(template, attr, String(next[key]));
  return { ...vm, template };
}

/**
 * The most a running guest can be given without a restart: the vCPU slots and memory QEMU was started
 * with room for (VCPU_MAX, MEMORY_MAX), else what it has.
 */
export function liveRoom(vm: Vm): { vcpu: number; memory: number } {
  const now = capacityOf(vm);
  return {
    vcpu: Math.max(getNumber(vm.template, 'VCPU_MAX') ?? 0, now.vcpu),
    memory: Math.max(getNumber(vm.template, 'MEMORY_MAX') ?? 0, now.memory),
  };
}

/**
 * The VM before a live resize, remembered in RESIZE = [ CPU, MEMORY, VCPU ] (as OpenNebula keeps it)
 * so that a failed resize can give the VM its old values back.
 */
export function withResizeBackup(vm: Vm): Vm {
  const backup: TemplateVector = { CPU: getSingle(vm.template, 'CPU') ?? '', MEMORY: getSingle(vm.template, 'MEMORY') ?? '' };
  const vcpu = getSingle(vm.template, 'VCPU');
  if (vcpu !== undefined) backup.VCPU = vcpu;
  return { ...vm, template: setVector(vm.template, 'RESIZE', backup) };
}

/** The live resize succeeded: the new values stay and the backup goes. */
export function keepResize(vm: Vm): Vm {
  return getVector(vm.template, 'RESIZE') ? { ...vm, template: removeAttr(vm.template, 'RESIZE') } : vm;
}

/** The live resize failed: the values of the backup come back (a VCPU the VM did not have goes again). */
export function undoResize(vm: Vm): Vm {
  const backup = getVector(vm.template, 'RESIZE');
  if (!backup) return vm;
  let template = removeAttr(vm.template, 'RESIZE');
  for (const attr of ['CPU', 'MEMORY', 'VCPU']) {
    template = backup[attr] !== undefined ? setSingle(template, attr, backup[attr]) : removeAttr(template, attr);
  }
  return { ...vm, template };
}
