import type { Host } from '../domain/host.js';

/** Resolves an expression variable to the host's values for it; undefined when the host has none. */
export type HostLookup = (name: string) => string[] | undefined;

/** One section of the host document: its path below HOST and its attributes. */
interface Section {
  path: string;
  values: [string, string[]][];
}

/**
 * The sections a bare variable name is searched in, in OpenNebula's order (HostXML::host_paths);
 * the first section that has the name answers.
 */
function searchedSections(host: Host): Section[] {
  const s = host.share;
  const m = host.monitoring;
  return [
    { path: 'TEMPLATE', values: templateValues(host) },
    {
      path: 'HOST_SHARE',
      values: numbers({
        MEM_USAGE: s.memUsage, CPU_USAGE: s.cpuUsage, TOTAL_MEM: s.totalMem, TOTAL_CPU: s.totalCpu,
        MAX_MEM: s.maxMem, MAX_CPU: s.maxCpu, RUNNING_VMS: s.runningVms,
      }),
    },
    {
      path: 'MONITORING/CAPACITY',
      values: m ? numbers({ FREE_CPU: m.freeCpu, USED_CPU: m.usedCpu, FREE_MEMORY: m.freeMemory, USED_MEMORY: m.usedMemory }) : [],
    },
    { path: 'MONITORING/SYSTEM', values: m ? numbers({ NETRX: m.netrx, NETTX: m.nettx }) : [] },
    {
      path: '',
      values: [
        ...numbers({ ID: host.id, STATE: host.state, PREV_STATE: host.prevState, CLUSTER_ID: host.clusterId }),
        ['NAME', [host.name]], ['IM_MAD', [host.imMad]], ['VM_MAD', [host.vmMad]], ['CLUSTER', [host.cluster]],
      ],
    },
  ];
}

/** Sections reachable only by an explicit path such as `HOST/VMS/ID`. */
function pathOnlySections(host: Host): Section[] {
  const m = host.monitoring;
  return [
    { path: 'VMS', values: [['ID', host.vms.map(String)]] },
    { path: 'MONITORING', values: m ? numbers({ TIMESTAMP: m.timestamp, ID: host.id }) : [] },
  ];
}

/** TEMPLATE attributes: singles by name (repeated ones give several values), vectors by NAME/SUB. */
function templateValues(host: Host): [string, string[]][] {
  const out = new Map<string, string[]>();
  const add = (name: string, value: string) => {
    const list = out.get(name);
    if (list) list.push(value);
    else out.set(name, [value]);
  };
  for (const attr of host.template) {
    if (typeof attr.value === 'string') add(attr.name, attr.value);
    else for (const [sub, value] of Object.entries(attr.value)) add(`${attr.name}/${sub}`, value);
  }
  return [...out];
}

function numbers(record: Record<string, number>): [string, string[]][] {
  return Object.entries(record).map(([k, v]) => [k, [String(v)]]);
}

/**
 * Resolves variables of SCHED_REQUIREMENTS and SCHED_RANK against `host` the way OpenNebula does: a bare
 * name is searched in TEMPLATE, HOST_SHARE, MONITORING/CAPACITY, MONITORING/SYSTEM and the HOST fields,
 * first match wins; a name with `/` is a path below HOST (`HOST/VMS/ID`, `/HOST/TEMPLATE/ARCH`, `VMS/ID`);
 * CURRENT_VMS is the ids of the host's VMs. Everything is computed here, once per host object (hosts are
 * immutable: a changed host is a new object), so that lookups are map reads.
 */
export function hostLookup(host: Host): HostLookup {
  let lookup = LOOKUPS.get(host);
  if (!lookup) {
    lookup = buildLookup(host);
    LOOKUPS.set(host, lookup);
  }
  return lookup;
}

const LOOKUPS = new WeakMap<Host, HostLookup>();

function buildLookup(host: Host): HostLookup {
  const byName = new Map<string, string[]>();
  const byPath = new Map<string, string[]>();
  for (const section of searchedSections(host)) {
    for (const [name, values] of section.values) {
      if (!name.includes('/') && !byName.has(name)) byName.set(name, values);
      byPath.set(section.path ? `${section.path}/${name}` : name, values);
    }
  }
  for (const section of pathOnlySections(host)) {
    for (const [name, values] of section.values) byPath.set(`${section.path}/${name}`, values);
  }
  byName.set('CURRENT_VMS', host.vms.map(String));
  return (name) => {
    // Expressions mostly name variables as stored; only the rest pay for normalising.
    const exact = byName.get(name);
    if (exact) return exact;
    const key = name.toUpperCase();
    if (!key.includes('/')) return byName.get(key);
    return byPath.get(key.replace(/^\/?HOST\//, '').replace(/^\//, ''));
  };
}

/** The numeric view of a lookup that rank expressions need: the first value, if it is a number. */
export function numericLookup(lookup: HostLookup): (name: string) => number | undefined {
  return (name) => {
    const text = lookup(name)?.[0]?.trim();
    if (!text) return undefined;
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
  };
}
