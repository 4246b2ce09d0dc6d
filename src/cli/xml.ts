import { XMLParser } from 'fast-xml-parser';

/** A parsed API document: element text as strings, children as objects, repeated elements as arrays. */
export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

/**
 * PARENT.CHILD pairs that OpenNebula's schemas allow to repeat. They always parse as arrays, so a pool
 * with one VM or a VM with one DISK has the same shape as one with many (what `-j` prints, too).
 */
const REPEATED = new Set([
  'VM_POOL.VM', 'HOST_POOL.HOST', 'VMTEMPLATE_POOL.VMTEMPLATE', 'USER_POOL.USER', 'USER_POOL.QUOTAS',
  'GROUP_POOL.GROUP', 'GROUP_POOL.QUOTAS', 'CLUSTER_POOL.CLUSTER', 'IMAGE_POOL.IMAGE',
  'DATASTORE_POOL.DATASTORE', 'VNET_POOL.VNET',
  'HISTORY_RECORDS.HISTORY',
  'TEMPLATE.DISK', 'TEMPLATE.NIC', 'TEMPLATE.NIC_ALIAS', 'TEMPLATE.PCI', 'TEMPLATE.SNAPSHOT',
  'TEMPLATE.SCHED_ACTION', 'TEMPLATE.SECURITY_GROUP_RULE',
  'VM.SNAPSHOTS', 'SNAPSHOTS.SNAPSHOT',
  'MONITORING.DISK_SIZE', 'MONITORING.SNAPSHOT_SIZE', 'MONITORING.NUMA_NODE',
  'DATASTORES.DS', 'PCI_DEVICES.PCI', 'NUMA_NODES.NODE', 'NODE.CORE', 'NODE.HUGEPAGE', 'NUMA_NODE.HUGEPAGE',
  'VMS.ID', 'GROUPS.ID', 'USERS.ID', 'ADMINS.ID', 'BACKUP_IDS.ID', 'SCHED_ACTIONS.ID', 'CLONES.ID',
  'APP_CLONES.ID', 'HOSTS.ID', 'DATASTORES.ID', 'VNETS.ID',
  'USER.LOGIN_TOKEN',
  'DATASTORE_QUOTA.DATASTORE', 'NETWORK_QUOTA.NETWORK', 'VM_QUOTA.VM', 'IMAGE_QUOTA.IMAGE',
]);

function lastTwo(jpath: string): string {
  const parts = jpath.split('.');
  return parts.slice(-2).join('.');
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  htmlEntities: true,
  jPath: true,
  isArray: (_name, jpath) => REPEATED.has(lastTwo(String(jpath))),
});

/** Parses an API document (`<VM>`, `<VM_POOL>`, ...) into plain objects keyed by element name. */
export function parseXml(xml: string): XmlObject {
  const doc: unknown = parser.parse(xml);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new Error('The daemon answered with something that is not an XML document');
  }
  const root = doc as XmlObject;
  // An empty root (`<VM_POOL></VM_POOL>`) parses as ''; callers want an object either way.
  for (const k of Object.keys(root)) if (root[k] === '') root[k] = {};
  return root;
}

/** The value at a slash-separated path; inside a repeated element the first one is followed. */
export function at(node: XmlValue | undefined, path: string): XmlValue | undefined {
  let cur: XmlValue | undefined = node;
  for (const seg of path.split('/')) {
    if (seg === '') continue;
    while (Array.isArray(cur)) cur = cur[0];
    if (cur === undefined || typeof cur === 'string') return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** The text at `path`, or undefined when it is missing or not a leaf. */
export function str(node: XmlValue | undefined, path: string): string | undefined {
  const v = at(node, path);
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** The elements at `path` as a list of objects, whether the document had one or many. */
export function items(node: XmlValue | undefined, path: string): XmlObject[] {
  const v = at(node, path);
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.filter((e): e is XmlObject => typeof e === 'object' && !Array.isArray(e));
}

/** The texts at `path` (e.g. every `VMS/ID`). */
export function texts(node: XmlValue | undefined, path: string): string[] {
  const v = at(node, path);
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.filter((e): e is string => typeof e === 'string');
}

/** True when `path` names an element with children (OpenNebula's `has_elements?`). */
export function hasChildren(node: XmlValue | undefined, path: string): boolean {
  const v = at(node, path);
  if (Array.isArray(v)) return v.length > 0;
  return typeof v === 'object' && Object.keys(v).length > 0;
}

/** The document as OpenNebula's `-j` prints it: element names as keys, values as strings. */
export function toJson(doc: XmlObject): string {
  return JSON.stringify(doc, null, 2);
}

/** The one object under the root element of a document (`{VM: {...}}` -> `{...}`). */
export function rootObject(doc: XmlObject, name: string): XmlObject {
  const v = doc[name];
  if (v === undefined || typeof v === 'string' || Array.isArray(v)) {
    throw new Error(`Expected a <${name}> document from the daemon`);
  }
  return v;
}
