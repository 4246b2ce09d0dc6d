import type { Template } from '../template/types.js';
import type { Vm } from '../domain/vm.js';

type Json = string | Json[] | { [k: string]: Json };

/** A template as JSON shaped like its XML: repeated names become arrays, vectors objects. */
function templateJson(t: Template): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const a of t) {
    const v: Json = a.value;
    const prev = out[a.name];
    if (prev === undefined) out[a.name] = v;
    else out[a.name] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * The document `--search KEY=VALUE` looks into: `VM.NAME`, `VM.UNAME`, `VM.TEMPLATE.NIC[*].MAC`,
 * `VM.HISTORY_RECORDS.HISTORY.HOSTNAME`, ...
 */
export function vmSearchDocument(vm: Vm): string {
  return JSON.stringify({
    VM: {
      ID: String(vm.id), UID: String(vm.uid), GID: String(vm.gid), UNAME: vm.uname, GNAME: vm.gname,
      NAME: vm.name, STATE: String(vm.state), LCM_STATE: String(vm.lcmState), DEPLOY_ID: vm.deployId,
      TEMPLATE: templateJson(vm.template), USER_TEMPLATE: templateJson(vm.userTemplate),
      HISTORY_RECORDS: {
        HISTORY: vm.history.map((h) => ({
          SEQ: String(h.seq), HOSTNAME: h.hostname, HID: String(h.hid), CID: String(h.cid), DS_ID: String(h.dsId),
          VM_MAD: h.vmMad, TM_MAD: h.tmMad, ACTION: String(h.action),
        })),
      },
    },
  });
}

/** One `KEY=VALUE` term; a term with no `=` searches every value. */
export interface SearchTerm {
  /** JSON path with array markers removed (`$.VM.TEMPLATE.NIC.MAC`), or undefined for any key. */
  key?: string;
  value: string;
}

/** Parses `KEY=VALUE&KEY2=VALUE2` (OpenNebula's search syntax). */
export function parseSearch(query: string): SearchTerm[] {
  return query
    .split('&')
    .filter((t) => t.trim() !== '')
    .map((term) => {
      const eq = term.indexOf('=');
      if (eq < 0) return { value: term };
      return { key: normalizeKey(`$.${term.slice(0, eq).trim()}`), value: term.slice(eq + 1) };
    });
}

/**
 * Drops array indices and `[*]`, so that one NIC and many NICs match the same key, and the quotes
 * SQLite's json_tree puts around keys such as "USER_TEMPLATE".
 */
export function normalizeKey(path: string): string {
  return path.replace(/\[(\*|\d+)\]/g, '').replace(/"/g, '');
}
