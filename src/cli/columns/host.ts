import { HOST_SHORT } from '../../domain/host.js';
import type { Column } from '../output/table.js';
import { toInt, unitToStr } from '../output/units.js';
import { str, type XmlObject } from '../xml.js';

export const HOST_DEFAULT_COLUMNS = ['ID', 'NAME', 'CLUSTER', 'TVM', 'ALLOCATED_CPU', 'ALLOCATED_MEM', 'STAT'];

/** The STAT of a host: on, off, dsbl, err, init. */
function hostStateShort(state: string | undefined): string {
  return HOST_SHORT[toInt(state)] ?? '-';
}

const share = (d: XmlObject, k: string): number => toInt(str(d, `HOST_SHARE/${k}`));
const capacity = (d: XmlObject, k: string): number => toInt(str(d, `MONITORING/CAPACITY/${k}`));

/** `"<used> / <max> (<pct>%)"`, the ALLOCATED_* and REAL_* cells. */
function usage(used: number, max: number, fmt: (n: number) => string): string {
  return `${fmt(used)} / ${fmt(max)} (${Math.floor((used * 100) / max)}%)`;
}

/** `onehost list` columns (onehost.yaml): CPU in percent of a core, memory in KB. */
export function hostColumns(kilobytes = false): Column<XmlObject>[] {
  const mem = (n: number): string => unitToStr(n, 'K', kilobytes);
  return [
    { name: 'ID', desc: 'ONE identifier for Host', size: 4, value: (d) => str(d, 'ID') },
    { name: 'NAME', desc: 'Name of the Host', size: 15, left: true, value: (d) => str(d, 'NAME') },
    { name: 'CLUSTER', desc: 'Name of the Cluster', size: 9, left: true, value: (d) => str(d, 'CLUSTER') || '-' },
    {
      name: 'TVM', desc: 'Total Virtual Machines allocated to the Host', size: 3,
      value: (d) => str(d, 'HOST_SHARE/RUNNING_VMS') ?? '0',
    },
    { name: 'ZVM', desc: 'Number of Virtual Machine zombies', size: 3, value: (d) => str(d, 'TEMPLATE/TOTAL_ZOMBIES') ?? '0' },
    { name: 'TCPU', desc: 'Total CPU percentage', size: 4, value: (d) => str(d, 'HOST_SHARE/MAX_CPU') ?? '0' },
    { name: 'FCPU', desc: 'Free CPU percentage', size: 4, value: (d) => share(d, 'MAX_CPU') - capacity(d, 'USED_CPU') },
    {
      name: 'ACPU', desc: 'Available cpu percentage (not reserved by VMs)', size: 4,
      value: (d) => (share(d, 'MAX_CPU') || 100) - share(d, 'CPU_USAGE'),
    },
    { name: 'TMEM', desc: 'Total Memory', size: 7, value: (d) => mem(share(d, 'MAX_MEM')) },
    { name: 'FMEM', desc: 'Free Memory', size: 7, value: (d) => mem(capacity(d, 'FREE_MEMORY')) },
    {
      name: 'AMEM', desc: 'Available Memory (not reserved by VMs)', size: 7,
      value: (d) => mem(share(d, 'MAX_MEM') - share(d, 'MEM_USAGE')),
    },
    {
      name: 'REAL_CPU', desc: 'Real CPU', size: 18,
      value: (d) => (share(d, 'MAX_CPU') === 0 ? '-' : usage(capacity(d, 'USED_CPU'), share(d, 'MAX_CPU'), String)),
    },
    {
      name: 'ALLOCATED_CPU', desc: 'Allocated CPU', size: 18,
      value: (d) => {
        const max = share(d, 'MAX_CPU');
        const used = share(d, 'CPU_USAGE');
        if (max === 0) return used === 0 ? '-' : `${used} / -`;
        return usage(used, max, String);
      },
    },
    {
      name: 'REAL_MEM', desc: 'Real MEM', size: 18,
      value: (d) => (share(d, 'MAX_MEM') === 0 ? '-' : usage(capacity(d, 'USED_MEMORY'), share(d, 'MAX_MEM'), mem)),
    },
    {
      name: 'ALLOCATED_MEM', desc: 'Allocated MEM', size: 18,
      value: (d) => {
        const max = share(d, 'MAX_MEM');
        const used = share(d, 'MEM_USAGE');
        if (max === 0) return used === 0 ? '-' : `${mem(used)} / -`;
        return usage(used, max, mem);
      },
    },
    { name: 'STAT', desc: 'Host status', size: 6, left: true, value: (d) => hostStateShort(str(d, 'STATE')) },
  ];
}
