import type { History } from '../../domain/history.js';
import { el } from './elements.js';

// 7.x adds the scheduler plan that caused a record; we have no plans, and -1 is oned's "none"
const NO_PLAN = -1;

/** One full `<HISTORY>` record (vm.xsd), for one.vm.info. */
export function historyXml(vmId: number, h: History): string {
  return (
    '<HISTORY>' +
    el('OID', vmId) + el('SEQ', h.seq) + el('HOSTNAME', h.hostname) + el('HID', h.hid) + el('CID', h.cid) +
    el('STIME', h.stime) + el('ETIME', h.etime) + el('VM_MAD', h.vmMad) + el('TM_MAD', h.tmMad) +
    el('DS_ID', h.dsId) + el('PLAN_ID', NO_PLAN) + el('ACTION_ID', NO_PLAN) +
    el('PSTIME', h.pstime) + el('PETIME', h.petime) + el('RSTIME', h.rstime) + el('RETIME', h.retime) +
    el('ESTIME', h.estime) + el('EETIME', h.eetime) +
    el('ACTION', h.action) + el('UID', h.uid) + el('GID', h.gid) + el('REQUEST_ID', h.reqId) +
    '</HISTORY>'
  );
}

/** The short `<HISTORY>` of a pool listing (vm_pool.xsd): where the VM is and the last action. */
export function historyShortXml(vmId: number, h: History): string {
  return (
    '<HISTORY>' +
    el('OID', vmId) + el('SEQ', h.seq) + el('HOSTNAME', h.hostname) + el('HID', h.hid) + el('CID', h.cid) +
    el('DS_ID', h.dsId) + el('VM_MAD', h.vmMad) + el('TM_MAD', h.tmMad) + el('ACTION', h.action) +
    '</HISTORY>'
  );
}
