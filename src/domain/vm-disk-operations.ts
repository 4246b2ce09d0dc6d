import { getVector, getVectors } from '../template/access.js';
import type { TemplateVector } from '../template/types.js';
import { ErrorCode, OneError } from './errors.js';
import { dropDisk } from './disk-snapshots.js';
import { assignTargets, findDisk, mapDisks } from './vm-disks.js';
import type { Vm } from './vm.js';

/**
 * A disk being attached, detached or grown carries a mark until its driver operation settles, as OpenNebula
 * marks it with ATTACH = "YES": ATTACH on a disk being added, DETACH on one being removed, RESIZE on one
 * growing (with its old SIZE in SIZE_PREV). The outcome decides what stays.
 */
const MARKS = { attach: 'ATTACH', detach: 'DETACH', resize: 'RESIZE' } as const;
export type DiskOperation = keyof typeof MARKS;
const SIZE_PREV = 'SIZE_PREV';

/** The disk an operation works on, and which operation. */
export function markedDisk(vm: Vm): { disk: TemplateVector; op: DiskOperation } | undefined {
  for (const disk of getVectors(vm.template, 'DISK')) {
    for (const op of Object.keys(MARKS) as DiskOperation[]) if (disk[MARKS[op]] === 'YES') return { disk, op };
  }
  return undefined;
}

/** The id a new disk gets: one past every DISK and the context CD-ROM, so no file name is reused. */
export function nextDiskId(vm: Vm): number {
  const ids = [...getVectors(vm.template, 'DISK'), getVector(vm.template, 'CONTEXT') ?? {}].map((d) => Number(d.DISK_ID ?? -1));
  return Math.max(-1, ...ids) + 1;
}

/** The VM with `disk` (already filled in from its image) added as DISK `DISK_ID`, marked for attach, with a free TARGET. */
export function addAttachingDisk(vm: Vm, disk: TemplateVector): Vm {
  const disks = getVectors(vm.template, 'DISK');
  const context = getVector(vm.template, 'CONTEXT');
  // the context CD-ROM's target is taken too
  const taken = context?.TARGET ? [...disks, { TARGET: context.TARGET }] : disks;
  const [added] = assignTargets([...taken, { ...disk, DISK_ID: String(nextDiskId(vm)), [MARKS.attach]: 'YES' }]).slice(-1);
  return { ...vm, template: [...vm.template, { name: 'DISK', value: added! }] };
}

/** DISK `diskId` of the VM; ACTION naming `verb` when it has no such disk. */
function existingDisk(vm: Vm, diskId: number, verb: string): TemplateVector {
  const disk = findDisk(vm, diskId);
  if (disk) return disk;
  const context = getVector(vm.template, 'CONTEXT')?.DISK_ID === String(diskId);
  const why = context ? 'it is the context CD-ROM, made from the VM\'s CONTEXT' : 'the VM has no such disk (onevm show lists them)';
  throw new OneError(ErrorCode.ACTION, `Cannot ${verb} DISK ${diskId} of VM ${vm.id}: ${why}.`, vm.id);
}

/** The VM with DISK `diskId` marked for detach; ACTION when it has no such disk. */
export function markDetach(vm: Vm, diskId: number): Vm {
  existingDisk(vm, diskId, 'detach');
  return changeDisks(vm, (d) => (d.DISK_ID === String(diskId) ? { ...d, [MARKS.detach]: 'YES' } : d));
}

/**
 * The VM with DISK `diskId` growing to `sizeMb`: a disk only grows (the guest's data must fit), and
 * CD-ROMs do not change. ACTION says what to do otherwise.
 */
export function markResize(vm: Vm, diskId: number, sizeMb: number): Vm {
  const disk = existingDisk(vm, diskId, 'resize');
  const size = Number(disk.SIZE ?? 0);
  const refuse = (why: string) => { throw new OneError(ErrorCode.ACTION, `Cannot resize DISK ${diskId} of VM ${vm.id}: ${why}.`, vm.id); };
  if (!Number.isInteger(sizeMb) || sizeMb <= 0) refuse(`the new size must be a whole number of MB, got "${sizeMb}"`);
  if (disk.TYPE?.toUpperCase() === 'CDROM' || disk.READONLY === 'YES') refuse('it is read-only');
  if (sizeMb <= size) refuse(`a disk can only grow: it has ${size} MB, give more than that`);
  return changeDisks(vm, (d) => (d.DISK_ID === String(diskId) ? { ...d, [MARKS.resize]: 'YES', [SIZE_PREV]: String(size), SIZE: String(sizeMb) } : d));
}

/** The operation worked: an attached disk stays, a detached one goes (with its snapshots), a grown one keeps its new SIZE. */
export function settleDiskOperation(vm: Vm): Vm {
  const detached = markedDisk(vm)?.op === 'detach' ? Number(markedDisk(vm)!.disk.DISK_ID) : undefined;
  const next = changeDisks(vm, (d) => (d[MARKS.detach] === 'YES' ? undefined : unmarked(d)));
  return detached === undefined || !vm.diskSnapshots ? next : { ...next, diskSnapshots: dropDisk(vm.diskSnapshots, detached) };
}

/** The operation failed: an attached disk goes (with the snapshots its image brought), a detached one stays, a grown one gets its old SIZE back. */
export function abandonDiskOperation(vm: Vm): Vm {
  const attached = markedDisk(vm)?.op === 'attach' ? Number(markedDisk(vm)!.disk.DISK_ID) : undefined;
  const next = changeDisks(vm, (d) => {
    if (d[MARKS.attach] === 'YES') return undefined;
    if (d[MARKS.resize] === 'YES' && d[SIZE_PREV] !== undefined) return unmarked({ ...d, SIZE: d[SIZE_PREV] });
    return unmarked(d);
  });
  return attached === undefined || !vm.diskSnapshots ? next : { ...next, diskSnapshots: dropDisk(vm.diskSnapshots, attached) };
}

function unmarked(d: TemplateVector): TemplateVector {
  if (![...Object.values(MARKS), SIZE_PREV].some((k) => d[k] !== undefined)) return d;
  const { [MARKS.attach]: _a, [MARKS.detach]: _d, [MARKS.resize]: _r, [SIZE_PREV]: _p, ...rest } = d;
  return rest;
}

/** Rewrites every DISK with `f`; undefined removes it. */
function changeDisks(vm: Vm, f: (d: TemplateVector) => TemplateVector | undefined): Vm {
  return { ...vm, template: mapDisks(vm.template, f) };
}
