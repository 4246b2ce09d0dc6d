import { historyActionNumber, type HistoryAction } from '../lifecycle/history-actions.js';
import type { Effect } from '../lifecycle/table.js';
import { setSingle } from '../template/access.js';
import { clearSaveAs } from './disk-saveas.js';
import { abandonDiskOperation, settleDiskOperation } from './vm-disk-operations.js';
import { closeHistory } from './history-times.js';
import { copyHistory, newHistory, type History, type Placement } from './history.js';
import { abandonDiskSnapshot, dropClonedDiskSnapshots, settleDiskSnapshot } from './vm-disk-snapshots.js';
import { keepResize, undoResize } from './vm-resize.js';
import { abandonSnapshot, dropSnapshots, settleSnapshot } from './vm-snapshots.js';
import { currentHistory, previousHistory, type Vm } from './vm.js';

/** What an event brings with it, for the effects of its row. */
export interface EventArgs {
  now: number;
  /** The history ACTION the event records. */
  action: HistoryAction;
  /** Target host of a deploy or migration. */
  placement?: Placement;
  /** A driver's or the user's message (for USER_TEMPLATE/ERROR). */
  message?: string;
  /** What the driver returned (the deploy id after a deploy). */
  info?: string;
  uid?: number;
  gid?: number;
  reqId?: number;
}

type EffectFn = (vm: Vm, args: EventArgs) => Vm;

function withLast(vm: Vm, f: (h: History) => History): Vm {
  const last = currentHistory(vm);
  if (!last) return vm;
  return { ...vm, history: [...vm.history.slice(0, -1), f(last)] };
}

function markAction(h: History, args: EventArgs): History {
  return { ...h, action: historyActionNumber(args.action), uid: args.uid ?? -1, gid: args.gid ?? -1, reqId: args.reqId ?? -1 };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** ctime(3) in UTC: `Thu Jan  1 00:00:00 1970`, the stamp OpenNebula puts on ERROR and SCHED_MESSAGE. */
export function ctime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** `<ctime> : <message>`, the way OpenNebula stamps ERROR. */
export function errorText(now: number, message: string): string {
  return `${ctime(now)} : ${message}`;
}

/** The code of each named effect of the lifecycle table. */
export const EFFECTS: Record<Effect, EffectFn> = {
  openHistory(vm, args) {
    if (!args.placement) throw new Error('openHistory needs a placement');
    const migrating = args.action !== 'deploy';
    const closed = migrating ? withLast(vm, (h) => closeHistory(markAction(h, args), args.now)) : vm;
    const opened = newHistory(currentHistory(closed), args.placement, args.now);
    return { ...closed, history: [...closed.history, opened] };
  },
  revertMigration(vm, args) {
    const source = previousHistory(vm);
    if (!source) return vm;
    const closed = withLast(vm, (h) => closeHistory(h, args.now));
    const back = { ...newHistory(currentHistory(closed), source, args.now), rstime: args.now };
    return { ...closed, history: [...closed.history, back] };
  },
  setError(vm, args) {
    return { ...vm, userTemplate: setSingle(vm.userTemplate, 'ERROR', errorText(args.now, args.message ?? 'unknown error')) };
  },
  recordAction(vm, args) {
    return withLast(vm, (h) => markAction(h, args));
  },
  splitHistory(vm, args) {
    const last = currentHistory(vm);
    if (!last) return vm;
    // The copy is taken from the open record, so a guest that keeps running keeps running in the copy.
    const copy = copyHistory(last, args.now);
    return { ...vm, history: [...vm.history.slice(0, -1), closeHistory(markAction(last, args), args.now), copy] };
  },
  setResched: (vm) => ({ ...vm, resched: 1 }),
  clearResched: (vm) => ({ ...vm, resched: 0 }),
  setDeployId: (vm, args) => (args.info ? { ...vm, deployId: args.info } : vm),
  settleSnapshot: (vm, args) => settleSnapshot(vm, args.info),
  abandonSnapshot: (vm) => abandonSnapshot(vm),
  dropSnapshots: (vm) => dropSnapshots(vm),
  keepResize: (vm) => keepResize(vm),
  undoResize: (vm) => undoResize(vm),
  settleDiskSnapshot: (vm) => settleDiskSnapshot(vm),
  abandonDiskSnapshot: (vm) => abandonDiskSnapshot(vm),
  dropClonedDiskSnapshots: (vm) => dropClonedDiskSnapshots(vm),
  clearSaveAs: (vm) => clearSaveAs(vm),
  settleDiskOperation: (vm) => settleDiskOperation(vm),
  abandonDiskOperation: (vm) => abandonDiskOperation(vm),
};
