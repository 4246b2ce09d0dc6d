import { ImageState, type Image } from '../domain/image.js';
import { imageIdsOf } from '../domain/vm-disks.js';
import type { Vm } from '../domain/vm.js';
import type { Transition } from '../lifecycle/machine.js';
import { VmState } from '../lifecycle/states.js';
import { getVectors } from '../template/access.js';
import type { Tx } from '../store/store.js';
import type { Core } from './core.js';

/** Whether one of the images the VM's disks take is still being copied. */
export async function waitsForImages(tx: Tx, vm: Vm): Promise<boolean> {
  for (const id of imageIdsOf(getVectors(vm.template, 'DISK'))) {
    if ((await tx.getImage(id))?.state === ImageState.LOCKED) return true;
  }
  return false;
}

/**
 * Inside the transaction that settled the copy of `img` (failed with `error` when given): each VM waiting for it
 * in CLONING takes the outcome, a failure at once (CLONING_FAILURE, the reason in ERROR), a success once none of
 * its images is still LOCKED (PENDING, for the scheduler). Returns how they moved.
 */
export async function tellCloningVms(core: Core, tx: Tx, img: Image, error?: string): Promise<Transition[]> {
  const moved: Transition[] = [];
  for (const id of img.vms) {
    const vm = await tx.getVm(id);
    if (vm?.state !== VmState.CLONING) continue;
    if (error !== undefined) moved.push(await core.applyEvent(tx, vm, 'failure', { message: `Cannot copy image [${img.id}] "${img.name}": ${error}` }));
    else if (!(await waitsForImages(tx, vm))) moved.push(await core.applyEvent(tx, vm, 'success'));
  }
  return moved;
}
