import { lcmStateName, vmStateName } from '../../lifecycle/states.js';
import { ON_HOST_STATES, lastHistory } from '../columns/vm.js';
import { Page } from '../output/page.js';
import { renderTable, type Column } from '../output/table.js';
import { templateText } from '../output/template-text.js';
import { booleanToStr, lockLevelToStr, timeToStr, toInt, unitToStr } from '../output/units.js';
import { at, hasChildren, items, str, texts, type XmlObject } from '../xml.js';
import { permissionLines } from './permissions.js';
import { schedActionColumns } from './sched-actions.js';
import {
  DISK_COLUMNS, DISK_DEFAULT, DISK_SNAPSHOT_COLUMNS, SG_NIC_COLUMNS, SG_RULE_COLUMNS, SNAPSHOT_DEFAULT,
  diskRows, diskSnapshotRows, historyColumns, nicColumns, nicRows, rows, type Row,
} from './vm-tables.js';

export interface VmShowOptions {
  now: number;
  tty: boolean;
  /** `--all`: keep DISK, NIC, ... in the VIRTUAL MACHINE TEMPLATE section although they have tables. */
  all?: boolean;
  /** The name of the VM's cluster, looked up by the caller (`default` for -1, `ERROR` if it failed). */
  clusterName?: string;
}

/** Monitoring values that mean the VM runs on a public cloud: such VMs have no security table. */
const HYBRID_MONITORING = ['GUEST_IP', 'GUEST_IP_ADDRESSES', 'AWS_IP_ADDRESS', 'AZ_IPADDRESS', 'SL_PRIMARYIPADDRESS'];
const MONITORING_FIRST = ['CPU', 'MEMORY', 'NETTX', 'NETRX'];
const MONITORING_HIDDEN = new Set(['STATE', 'DISK_SIZE', 'SNAPSHOT_SIZE']);

/** The cluster of a VM that sits on a host (the CID of its last history record). */
export function vmClusterId(vm: XmlObject): string | undefined {
  if (!ON_HOST_STATES.has(toInt(str(vm, 'STATE')))) return undefined;
  return str(lastHistory(vm), 'CID');
}

function monitoringValue(key: string, v: string): string {
  if (key === 'MEMORY') return unitToStr(toInt(v));
  if (/NET.X/.test(key)) return unitToStr(Math.trunc(toInt(v) / 1024));
  return v;
}

function table<R>(page: Page, columns: Column<R>[], data: R[], defaults = columns.map((c) => c.name)): void {
  page.block(renderTable(columns, defaults, data, { tty: page.tty }));
}

function infoSection(page: Page, vm: XmlObject, opts: VmShowOptions): void {
  const state = toInt(str(vm, 'STATE'));
  const onHost = ON_HOST_STATES.has(state);
  const clusterId = vmClusterId(vm);
  page.header(`VIRTUAL MACHINE ${str(vm, 'ID')} INFORMATION`, true);
  page.label('ID', str(vm, 'ID'));
  page.label('NAME', str(vm, 'NAME'));
  page.label('USER', str(vm, 'UNAME'));
  page.label('GROUP', str(vm, 'GNAME'));
  page.label('STATE', vmStateName(state) ?? String(state));
  page.label('LCM_STATE', lcmStateName(toInt(str(vm, 'LCM_STATE'))) ?? str(vm, 'LCM_STATE'));
  page.label('LOCK', lockLevelToStr(str(vm, 'LOCK/LOCKED')));
  page.label('RESCHED', booleanToStr(str(vm, 'RESCHED')));
  if (onHost) page.label('HOST', str(lastHistory(vm), 'HOSTNAME'));
  if (clusterId !== undefined) page.label('CLUSTER ID', clusterId);
  if (clusterId !== undefined && opts.clusterName !== undefined) page.label('CLUSTER', opts.clusterName);
  page.label('START TIME', timeToStr(toInt(str(vm, 'STIME'))));
  page.label('END TIME', timeToStr(toInt(str(vm, 'ETIME'))));
  page.label('DEPLOY ID', str(vm, 'DEPLOY_ID') || '-');
  const vrouter = str(vm, 'TEMPLATE/VROUTER_ID');
  if (vrouter !== undefined) page.label('VIRTUAL ROUTER ID', vrouter);
  page.line();
}

function monitoringSection(page: Page, vm: XmlObject): void {
  page.header('VIRTUAL MACHINE MONITORING');
  const mon = at(vm, 'MONITORING');
  const entries = typeof mon === 'object' && !Array.isArray(mon) ? Object.entries(mon) : [];
  const ordered = [
    ...MONITORING_FIRST.flatMap((k) => entries.filter(([ek]) => ek === k)),
    ...entries.filter(([k]) => !MONITORING_FIRST.includes(k) && !MONITORING_HIDDEN.has(k)),
  ];
  for (const [k, v] of ordered) if (typeof v === 'string') page.label(k, monitoringValue(k, v));
  page.line();
}

function nicSections(page: Page, vm: XmlObject): void {
  for (const section of ['NIC', 'NIC_ALIAS'] as const) {
    const data = nicRows(vm, section);
    if (data.length === 0) continue;
    page.line();
    page.header(section === 'NIC' ? 'VM NICS' : 'VM ALIAS');
    table(page, nicColumns(section), data);
  }
  const forwarded = items(vm, 'TEMPLATE/NIC').find((n) => str(n, 'EXTERNAL_PORT_RANGE') !== undefined);
  if (forwarded) {
    const ext = str(forwarded, 'EXTERNAL_PORT_RANGE') ?? '';
    const internal = (str(forwarded, 'INTERNAL_PORT_RANGE') ?? '').split('/')[0];
    page.line();
    page.header('PORT FORWARD');
    page.line(`[${ext}]:[${internal}]`);
    page.line(`SSH on ${str(lastHistory(vm), 'HOSTNAME') ?? ''} at port ${toInt(ext.split(':')[0]) + 21}`);
  }
}

function securitySection(page: Page, vm: XmlObject): void {
  const hybrid = HYBRID_MONITORING.some((k) => str(vm, `MONITORING/${k}`) !== undefined);
  if (!hasChildren(vm, 'TEMPLATE/SECURITY_GROUP_RULE') || hybrid) return;
  const sgNics: Row[] = [
    ...rows(items(vm, 'TEMPLATE/NIC')),
    ...rows(items(vm, 'TEMPLATE/PCI')).filter((p) => p.NIC_ID !== undefined),
  ].filter((n) => n.SECURITY_GROUPS !== undefined);
  page.line();
  page.header('SECURITY');
  page.line();
  table(page, SG_NIC_COLUMNS, sgNics);
  page.line();
  page.header('SECURITY GROUP   TYPE     PROTOCOL NETWORK                       RANGE          ');
  table(page, SG_RULE_COLUMNS, rows(items(vm, 'TEMPLATE/SECURITY_GROUP_RULE')));
}

function backupSections(page: Page, vm: XmlObject): void {
  if (hasChildren(vm, 'BACKUPS/BACKUP_CONFIG')) {
    page.line();
    page.header('BACKUP CONFIGURATION');
    page.block(templateText(at(vm, 'BACKUPS/BACKUP_CONFIG')));
  }
  if (hasChildren(vm, 'BACKUPS/BACKUP_IDS')) {
    page.line();
    page.header('VM BACKUPS');
    page.line(`IMAGE IDS: ${texts(vm, 'BACKUPS/BACKUP_IDS/ID').join(',')}`);
  }
}

function numaSections(page: Page, vm: XmlObject): void {
  const nodes = rows(items(vm, 'TEMPLATE/NUMA_NODE'));
  if (nodes.length > 0) {
    page.line().title('NUMA NODES').line();
    table(page, [
      { name: 'ID', desc: 'Node ID', size: 4, value: (d: Row) => d.NODE_ID },
      { name: 'CPUS_IDS', desc: 'Cpus used', size: 5, adjust: true, value: (d: Row) => d.CPUS },
      { name: 'MEMORY', desc: 'Memory used', size: 10, value: (d: Row) => unitToStr(toInt(d.MEMORY)) },
      { name: 'TOTAL_CPUS', desc: 'Total CPUs', size: 10, value: (d: Row) => d.TOTAL_CPUS },
    ], nodes);
  }
  const topology = rows(items(vm, 'TEMPLATE/TOPOLOGY'));
  if (topology.length > 0) {
    page.line().title('TOPOLOGY').line();
    table(page, [
      { name: 'CORES', desc: 'Cores', size: 6, value: (d: Row) => d.CORES },
      { name: 'SOCKETS', desc: 'Sockets', size: 8, value: (d: Row) => d.SOCKETS },
      { name: 'THREADS', desc: 'Threads', size: 8, value: (d: Row) => d.THREADS },
    ], topology);
  }
}

/** What stays in VIRTUAL MACHINE TEMPLATE: sections shown as tables above are left out unless --all. */
function remainingTemplate(vm: XmlObject, all: boolean): XmlObject {
  const tmpl = { ...((at(vm, 'TEMPLATE') as XmlObject | undefined) ?? {}) };
  delete tmpl.SNAPSHOT;
  if (!all) {
    for (const k of ['DISK', 'NIC', 'NIC_ALIAS', 'SECURITY_GROUP_RULE', 'SCHED_ACTION', 'NUMA_NODE', 'TOPOLOGY']) {
      delete tmpl[k];
    }
  }
  return tmpl;
}

/** `onevm show`: OpenNebula's sections, in its order, from a `<VM>` document. */
export function renderVmShow(vm: XmlObject, opts: VmShowOptions): string {
  const page = new Page(opts.tty);
  infoSection(page, vm, opts);
  monitoringSection(page, vm);
  page.header('PERMISSIONS');
  for (const [who, mask] of permissionLines(vm)) page.label(who, mask);

  const disks = diskRows(vm);
  if (disks.length > 0) {
    page.line();
    page.header('VM DISKS');
    table(page, DISK_COLUMNS, disks, DISK_DEFAULT);
  }
  if (hasChildren(vm, 'SNAPSHOTS')) {
    page.line();
    page.header('VM DISK SNAPSHOTS');
    table(page, DISK_SNAPSHOT_COLUMNS, diskSnapshotRows(vm), SNAPSHOT_DEFAULT);
  }
  nicSections(page, vm);
  securitySection(page, vm);

  const snapshots = rows(items(vm, 'TEMPLATE/SNAPSHOT'));
  if (snapshots.length > 0) {
    page.line();
    page.header('SNAPSHOTS');
    table(page, [
      { name: 'ID', desc: '', size: 4, value: (d: Row) => d.SNAPSHOT_ID },
      { name: 'TIME', desc: '', size: 12, value: (d: Row) => timeToStr(toInt(d.TIME), { seconds: false }) },
      { name: 'NAME', desc: '', size: 46, left: true, value: (d: Row) => d.NAME },
      { name: 'HYPERVISOR_ID', desc: '', size: 15, left: true, value: (d: Row) => d.HYPERVISOR_ID },
    ], snapshots);
  }
  if (hasChildren(vm, 'HISTORY_RECORDS')) {
    page.line();
    page.header('VIRTUAL MACHINE HISTORY');
    table(page, historyColumns(opts.now), rows(items(vm, 'HISTORY_RECORDS/HISTORY')));
  }
  const actions = items(vm, 'TEMPLATE/SCHED_ACTION');
  if (actions.length > 0) {
    page.line();
    page.header('SCHEDULED ACTIONS');
    table(page, schedActionColumns(toInt(str(vm, 'STIME')), opts.now), actions);
  }
  backupSections(page, vm);
  if (hasChildren(vm, 'USER_TEMPLATE')) {
    page.line();
    page.header('USER TEMPLATE');
    page.block(templateText(at(vm, 'USER_TEMPLATE')));
  }
  numaSections(page, vm);
  page.line();
  page.header('VIRTUAL MACHINE TEMPLATE');
  page.block(templateText(remainingTemplate(vm, opts.all === true)));
  return page.toString();
}
