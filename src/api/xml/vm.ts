import { currentHistory, type Vm } from '../../domain/vm.js';
import { getSingle, getVectors } from '../../template/access.js';
import type { Template } from '../../template/types.js';
import { templateToXml } from '../../template/xml.js';
import { diskSnapshotsXml } from './disk-snapshots.js';
import { attributeXml, byCode, el, flat, identityXml, idsXml, lockXml, permissionsXml, vectorXml } from './elements.js';
import { historyShortXml, historyXml } from './history.js';
import { vmShortTemplateXml, vmSystemTemplateXml } from './vm-system-template.js';

/** The last monitoring sample, its values sorted by name as vm.xsd lists them. */
function monitoringXml(values: Record<string, string>): string {
  let out = '<MONITORING>';
  for (const key of Object.keys(values).sort(byCode)) out += attributeXml({ name: key, value: values[key] });
  return `${out}</MONITORING>`;
}

/** IDs of the VM's scheduled actions, taken from the SCHED_ACTION vectors of its template. */
function schedActionIds(t: Template): number[] {
  const ids: number[] = [];
  for (const sa of getVectors(t, 'SCHED_ACTION')) {
    const id = Number(sa.ID);
    if (sa.ID !== undefined && sa.ID.trim() !== '' && Number.isInteger(id)) ids.push(id);
  }
  return ids;
}

/**
 * The full `<VM>` of one.vm.info and one.vmpool.infoextended, in vm.xsd's order, with every
 * history record and one SNAPSHOTS per disk that has snapshots. Backups are not kept yet: BACKUPS
 * is rendered empty.
 */
export function vmToXml(vm: Vm): string {
  let history = '';
  for (const h of vm.history) history += historyXml(vm.id, h);
  return flat(
    '<VM>' +
    identityXml(vm) +
    permissionsXml(vm.permissions) +
    el('LAST_POLL', vm.lastPoll) +
    el('STATE', vm.state) + el('LCM_STATE', vm.lcmState) +
    el('PREV_STATE', vm.prevState) + el('PREV_LCM_STATE', vm.prevLcmState) +
    el('RESCHED', vm.resched) + el('STIME', vm.stime) + el('ETIME', vm.etime) + el('DEPLOY_ID', vm.deployId) +
    lockXml(vm.lock) +
    monitoringXml(vm.monitoring) +
    idsXml('SCHED_ACTIONS', schedActionIds(vm.template)) +
    vmSystemTemplateXml(vm.template) +
    templateToXml(vm.userTemplate, 'USER_TEMPLATE') +
    `<HISTORY_RECORDS>${history}</HISTORY_RECORDS>` +
    diskSnapshotsXml(vm.diskSnapshots ?? []) +
    '<BACKUPS><BACKUP_CONFIG></BACKUP_CONFIG><BACKUP_IDS></BACKUP_IDS></BACKUPS>' +
    '</VM>'
  );
}

/** User-template attributes a pool listing carries (VirtualMachineTemplate::to_xml_short), in its order. */
const SHORT_USER_SINGLES_IF_SET = ['LABELS', 'ERROR', 'SCHED_MESSAGE'] as const;
const SHORT_USER_SINGLES = ['SCHED_RANK', 'SCHED_DS_RANK', 'SCHED_REQUIREMENTS', 'SCHED_DS_REQUIREMENTS', 'USER_PRIORITY'] as const;
const SHORT_USER_VECTORS = ['PUBLIC_CLOUD', 'SCHED_ACTION'] as const;

/** The `<USER_TEMPLATE>` of a pool listing: what Sunstone and the scheduler read, nothing else. */
function shortUserTemplateXml(t: Template): string {
  let out = '<USER_TEMPLATE>';
  for (const name of SHORT_USER_SINGLES_IF_SET) {
    const v = getSingle(t, name);
    if (v) out += el(name, v);
  }
  for (const name of SHORT_USER_SINGLES) {
    const v = getSingle(t, name);
    if (v !== undefined) out += el(name, v);
  }
  for (const name of SHORT_USER_VECTORS) for (const v of getVectors(t, name)) out += vectorXml(name, v);
  return `${out}</USER_TEMPLATE>`;
}

/** The short MONITORING of a pool listing: CPU, MEMORY and STATE, or nothing when never monitored. */
function shortMonitoringXml(values: Record<string, string>): string {
  if (Object.keys(values).length === 0) return '<MONITORING></MONITORING>';
  return `<MONITORING>${el('CPU', values.CPU ?? '')}${el('MEMORY', values.MEMORY ?? '')}${el('STATE', values.STATE ?? '')}</MONITORING>`;
}

/**
 * The short `<VM>` of one.vmpool.info (vm_pool.xsd): no permissions, previous states or snapshots,
 * a reduced TEMPLATE and USER_TEMPLATE, and only the open history record. vm_pool.xsd has no LOCK
 * element, so a lock shows in one.vm.info only.
 */
export function vmToShortXml(vm: Vm): string {
  const last = currentHistory(vm);
  return flat(
    '<VM>' +
    identityXml(vm) +
    el('LAST_POLL', vm.lastPoll) +
    el('STATE', vm.state) + el('LCM_STATE', vm.lcmState) +
    el('RESCHED', vm.resched) + el('STIME', vm.stime) + el('ETIME', vm.etime) + el('DEPLOY_ID', vm.deployId) +
    vmShortTemplateXml(vm.template) +
    shortMonitoringXml(vm.monitoring) +
    shortUserTemplateXml(vm.userTemplate) +
    `<HISTORY_RECORDS>${last ? historyShortXml(vm.id, last) : ''}</HISTORY_RECORDS>` +
    '</VM>'
  );
}
