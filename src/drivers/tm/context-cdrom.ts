import { contextScript } from '../../domain/context-script.js';
import type { Vm } from '../../domain/vm.js';
import { getVector } from '../../template/access.js';
import { buildIso9660 } from './iso9660.js';

/** The volume label guests look for (OpenNebula's context packages mount the CD-ROM labelled CONTEXT). */
const LABEL = 'CONTEXT';

/**
 * The VM's context CD-ROM: an ISO 9660 image holding context.sh, to be written as disk.<DISK_ID> in the
 * VM directory; undefined when the VM has no CONTEXT. Its $VARs were resolved when the VM was created.
 */
export function contextCdrom(vm: Vm, now: Date): { file: string; data: Buffer } | undefined {
  const context = getVector(vm.template, 'CONTEXT');
  if (!context?.DISK_ID) return undefined;
  const data = buildIso9660(LABEL, [{ name: 'context.sh', data: Buffer.from(contextScript(context)) }], now);
  return { file: `disk.${context.DISK_ID}`, data };
}
