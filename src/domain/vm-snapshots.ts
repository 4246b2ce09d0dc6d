import { getNumber, getVectors } from '../template/access.js';
import type { Attribute, Template, TemplateVector } from '../template/types.js';
import type { Vm } from './vm.js';

/**
 * System snapshots (memory and disks of a running guest) live in the VM's TEMPLATE as
 * `SNAPSHOT = [ SNAPSHOT_ID, NAME, TIME, HYPERVISOR_ID, SYSTEM_DISK_SIZE ]`. The one a driver operation is
 * about carries ACTIVE = "YES" and ACTION = what is being done to it, until the operation settles.
 */
export type SnapshotAction = 'CREATE' | 'REVERT' | 'DELETE';

type VectorAttribute = Attribute & { value: TemplateVector };
const isSnapshot = (a: Attribute): a is VectorAttribute => a.name === 'SNAPSHOT' && typeof a.value !== 'string';

/** The VM's system snapshots, in the order they were taken. */
export function snapshotsOf(vm: Vm): TemplateVector[] {
  return getVectors(vm.template, 'SNAPSHOT');
}

/** The snapshot with SNAPSHOT_ID `snapId`, if the VM has it. */
export function findSnapshot(vm: Vm, snapId: number): TemplateVector | undefined {
  return snapshotsOf(vm).find((s) => s.SNAPSHOT_ID === String(snapId));
}

/** The snapshot a driver operation is about: the one marked ACTIVE = "YES". */
export function activeSnapshot(vm: Vm): TemplateVector | undefined {
  return snapshotsOf(vm).find((s) => s.ACTIVE === 'YES');
}

/** Rewrites the first snapshot `pick` chooses with `f`; `f` answering undefined removes it. */
function changeSnapshot(t: Template, pick: (s: TemplateVector) => boolean, f: (s: TemplateVector) => TemplateVector | undefined): Template {
  const i = t.findIndex((a) => isSnapshot(a) && pick(a.value));
  if (i < 0) return t;
  const next = f((t[i] as VectorAttribute).value);
  return [...t.slice(0, i), ...(next ? [{ name: 'SNAPSHOT', value: next }] : []), ...t.slice(i + 1)];
}

/** A snapshot without the marks of a pending operation. */
function unmarked(s: TemplateVector): TemplateVector {
  const { ACTIVE: _active, ACTION: _action, ...rest } = s;
  return rest;
}

/**
 * The VM with a new snapshot marked for creation, numbered one above the highest SNAPSHOT_ID; an empty
 * name becomes `snapshot-<id>`. SYSTEM_DISK_SIZE is the memory it saves, in MB (OpenNebula adds disks
 * times VM_SNAPSHOT_FACTOR, 0 by default).
 */
export function addSnapshot(vm: Vm, name: string, now: number): { vm: Vm; snapId: number } {
  const snapId = snapshotsOf(vm).reduce((max, s) => Math.max(max, Number(s.SNAPSHOT_ID) || 0), -1) + 1;
  const snapshot: TemplateVector = {
    ACTION: 'CREATE', ACTIVE: 'YES', HYPERVISOR_ID: '', NAME: name || `snapshot-${snapId}`, SNAPSHOT_ID: String(snapId),
    SYSTEM_DISK_SIZE: String(getNumber(vm.template, 'MEMORY') ?? 0), TIME: String(now),
  };
  return { vm: { ...vm, template: [...vm.template, { name: 'SNAPSHOT', value: snapshot }] }, snapId };
}

/** The VM with snapshot `snapId` marked for `action`; undefined when the VM has no such snapshot. */
export function markSnapshot(vm: Vm, snapId: number, action: Exclude<SnapshotAction, 'CREATE'>): Vm | undefined {
  if (!findSnapshot(vm, snapId)) return undefined;
  const template = changeSnapshot(vm.template, (s) => s.SNAPSHOT_ID === String(snapId), (s) => ({ ...s, ACTIVE: 'YES', ACTION: action }));
  return { ...vm, template };
}

/**
 * The pending snapshot operation succeeded: a created snapshot keeps the name the hypervisor gave it, a
 * deleted one goes, a reverted one stays as it was.
 */
export function settleSnapshot(vm: Vm, hypervisorId: string | undefined): Vm {
  const template = changeSnapshot(vm.template, (s) => s.ACTIVE === 'YES', (s) => {
    if (s.ACTION === 'DELETE') return undefined;
    if (s.ACTION === 'CREATE' && hypervisorId) return { ...unmarked(s), HYPERVISOR_ID: hypervisorId };
    return unmarked(s);
  });
  return { ...vm, template };
}

/** The pending snapshot operation failed: a snapshot that was being created never existed; others stay. */
export function abandonSnapshot(vm: Vm): Vm {
  const template = changeSnapshot(vm.template, (s) => s.ACTIVE === 'YES', (s) => (s.ACTION === 'CREATE' ? undefined : unmarked(s)));
  return { ...vm, template };
}

/** The VM without system snapshots: they live in the running guest and are lost when it stops. */
export function dropSnapshots(vm: Vm): Vm {
  return vm.template.some(isSnapshot) ? { ...vm, template: vm.template.filter((a) => a.name !== 'SNAPSHOT') } : vm;
}
