import { ErrorCode, OneError } from '../domain/errors.js';
import { stampHistory } from '../domain/history-times.js';
import { EFFECTS, type EventArgs } from '../domain/vm-effects.js';
import { currentHistory, type Vm } from '../domain/vm.js';
import type { EventName, Operation } from './events.js';
import { GUARDS } from './guards.js';
import { stateName, stateNumbers, type StateName } from './states.js';
import { LIFECYCLE, type Move, type Row } from './table.js';

/** What taking an event does: the VM after it, and the driver operations to start. */
export interface Transition {
  vm: Vm;
  from: StateName;
  to: StateName;
  run: readonly Operation[];
  /** Where `run` happens: the open record's host, or the source of a migration. */
  runAt: 'current' | 'source';
}

/** The first row of the table for `event` in the VM's state whose guard holds. */
function findRow(vm: Vm, event: EventName): Row | undefined {
  const state = stateName(vm.state, vm.lcmState);
  return LIFECYCLE.find((row) => row.on === event && row.from.includes(state) && !('when' in row && row.when && !GUARDS[row.when](vm)));
}

/** The move the table makes for `event` in the VM's state, following aliases; undefined if none. */
export function findMove(vm: Vm, event: EventName): Move | undefined {
  const row = findRow(vm, event);
  if (row && 'same' in row) return findMove(vm, row.same);
  return row;
}

/** True when, in the VM's state, `event` stands for the outcome of the pending driver operation. */
export function settlesPending(vm: Vm, event: EventName): boolean {
  const row = findRow(vm, event);
  return row !== undefined && 'same' in row && findMove(vm, row.same) !== undefined;
}

/** True when `event` is available in the VM's current state. */
export function allows(vm: Vm, event: EventName): boolean {
  return findMove(vm, event) !== undefined;
}

/** Takes `event`: applies the row's effects and moves the VM; throws OneError(ACTION) when not available. */
export function transition(vm: Vm, event: EventName, args: EventArgs): Transition {
  const from = stateName(vm.state, vm.lcmState);
  const row = findMove(vm, event);
  if (!row) {
    throw new OneError(
      ErrorCode.ACTION,
      `Error performing action "${event}": This action is not available for state ${from}`,
      vm.id,
    );
  }
  let next = vm;
  for (const effect of row.effects ?? []) next = EFFECTS[effect](next, args);
  const { state, lcm } = stateNumbers(row.to);
  if (state !== vm.state || lcm !== vm.lcmState) {
    next = { ...next, prevState: vm.state, prevLcmState: vm.lcmState, state, lcmState: lcm, stateTime: args.now };
  }
  const last = currentHistory(next);
  if (last) next = { ...next, history: [...next.history.slice(0, -1), stampHistory(last, from, row.to, args.now)] };
  if (row.to === 'DONE') next = { ...next, etime: args.now };
  return { vm: next, from, to: row.to, run: row.run ?? [], runAt: row.at ?? 'current' };
}
