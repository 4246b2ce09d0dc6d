import type { Requester, Right } from '../domain/permissions.js';
import type { Vm } from '../domain/vm.js';
import type { Tx } from '../store/store.js';
import { authorize, checkLock, mustExist } from './core.js';

/** The VM `id`, checked to exist, to be unlocked for `right`, and that `who` holds `right` on it. */
export async function vmFor(tx: Tx, who: Requester, id: number, right: Right): Promise<Vm> {
  const vm = mustExist(await tx.getVm(id), 'virtual machine', id);
  authorize(who, vm, right, 'VM');
  checkLock(vm, right, 'VM');
  return vm;
}
