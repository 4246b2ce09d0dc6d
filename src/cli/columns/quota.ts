import { toFloat, toInt, unitToStr } from '../output/units.js';
import { items, str, type XmlObject } from '../xml.js';

/** A limit of -1 means "the pool's default"; -2 (or a default of -1) means unlimited. */
const DEFAULT_LIMIT = '-1';
const UNLIMITED = new Set(['-1', '-2', '']);

export interface VmQuotaCells {
  vms: string;
  memory: string;
  cpu: string;
}

/**
 * The VMS, MEMORY and CPU cells of `oneuser list`/`onegroup list`: "used / limit", `-` for no limit,
 * and `-` alone for oneadmin (ID 0), who has no quota.
 */
export function vmQuotaCells(
  id: string | undefined,
  quotas: XmlObject[],
  defaults: XmlObject | undefined,
  kilobytes = false,
): VmQuotaCells {
  const q = quotas.find((e) => str(e, 'ID') === id);
  const vm = items(q, 'VM_QUOTA/VM')[0];
  if (q === undefined || (vm === undefined && id === '0')) return { vms: '-', memory: '-', cpu: '-' };
  const limit = (k: string): string | undefined => {
    const own = str(vm, k) ?? DEFAULT_LIMIT;
    const v = own === DEFAULT_LIMIT ? str(defaults, `VM_QUOTA/VM/${k}`) ?? '' : own;
    return UNLIMITED.has(v) ? undefined : v;
  };
  const mem = (n: number): string => unitToStr(n, 'M', kilobytes);
  const vmsLimit = limit('VMS');
  const memLimit = limit('MEMORY');
  const cpuLimit = limit('CPU');
  const vmsUsed = String(toInt(str(vm, 'VMS_USED'))).padStart(3);
  const memUsed = mem(toInt(str(vm, 'MEMORY_USED'))).padStart(7);
  const cpuUsed = toFloat(str(vm, 'CPU_USED')).toFixed(1).padStart(3);
  return {
    vms: `${vmsUsed} / ${vmsLimit === undefined ? '  -' : String(toInt(vmsLimit)).padStart(3)}`,
    memory: `${memUsed} / ${memLimit === undefined ? '      -' : mem(toInt(memLimit)).padStart(7)}`,
    cpu: `${cpuUsed} / ${cpuLimit === undefined ? '  -' : toFloat(cpuLimit).toFixed(1).padStart(3)}`,
  };
}
