import type { Host, HostSample } from '../../domain/host.js';
import { getNumber } from '../../template/access.js';
import { templateToXml } from '../../template/xml.js';
import { el, flat, idsXml, intEl } from './elements.js';
import { hostSampleXml } from './monitoring.js';

/** The last sample as flat values; hostSampleXml puts them in their CAPACITY and SYSTEM groups. */
function sampleValues(s: HostSample): Record<string, string> {
  const int = (n: number) => String(Math.round(n));
  return {
    FREE_CPU: int(s.freeCpu), FREE_MEMORY: int(s.freeMemory), USED_CPU: int(s.usedCpu), USED_MEMORY: int(s.usedMemory),
    NETRX: int(s.netrx), NETTX: int(s.nettx),
  };
}

/**
 * `<HOST_SHARE>` in host.xsd's order. Datastore, PCI and NUMA accounting are not kept yet and are
 * rendered empty; VMS_THREAD comes from the host template (1 when unset, as in OpenNebula).
 */
function hostShareXml(h: Host): string {
  const s = h.share;
  return (
    '<HOST_SHARE>' +
    intEl('MEM_USAGE', s.memUsage) + intEl('CPU_USAGE', s.cpuUsage) +
    intEl('TOTAL_MEM', s.totalMem) + intEl('TOTAL_CPU', s.totalCpu) +
    intEl('MAX_MEM', s.maxMem) + intEl('MAX_CPU', s.maxCpu) +
    intEl('RUNNING_VMS', s.runningVms) + intEl('VMS_THREAD', getNumber(h.template, 'VMS_THREAD') ?? 1) +
    '<DATASTORES><DISK_USAGE>0</DISK_USAGE><FREE_DISK>0</FREE_DISK><MAX_DISK>0</MAX_DISK><USED_DISK>0</USED_DISK></DATASTORES>' +
    '<PCI_DEVICES></PCI_DEVICES><NUMA_NODES></NUMA_NODES>' +
    '</HOST_SHARE>'
  );
}

/** The `<HOST>` of one.host.info and one.hostpool.info (host.xsd). */
export function hostToXml(h: Host): string {
  const monitoring = h.monitoring
    ? hostSampleXml({ id: h.id, timestamp: h.monitoring.timestamp, values: sampleValues(h.monitoring) })
    : '<MONITORING></MONITORING>';
  return flat(
    '<HOST>' +
    el('ID', h.id) + el('NAME', h.name) + el('STATE', h.state) + el('PREV_STATE', h.prevState) +
    el('IM_MAD', h.imMad) + el('VM_MAD', h.vmMad) + el('CLUSTER_ID', h.clusterId) + el('CLUSTER', h.cluster) +
    hostShareXml(h) +
    idsXml('VMS', h.vms) +
    templateToXml(h.template, 'TEMPLATE') +
    monitoring +
    '</HOST>'
  );
}
