import { ErrorCode, OneError } from '../domain/errors.js';
import type { Requester } from '../domain/permissions.js';
import type { OutcomeEvent, RecoverEvent } from '../lifecycle/events.js';
import { stateName } from '../lifecycle/states.js';
import { isFailureState } from '../lifecycle/table.js';
import { actor, type Core } from './core.js';
import { vmFor } from './vm-lookup.js';

/** one.vm.recover operation codes. */
const RECOVER_OPS: (OutcomeEvent | RecoverEvent)[] = ['failure', 'success', 'retry', 'delete', 'delete-recreate', 'delete-db'];

/**
 * one.vm.recover. success/failure pretend the pending driver operation ended that way; retry re-runs it
 * (from a *_FAILURE state the table says which operation); delete and delete-recreate clean up first.
 */
export async function recoverVm(core: Core, who: Requester, id: number, op: number): Promise<number> {
  const event = RECOVER_OPS[op];
  if (event === undefined) throw new OneError(ErrorCode.XML_RPC_API, `Wrong recovery operation code ${op}: use 0 failure, 1 success, 2 retry, 3 delete, 4 delete-recreate or 5 delete-db.`, id);
  const t = await core.store.tx(async (tx) => {
    const vm = await vmFor(tx, who, id, 'ADMIN');
    const pending = await tx.operationsOfVm(id);
    const state = stateName(vm.state, vm.lcmState);
    if (event === 'retry' && pending.length > 0) {
      // A transitional state: run the same operation again from its first unfinished step, as a new
      // record, so that a late answer of the old attempt is ignored.
      for (const p of pending) await tx.deleteOperation(p.id);
      const { id: _old, ...again } = pending[0];
      await tx.addOperation({ ...again, status: 'queued', created: core.now(), started: 0 });
      return { vm, from: state, to: state, run: again.steps, runAt: 'current' as const };
    }
    if ((event === 'success' || event === 'failure') && pending.length === 0 && !isFailureState(state) && state !== 'UNKNOWN') {
      throw new OneError(ErrorCode.ACTION, `VM ${id} is in state ${state}, which has no pending operation to recover.`, id);
    }
    return core.applyEvent(tx, vm, event, { ...actor(who), message: 'recovered by hand as failed' });
  });
  core.log.info({ vm: id, op: event, from: t.from, to: t.to }, 'VM recover');
  core.settled(t);
  return id;
}
