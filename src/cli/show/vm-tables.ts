import { HISTORY_ACTIONS } from '../../lifecycle/history-actions.js';
import type { Column } from '../output/table.js';
import { periodToStr, shortPeriodToStr, timeToStr, toInt, unitToStr } from '../output/units.js';
import { hasChildren, items, str, type XmlObject } from '../xml.js';

/** A row of a show table: the element's texts plus a few computed fields. */
export type Row = Record<string, string | undefined>;

function flat(e: XmlObject): Row {
  const r: Row = {};
  for (const [k, v] of Object.entries(e)) if (typeof v === 'string') r[k] = v;
  return r;
}

const mb = (v: string | undefined): string => (v === undefined ? '-' : unitToStr(toInt(v), 'M'));

/** VM DISKS rows: the DISKs, then the context CD (unless the VM runs on vCenter). */
export function diskRows(vm: XmlObject): Row[] {
  const rows = items(vm, 'TEMPLATE/DISK').map(flat);
  if (hasChildren(vm, 'TEMPLATE/CONTEXT') && str(items(vm, 'HISTORY_RECORDS/HISTORY')[0], 'VM_MAD') !== 'vcenter') {
    rows.push({
      ...flat(items(vm, 'TEMPLATE/CONTEXT')[0]),
      IMAGE: 'CONTEXT', DATASTORE: '-', TYPE: '-', READONLY: '-', SAVE: '-', CLONE: '-', SAVE_AS: '-',
    });
  }
  const sizes = items(vm, 'MONITORING/DISK_SIZE');
  for (const r of rows) r.MONITOR_SIZE = str(sizes.find((s) => str(s, 'ID') === r.DISK_ID), 'SIZE');
  return rows;
}

function diskImage(d: Row): string | undefined {
  if (d.IMAGE !== undefined) return d.IMAGE;
  const type = (d.TYPE ?? '').toUpperCase();
  if (type === 'FS') return `${d.FORMAT ?? ''} - ${mb(d.SIZE)}`;
  if (type === 'SWAP') return mb(d.SIZE);
  return undefined;
}

export const DISK_DEFAULT = ['ID', 'DATASTORE', 'TARGET', 'IMAGE', 'SIZE', 'TYPE', 'SAVE'];
export const DISK_COLUMNS: Column<Row>[] = [
  { name: 'ID', desc: '', size: 3, value: (d) => d.DISK_ID },
  { name: 'DATASTORE', desc: '', size: 10, left: true, value: (d) => d.DATASTORE },
  { name: 'TARGET', desc: '', size: 6, left: true, value: (d) => d.TARGET },
  { name: 'IMAGE', desc: '', size: 35, left: true, value: diskImage },
  { name: 'SIZE', desc: '', size: 9, left: true, value: (d) => `${mb(d.MONITOR_SIZE)}/${mb(d.SIZE)}` },
  { name: 'TYPE', desc: '', size: 4, left: true, value: (d) => (d.TYPE ?? '').toLowerCase() },
  { name: 'R/O', desc: '', size: 3, value: (d) => d.READONLY },
  { name: 'SAVE', desc: '', size: 4, value: (d) => d.SAVE ?? 'NO' },
  { name: 'CLONE', desc: '', size: 5, value: (d) => d.CLONE },
];

/** VM DISK SNAPSHOTS rows: every SNAPSHOT of every disk, with its disk and monitored size. */
export function diskSnapshotRows(vm: XmlObject): Row[] {
  const sizes = items(vm, 'MONITORING/SNAPSHOT_SIZE');
  return items(vm, 'SNAPSHOTS').flatMap((disk) =>
    items(disk, 'SNAPSHOT').map((s) => {
      const r: Row = { ...flat(s), DISK_ID: str(disk, 'DISK_ID') };
      const m = sizes.find((z) => str(z, 'ID') === r.ID && str(z, 'DISK_ID') === r.DISK_ID);
      r.MONITOR_SIZE = str(m, 'SIZE');
      return r;
    }),
  );
}

/** IMAGE SNAPSHOTS rows of `oneimage show`: the snapshots a persistent image kept from its VMs' disk. */
export function imageSnapshotRows(img: XmlObject): Row[] {
  return items(img, 'SNAPSHOTS/SNAPSHOT').map(flat);
}

export const SNAPSHOT_DEFAULT = ['AC', 'ID', 'DISK', 'PARENT', 'DATE', 'SIZE', 'NAME'];
/** The same columns for an image, which is one disk. */
export const IMAGE_SNAPSHOT_DEFAULT = SNAPSHOT_DEFAULT.filter((c) => c !== 'DISK');
export const DISK_SNAPSHOT_COLUMNS: Column<Row>[] = [
  { name: 'AC', desc: 'Is active', size: 2, left: true, value: (d) => (d.ACTIVE === 'YES' ? '=>' : '') },
  { name: 'ID', desc: 'Snapshot ID', size: 3, value: (d) => d.ID },
  { name: 'DISK', desc: 'Disk ID', size: 4, value: (d) => d.DISK_ID },
  { name: 'PARENT', desc: 'Snapshot Parent ID', size: 6, value: (d) => d.PARENT },
  { name: 'CHILDREN', desc: 'Snapshot Children IDs', size: 10, value: (d) => d.CHILDREN },
  { name: 'SIZE', desc: '', size: 12, left: true, value: (d) => `${mb(d.MONITOR_SIZE)}/${mb(d.SIZE)}` },
  { name: 'NAME', desc: 'Snapshot Name', size: 32, left: true, value: (d) => d.NAME },
  { name: 'DATE', desc: 'Snapshot creation date', size: 15, value: (d) => timeToStr(toInt(d.DATE)) },
];

/** Extra addresses of a NIC get a row of their own under it, IP column only. */
const EXTRA_IPS: [string, string][] = [
  ['EXTERNAL_IP', ''], ['IP6_LINK', ''], ['IP6_ULA', ''], ['IP6_GLOBAL', ''], ['IP6', ''],
  ['VROUTER_IP', ' (VRouter)'], ['VROUTER_IP6_LINK', ' (VRouter)'], ['VROUTER_IP6_ULA', ' (VRouter)'],
  ['VROUTER_IP6_GLOBAL', ' (VRouter)'],
];

/** VM NICS (or VM ALIAS) rows; NICS also lists PCI devices that are NICs. */
export function nicRows(vm: XmlObject, section: 'NIC' | 'NIC_ALIAS'): Row[] {
  const nics = items(vm, `TEMPLATE/${section}`).map(flat);
  if (section === 'NIC') nics.push(...items(vm, 'TEMPLATE/PCI').map(flat).filter((p) => p.NIC_ID !== undefined));
  const rows: Row[] = [];
  for (const nic of nics) {
    const extra: Row[] = [];
    for (const [attr, suffix] of EXTRA_IPS) {
      if (nic[attr] === undefined) continue;
      extra.push({ IP: nic[attr] + suffix, DOUBLE_ENTRY: 'YES' });
      delete nic[attr];
    }
    rows.push({ NETWORK: '-', IP: '-', MAC: '-', BRIDGE: '-', ...nic }, ...extra);
  }
  return rows;
}

const unlessExtra = (k: string) => (d: Row) => (d.DOUBLE_ENTRY ? '' : d[k]);

/** Columns of VM NICS; VM ALIAS has no PCI_ID. */
export function nicColumns(section: 'NIC' | 'NIC_ALIAS'): Column<Row>[] {
  const cols: Column<Row>[] = [
    { name: 'ID', desc: '', size: 3, value: unlessExtra('NIC_ID') },
    { name: 'NETWORK', desc: '', size: 20, left: true, value: unlessExtra('NETWORK') },
    { name: 'BRIDGE', desc: '', size: 12, left: true, value: unlessExtra('BRIDGE') },
    { name: 'IP', desc: '', size: 15, left: true, adjust: true, value: (d) => d.IP },
    { name: 'MAC', desc: '', size: 17, left: true, value: unlessExtra('MAC') },
  ];
  if (section === 'NIC') cols.push({ name: 'PCI_ID', desc: '', size: 8, left: true, value: unlessExtra('PCI_ID') });
  return cols;
}

export const SG_NIC_COLUMNS: Column<Row>[] = [
  { name: 'NIC_ID', desc: '', size: 6, value: (d) => d.NIC_ID },
  { name: 'NETWORK', desc: '', size: 25, left: true, value: (d) => d.NETWORK },
  { name: 'SECURITY_GROUPS', desc: '', size: 47, left: true, value: (d) => d.SECURITY_GROUPS },
];

/** The security-group rule table; its blank-named columns sit under the section's own title line. */
export const SG_RULE_COLUMNS: Column<Row>[] = [
  { name: 'ID', desc: '', size: 4, value: (d) => d.SECURITY_GROUP_ID },
  { name: 'NAME', desc: '', size: 11, left: true, value: (d) => d.SECURITY_GROUP_NAME },
  { name: ' ', desc: '', size: 8, left: true, value: (d) => d.RULE_TYPE },
  {
    name: '  ', desc: '', size: 8, left: true,
    value: (d) => {
      const p = d.PROTOCOL ?? '';
      return p.toUpperCase() === 'ICMP' && d.ICMP_TYPE !== undefined ? `${p}-${d.ICMP_TYPE}` : p;
    },
  },
  { name: 'VNET', desc: '', size: 4, value: (d) => d.NETWORK_ID },
  { name: 'START', desc: '', size: 17, left: true, adjust: true, value: (d) => d.IP || d.MAC || '' },
  { name: 'SIZE', desc: '', size: 6, left: true, adjust: true, value: (d) => d.SIZE },
  { name: '   ', desc: '', size: 15, left: true, adjust: true, value: (d) => d.RANGE },
];

/** VIRTUAL MACHINE HISTORY columns: one row per stay of the VM on a host. */
export function historyColumns(now: number): Column<Row>[] {
  const dash = (v: string | undefined): string | undefined => (v === '-1' ? '-' : v);
  return [
    { name: 'SEQ', desc: 'Sequence number', size: 3, value: (d) => d.SEQ },
    { name: 'UID', desc: 'UID of the user that performed the action', size: 4, left: true, value: (d) => dash(d.UID) },
    { name: 'REQ', desc: 'Request ID of the action', size: 5, left: true, value: (d) => dash(d.REQUEST_ID) },
    { name: 'HOST', desc: 'Host name of the VM container', size: 12, left: true, value: (d) => d.HOSTNAME },
    {
      name: 'ACTION', desc: 'VM state change action', size: 10, left: true,
      value: (d) => HISTORY_ACTIONS[toInt(d.ACTION)] ?? d.ACTION,
    },
    { name: 'DS', desc: 'System Datastore', size: 4, value: (d) => d.DS_ID },
    { name: 'START', desc: 'Time when the state changed', size: 15, value: (d) => timeToStr(toInt(d.STIME)) },
    {
      name: 'TIME', desc: 'Total time in this state', size: 11,
      value: (d) => periodToStr((toInt(d.ETIME) || now) - toInt(d.STIME), false),
    },
    {
      name: 'PROLOG', desc: 'Prolog time for this state', size: 10,
      value: (d) => {
        const start = toInt(d.PSTIME);
        const end = start === 0 ? 0 : toInt(d.PETIME) || now;
        return shortPeriodToStr(end - start);
      },
    },
  ];
}

/** Flattens elements for a table. */
export function rows(list: XmlObject[]): Row[] {
  return list.map(flat);
}
