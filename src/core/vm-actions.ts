import { ErrorCode, OneError } from '../domain/errors.js';
import type { Requester, Right } from '../domain/permissions.js';
import { USER_ACTIONS, type UserAction } from '../lifecycle/events.js';
import { actor, type Core } from './core.js';
import { vmFor } from './vm-lookup.js';

/** The right each action needs (oned.conf VM_*_OPERATIONS defaults). */
const ACTION_RIGHT: Record<UserAction, Right> = Object.fromEntries(
  USER_ACTIONS.map((a) => [a, a === 'resched' || a === 'unresched' ? 'ADMIN' : 'MANAGE']),
) as Record<UserAction, Right>;

/** one.vm.action */
export async function vmAction(core: Core, who: Requester, action: string, id: number): Promise<number> {
  if (!(USER_ACTIONS as readonly string[]).includes(action)) {
    throw new OneError(ErrorCode.ACTION, `Action "${action}" is not supported. Use one of: ${USER_ACTIONS.join(', ')}.`, id);
  }
  const a = action as UserAction;
  const t = await core.store.tx(async (tx) => {
    const vm = await vmFor(tx, who, id, ACTION_RIGHT[a]);
    return core.applyEvent(tx, vm, a, actor(who));
  });
  core.log.info({ vm: id, action, from: t.from, to: t.to }, 'VM action');
  core.settled(t);
  return id;
}
