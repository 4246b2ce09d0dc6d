import { markedDisk, type DiskOperation } from '../domain/vm-disk-operations.js';
import type { Vm } from '../domain/vm.js';
import type { TemplateVector } from '../template/types.js';
import { DriverError } from './types.js';

/** The DISK the core marked for `op` (attach, detach, resize); a driver operation cannot run without one. */
export function diskMarkedFor(vm: Vm, op: DiskOperation): TemplateVector {
  const marked = markedDisk(vm);
  if (marked?.op !== op) throw new DriverError(`VM ${vm.id} has no disk marked for ${op}`);
  return marked.disk;
}
