import { getSingle, removeAttr, setSingle } from '../template/access.js';
import { errorText } from '../domain/vm-effects.js';
import type { Core } from './core.js';

/** Writes (or clears) USER_TEMPLATE/SCHED_MESSAGE, stamped like OpenNebula's; a VM that is unchanged is not rewritten. */
export async function setSchedMessage(core: Core, vmId: number, message: string | undefined): Promise<void> {
  await core.store.tx(async (tx) => {
    const vm = await tx.getVm(vmId);
    if (!vm) return;
    const old = getSingle(vm.userTemplate, 'SCHED_MESSAGE');
    if (message === undefined) {
      if (old !== undefined) await tx.putVm({ ...vm, userTemplate: removeAttr(vm.userTemplate, 'SCHED_MESSAGE') });
      return;
    }
    if (old?.endsWith(` : ${message}`)) return;
    const stamped = errorText(core.now(), message);
    await tx.putVm({ ...vm, userTemplate: setSingle(vm.userTemplate, 'SCHED_MESSAGE', stamped) });
  });
}
