import type { Attribute, Template, TemplateVector } from '../../template/types.js';
import { attributeXml, byCode, el } from './elements.js';

/**
 * One monitoring sample: the object's id, when it was taken, and its values, either flat (as the
 * store and the monitor keep them: CPU, MEMORY, FREE_CPU, NETRX, ...) or as a template.
 */
export interface MonitoringSample {
  id: number;
  timestamp: number;
  values: Template | Record<string, string>;
}

export type MonitoringKind = 'vm' | 'host';

function byName(a: Attribute, b: Attribute): number {
  return byCode(a.name, b.name);
}

/** The sample's values as attributes, without ID and TIMESTAMP (the sample's own fields win). */
function attributesOf(values: MonitoringSample['values']): Attribute[] {
  const all: Attribute[] = Array.isArray(values) ? values : Object.entries(values).map(([name, value]) => ({ name, value }));
  return all.filter((a) => a.name !== 'ID' && a.name !== 'TIMESTAMP');
}

/**
 * A VM sample: ID and TIMESTAMP sorted in among the values (CPU, DISKRDBYTES, ..., ID, MEMORY,
 * ..., TIMESTAMP), as monitoring_data.xsd and vm.xsd list them.
 */
function vmSampleXml(s: MonitoringSample): string {
  const all = [...attributesOf(s.values), { name: 'ID', value: String(s.id) }, { name: 'TIMESTAMP', value: String(s.timestamp) }];
  let out = '<MONITORING>';
  for (const a of all.sort(byName)) out += attributeXml(a);
  return `${out}</MONITORING>`;
}

/** Where host.xsd puts a flat host value: FREE_/USED_ CPU and MEMORY in CAPACITY, NETRX/NETTX in SYSTEM. */
const HOST_GROUP_OF: [RegExp, string][] = [
  [/^(FREE|USED)_(CPU|MEMORY)/, 'CAPACITY'],
  [/^NET(RX|TX)/, 'SYSTEM'],
];
/** Host samples lead with these groups, in host.xsd's order; anything else follows, sorted. */
const HOST_GROUPS = HOST_GROUP_OF.map(([, group]) => group);

/** Moves flat host values into their CAPACITY and SYSTEM groups (merging groups given as vectors). */
function groupHostValues(attrs: Attribute[]): Attribute[] {
  const groups = new Map<string, TemplateVector>(HOST_GROUPS.map((g) => [g, {}]));
  const rest: Attribute[] = [];
  for (const a of attrs) {
    const name = typeof a.value === 'string' ? HOST_GROUP_OF.find(([re]) => re.test(a.name))?.[1] : a.name;
    const group = name === undefined ? undefined : groups.get(name);
    if (!group) rest.push(a);
    else if (typeof a.value === 'string') group[a.name] = a.value;
    else Object.assign(group, a.value);
  }
  const grouped: Attribute[] = [];
  for (const [name, value] of groups) if (Object.keys(value).length > 0) grouped.push({ name, value });
  return [...grouped, ...rest.sort(byName)];
}

/** A host sample: TIMESTAMP and ID first, then CAPACITY and SYSTEM, as host.xsd lists them. */
export function hostSampleXml(s: MonitoringSample): string {
  let out = `<MONITORING>${el('TIMESTAMP', s.timestamp)}${el('ID', s.id)}`;
  for (const a of groupHostValues(attributesOf(s.values))) out += attributeXml(a);
  return `${out}</MONITORING>`;
}

const SAMPLE_XML: Record<MonitoringKind, (s: MonitoringSample) => string> = { vm: vmSampleXml, host: hostSampleXml };

/**
 * `<MONITORING_DATA>` for one.vm.monitoring and one.vmpool.monitoring (`kind` 'vm', the default)
 * or one.host.monitoring and one.hostpool.monitoring ('host').
 */
export function monitoringXml(samples: readonly MonitoringSample[], kind: MonitoringKind = 'vm'): string {
  const render = SAMPLE_XML[kind];
  let out = '<MONITORING_DATA>';
  for (const s of samples) out += render(s);
  return `${out}</MONITORING_DATA>`;
}
