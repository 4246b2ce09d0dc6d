import { getSingle, getVector, getVectors } from '../../template/access.js';
import type { Template } from '../../template/types.js';
import { attributeXml, byCode, el, vectorXml } from './elements.js';

/**
 * The children of a VM's `<TEMPLATE>` in vm.xsd's order. It is OpenNebula's alphabetical order
 * except for a few names (HYPERV_OPTIONS, VIDEO, MEMORY_RESIZE_MODE, SCHED_ACTION) that the
 * schema places elsewhere; clients generated from the schema expect its order.
 */
const VM_TEMPLATE_ORDER = [
  'AUTOMATIC_DS_REQUIREMENTS', 'AUTOMATIC_NIC_REQUIREMENTS', 'AUTOMATIC_REQUIREMENTS', 'CLONING_TEMPLATE_ID',
  'CONTEXT', 'CPU', 'CPU_COST', 'DISK', 'DISK_COST', 'EMULATOR', 'FEATURES', 'HYPERV_OPTIONS', 'GRAPHICS',
  'VIDEO', 'IMPORTED', 'INPUT', 'MEMORY', 'MEMORY_COST', 'MEMORY_MAX', 'MEMORY_SLOTS', 'MEMORY_RESIZE_MODE',
  'NIC', 'NIC_ALIAS', 'NIC_DEFAULT', 'NUMA_NODE', 'OS', 'PCI', 'RAW', 'SECURITY_GROUP_RULE', 'SNAPSHOT',
  'SPICE_OPTIONS', 'SUBMIT_ON_HOLD', 'TEMPLATE_ID', 'TM_MAD_SYSTEM', 'TOPOLOGY', 'TPM', 'VCPU', 'VCPU_MAX',
  'VMGROUP', 'VMID', 'VROUTER_ID', 'VROUTER_KEEPALIVED_ID', 'VROUTER_KEEPALIVED_PASSWORD', 'SCHED_ACTION',
] as const;

/** Sub-attribute orders the schemas fix for vectors of the VM template (others are alphabetical). */
const VECTOR_ORDER: Record<string, readonly string[]> = {
  VIDEO: ['TYPE', 'IOMMU', 'ATS', 'VRAM', 'RESOLUTION'],
  SCHED_ACTION: [
    'ID', 'PARENT_ID', 'TYPE', 'ACTION', 'ARGS', 'TIME', 'REPEAT', 'DAYS', 'END_TYPE', 'END_VALUE', 'DONE',
    'MESSAGE', 'WARNING',
  ],
};

const RANK = new Map<string, number>(VM_TEMPLATE_ORDER.map((name, i) => [name, i]));
const LAST = RANK.get('SCHED_ACTION') as number;

/**
 * Where a name goes: its place in the schema, or (for names the schema does not know) just before
 * the first schema name that sorts after it, so the document still reads alphabetically.
 */
function rankOf(name: string): number {
  const known = RANK.get(name);
  if (known !== undefined) return known;
  const next = VM_TEMPLATE_ORDER.findIndex((k, i) => i < LAST && k > name);
  return (next < 0 ? LAST : next) - 0.5;
}

/**
 * Attributes oned keeps in the template while a driver operation runs and vm.xsd has no place for: the
 * values a live resize would go back to (OpenNebula shows RESIZE, which its own schema then rejects).
 */
const HIDDEN = new Set(['RESIZE']);

/** The full `<TEMPLATE>` of a VM (one.vm.info), children in vm.xsd's order. */
export function vmSystemTemplateXml(t: Template): string {
  const ordered = t
    .filter((a) => !HIDDEN.has(a.name))
    .map((a) => ({ a, rank: rankOf(a.name) }))
    // Array.prototype.sort is stable: repeated names (DISK, NIC) keep their order
    .sort((x, y) => x.rank - y.rank || byCode(x.a.name, y.a.name));
  let out = '<TEMPLATE>';
  for (const { a } of ordered) out += attributeXml(a, VECTOR_ORDER);
  return `${out}</TEMPLATE>`;
}

/** The DISK fields of a pool listing (VirtualMachineDisk::to_xml_short), always present. */
const SHORT_DISK = [
  'DISK_ID', 'DATASTORE', 'DATASTORE_ID', 'IMAGE', 'IMAGE_ID', 'SIZE', 'TYPE', 'CLONE', 'CLONE_TARGET',
  'LN_TARGET', 'DISK_SNAPSHOT_TOTAL_SIZE',
] as const;
/** NIC fields of a pool listing written only when set, then the ones always written. */
const SHORT_NIC_OPTIONAL = [
  'IP', 'EXTERNAL_IP', 'IP6', 'IP6_ULA', 'IP6_LINK', 'IP6_GLOBAL', 'NETWORK_MODE', 'SCHED_REQUIREMENTS', 'SCHED_RANK',
] as const;
const SHORT_NIC = ['MAC', 'NETWORK', 'NETWORK_ID', 'NIC_ID', 'SECURITY_GROUPS'] as const;

/** The `<TEMPLATE>` of a VM in a pool listing: CPU, MEMORY, VCPU, short DISKs and NICs, GRAPHICS. */
export function vmShortTemplateXml(t: Template): string {
  let out = `<TEMPLATE>${el('CPU', getSingle(t, 'CPU') ?? '')}${el('MEMORY', getSingle(t, 'MEMORY') ?? '')}`;
  const vcpu = getSingle(t, 'VCPU');
  if (vcpu !== undefined) out += el('VCPU', vcpu);
  for (const d of getVectors(t, 'DISK')) {
    out += '<DISK>';
    for (const k of SHORT_DISK) out += el(k, d[k] ?? '');
    out += '</DISK>';
  }
  for (const n of getVectors(t, 'NIC')) {
    out += '<NIC>';
    for (const k of SHORT_NIC_OPTIONAL) if (n[k]) out += el(k, n[k]);
    for (const k of SHORT_NIC) out += el(k, n[k] ?? '');
    out += '</NIC>';
  }
  const graphics = getVector(t, 'GRAPHICS');
  if (graphics) out += vectorXml('GRAPHICS', graphics);
  return `${out}</TEMPLATE>`;
}
