import type { Logger } from 'pino';
import { ErrorCode, OneError } from '../domain/errors.js';
import { authorized, type Owned, type Requester, type Right } from '../domain/permissions.js';
import type { Lock } from '../domain/lock.js';
import type { EventArgs } from '../domain/vm-effects.js';
import { currentHistory, previousHistory, type Vm } from '../domain/vm.js';
import type { EventName } from '../lifecycle/events.js';
import { historyActionOf } from '../lifecycle/history-action-of.js';
import { transition, type Transition } from '../lifecycle/machine.js';
import type { Store, Tx } from '../store/store.js';
import type { CoreConfig } from './config.js';
import { settleSavedImage } from './saved-image.js';
import { releaseDroppedImages, releaseVmImages } from './vm-images.js';

/** The shared machinery of the use cases: the store, the clock, and the hooks that wake the loops. */
export class Core {
  /** Called after a transaction recorded driver operations (the executor picks them up). */
  onOperations: () => void = () => undefined;
  /** Called when a VM becomes schedulable (the scheduler may run early). */
  onPending: () => void = () => undefined;
  /** Called when a host is added or enabled (the monitor probes it without waiting for its interval). */
  onHostsChanged: () => void = () => undefined;

  constructor(
    readonly store: Store,
    readonly config: CoreConfig,
    readonly log: Logger,
    /** Epoch seconds. */
    readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /**
   * Takes a lifecycle event inside `tx`: moves the VM by the table, drops driver operations the event
   * supersedes, records the ones it starts. Throws OneError(ACTION) when the state does not allow it.
   */
  async applyEvent(tx: Tx, vm: Vm, event: EventName, extra: Partial<EventArgs> = {}): Promise<Transition> {
    const args: EventArgs = { now: this.now(), action: historyActionOf(event), ...extra };
    const t = transition(vm, event, args);
    if (t.run.length > 0 || t.from !== t.to || SETTLING.has(event)) {
      for (const op of await tx.operationsOfVm(vm.id)) await tx.deleteOperation(op.id);
    }
    await tx.putVm(t.vm);
    await settleSavedImage(tx, vm, t, event, args);
    if (t.to === 'DONE') await releaseVmImages(tx, t.vm);
    else await releaseDroppedImages(tx, vm, t.vm);
    if (t.run.length > 0) {
      const record = t.runAt === 'source' ? previousHistory(t.vm) : currentHistory(t.vm);
      const hostId = record?.hid ?? -1;
      await tx.addOperation({ vmId: vm.id, hostId, steps: t.run, step: 0, status: 'queued', attempts: 0, created: args.now, started: 0 });
    }
    return t;
  }

  /** After a transaction: wake whoever has work because of it. */
  settled(t: Transition | undefined): void {
    if (!t) return;
    if (t.run.length > 0) this.onOperations();
    if (t.to === 'PENDING') this.onPending();
  }
}

/** Events that settle whatever driver operation was pending, even when the state does not change. */
const SETTLING = new Set<EventName>(['success', 'failure', 'retry', 'delete', 'delete-recreate', 'delete-db']);

/** Who acted, as history records and locks keep it. */
export function actor(who: Requester): { uid: number; gid: number; reqId: number } {
  return { uid: who.uid, gid: who.gid, reqId: who.reqId ?? -1 };
}

const RIGHT_RANK: Record<Right, number> = { USE: 1, MANAGE: 2, ADMIN: 3 };

/** Throws AUTHORIZATION unless `who` has `right` on `obj`. */
export function authorize(who: Requester, obj: Owned & { id: number }, right: Right, kind: string): void {
  if (!authorized(who, obj, right)) {
    throw new OneError(
      ErrorCode.AUTHORIZATION,
      `User [${who.uid}] not authorized to perform action on ${kind} [${obj.id}]: ${right} right needed.`,
      obj.id,
    );
  }
}

/** Throws LOCKED when the object's lock level blocks `right` (a USE lock blocks everything). */
export function checkLock(obj: { id: number; lock: Lock | null }, right: Right, kind: string): void {
  if (!obj.lock) return;
  const level = obj.lock.locked === 4 ? 1 : obj.lock.locked;
  if (RIGHT_RANK[right] >= level) {
    throw new OneError(ErrorCode.LOCKED, `The resource ${kind} is locked. [${obj.id}]. Unlock it first.`, obj.id);
  }
}

/** Throws NO_EXISTS for a missing object; returns it otherwise. */
export function mustExist<T>(obj: T | undefined, kind: string, id: number): T {
  if (obj === undefined) throw new OneError(ErrorCode.NO_EXISTS, `Error getting ${kind} [${id}].`, id);
  return obj;
}
