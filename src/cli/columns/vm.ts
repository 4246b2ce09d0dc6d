import { VmState, shortState } from '../../lifecycle/states.js';
import type { Column } from '../output/table.js';
import { periodToStr, toInt, unitToStr } from '../output/units.js';
import { items, str, type XmlObject } from '../xml.js';

/** What the VM columns need besides the row: the clock and the `-n`/`-k` switches. */
export interface VmListContext {
  now: number;
  numeric?: boolean;
  kilobytes?: boolean;
  /** Cluster ID -> name, for the CLUSTER column. */
  clusters?: Map<string, string>;
}

export const VM_DEFAULT_COLUMNS = ['ID', 'USER', 'GROUP', 'NAME', 'STAT', 'CPU', 'MEM', 'HOST', 'TIME'];

/** VM states in which the VM sits on a host, so HOST (and show's HOST, CLUSTER) are shown. */
export const ON_HOST_STATES = new Set<number>([VmState.ACTIVE, VmState.SUSPENDED, VmState.POWEROFF]);

const NIC_IP_ATTRS = [
  'IP', 'EXTERNAL_IP', 'IP6_GLOBAL', 'IP6_ULA', 'IP6', 'VROUTER_IP', 'VROUTER_IP6_GLOBAL', 'VROUTER_IP6_ULA',
];
/** Addresses that monitoring reports for guests whose NICs OpenNebula does not lease. */
const MONITORED_IP_ATTRS = [
  'GUEST_IP', 'GUEST_IP_ADDRESSES', 'AWS_IP_ADDRESS', 'AWS_PUBLIC_IP_ADDRESS', 'AWS_PRIVATE_IP_ADDRESS',
  'AZ_IPADDRESS', 'SL_PRIMARYIPADDRESS',
];

/** The IP column: every address of the VM's NICs (and PCI NICs), then the monitored ones. */
export function ipStr(vm: XmlObject): string {
  const ips: string[] = [];
  for (const nic of [...items(vm, 'TEMPLATE/NIC'), ...items(vm, 'TEMPLATE/PCI')]) {
    for (const a of NIC_IP_ATTRS) {
      const v = str(nic, a);
      if (v !== undefined) ips.push(v);
    }
  }
  for (const a of MONITORED_IP_ATTRS) {
    const v = str(vm, `MONITORING/${a}`);
    if (v !== undefined && !ips.includes(v)) ips.push(v);
  }
  return ips.length > 0 ? ips.join(',') : '--';
}

/** The VM's current history record (the last one). */
export function lastHistory(vm: XmlObject): XmlObject | undefined {
  return items(vm, 'HISTORY_RECORDS/HISTORY').at(-1);
}

/** Seconds since STIME, up to ETIME once the VM is done. */
function vmAge(vm: XmlObject, now: number): number {
  const etime = toInt(str(vm, 'ETIME'));
  return (etime === 0 ? now : etime) - toInt(str(vm, 'STIME'));
}

/** `onevm list` columns with OpenNebula's widths (onevm.yaml). */
export function vmColumns(ctx: VmListContext): Column<XmlObject>[] {
  return [
    { name: 'ID', desc: 'ONE identifier for Virtual Machine', size: 6, value: (d) => str(d, 'ID') },
    {
      name: 'NAME', desc: 'Name of the Virtual Machine', size: 15, left: true,
      // `*` marks a VM the scheduler has been asked to move (RESCHED=1).
      value: (d) => (str(d, 'RESCHED') === '1' ? '*' : '') + (str(d, 'NAME') ?? ''),
    },
    {
      name: 'USER', desc: 'Username of the Virtual Machine owner', size: 8, left: true,
      value: (d) => str(d, ctx.numeric ? 'UID' : 'UNAME'),
    },
    {
      name: 'GROUP', desc: 'Group of the Virtual Machine', size: 8, left: true,
      value: (d) => str(d, ctx.numeric ? 'GID' : 'GNAME'),
    },
    {
      name: 'STAT', desc: 'Actual status', size: 4,
      value: (d) => shortState(toInt(str(d, 'STATE')), toInt(str(d, 'LCM_STATE'))),
    },
    { name: 'UCPU', desc: 'CPU percentage used by the VM', size: 4, value: (d) => str(d, 'MONITORING/CPU') ?? '0' },
    {
      name: 'UMEM', desc: 'Memory used by the VM', size: 7,
      value: (d) => unitToStr(toInt(str(d, 'MONITORING/MEMORY')), 'K', ctx.kilobytes),
    },
    { name: 'CPU', desc: 'CPU asigned to the VM', size: 4, value: (d) => str(d, 'TEMPLATE/CPU') ?? '0' },
    {
      name: 'MEM', desc: 'Memory asigned to the VM', size: 7,
      value: (d) => unitToStr(toInt(str(d, 'TEMPLATE/MEMORY')), 'M', ctx.kilobytes),
    },
    {
      name: 'HOST', desc: 'Host where the VM is running', size: 10, left: true,
      value: (d) => {
        if (!ON_HOST_STATES.has(toInt(str(d, 'STATE')))) return '';
        return str(lastHistory(d), 'HOSTNAME');
      },
    },
    {
      name: 'CLUSTER', desc: 'Cluster where the VM is running', size: 10, left: true,
      value: (d) => {
        const cid = str(lastHistory(d), 'CID');
        if (cid === undefined) return 'NONE';
        return ctx.clusters?.get(cid) ?? cid;
      },
    },
    {
      name: 'TIME', desc: 'Time since the VM was submitted', size: 10,
      value: (d) => periodToStr(vmAge(d, ctx.now), false),
    },
    { name: 'IP', desc: 'VM IP addresses', size: 15, left: true, adjust: true, value: ipStr },
  ];
}
