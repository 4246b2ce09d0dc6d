import type { Vm } from '../domain/vm.js';
import { getNumber, getSingle } from '../template/access.js';
import type { Template } from '../template/types.js';

/** A placement expression with the attribute it came from, so that messages name what the user wrote. */
export interface Expression {
  attribute: string;
  text: string;
}

/** What a VM asks of a host. */
export interface VmRequest {
  /** CPU in percent of a core (CPU x 100) and memory in KB (MEMORY x 1024), as HOST_SHARE counts them. */
  need: { cpu: number; mem: number };
  automaticRequirements?: Expression;
  requirements?: Expression;
  rank?: Expression;
}

/** The first of `names` set to a non-blank value in `t` (later names are legacy spellings). */
function expression(t: Template, names: readonly string[]): Expression | undefined {
  for (const attribute of names) {
    const text = getSingle(t, attribute)?.trim();
    if (text) return { attribute, text };
  }
  return undefined;
}

/** Reads the VM's capacity and its AUTOMATIC_REQUIREMENTS, SCHED_REQUIREMENTS and SCHED_RANK. */
export function vmRequest(vm: Vm): VmRequest {
  // Rounded: CPU = 0.1 gives 10.000000000000002 in floating point, which no 10% free would fit.
  const cpu = Math.round((getNumber(vm.template, 'CPU') ?? 0) * 100);
  const mem = Math.round((getNumber(vm.template, 'MEMORY') ?? 0) * 1024);
  return {
    need: { cpu, mem },
    automaticRequirements: expression(vm.template, ['AUTOMATIC_REQUIREMENTS']),
    requirements: expression(vm.userTemplate, ['SCHED_REQUIREMENTS', 'REQUIREMENTS']),
    rank: expression(vm.userTemplate, ['SCHED_RANK', 'RANK']),
  };
}
