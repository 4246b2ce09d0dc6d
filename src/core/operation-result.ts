import type { OutcomeEvent } from '../lifecycle/events.js';
import type { OperationRecord } from '../store/store.js';
import type { Core } from './core.js';

/** Marks an operation as handed to a driver; returns it, or undefined if it was superseded meanwhile. */
export async function claimOperation(core: Core, opId: number): Promise<OperationRecord | undefined> {
  return core.store.tx(async (tx) => {
    const op = await tx.getOperation(opId);
    if (!op) return undefined;
    const claimed: OperationRecord = { ...op, status: 'running', attempts: op.attempts + 1, started: core.now() };
    await tx.putOperation(claimed);
    return claimed;
  });
}

/** Records that one step of a multi-step operation finished, so a restart resumes after it. */
export async function operationStepDone(core: Core, opId: number, step: number): Promise<boolean> {
  return core.store.tx(async (tx) => {
    const op = await tx.getOperation(opId);
    if (!op) return false;
    await tx.putOperation({ ...op, step: step + 1 });
    return true;
  });
}

/**
 * A driver's answer: the operation's outcome moves the VM by the table. An answer for an operation that
 * was superseded (a hard action, recover) is dropped: the VM has moved on.
 */
export async function operationResult(core: Core, opId: number, outcome: OutcomeEvent, info: string): Promise<void> {
  const t = await core.store.tx(async (tx) => {
    const op = await tx.getOperation(opId);
    if (!op) return undefined;
    const vm = await tx.getVm(op.vmId);
    await tx.deleteOperation(opId);
    if (!vm) return undefined;
    return core.applyEvent(tx, vm, outcome, outcome === 'success' ? { info } : { message: info });
  });
  if (t) core.log.info({ vm: t.vm.id, outcome, from: t.from, to: t.to }, 'driver operation settled');
  core.settled(t);
}
