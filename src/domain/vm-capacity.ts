import { getNumber } from '../template/access.js';
import type { Vm } from './vm.js';

/** What a VM takes from its host: CPU in percent of a core (CPU x 100), memory in KB (MEMORY x 1024). */
export function vmCapacity(vm: Vm): { cpu: number; mem: number } {
  return {
    cpu: Math.round((getNumber(vm.template, 'CPU') ?? 0) * 100),
    mem: Math.round((getNumber(vm.template, 'MEMORY') ?? 0) * 1024),
  };
}
