import { savingDisk } from '../domain/disk-saveas.js';
import { ImageState, withState } from '../domain/image.js';
import { errorText, type EventArgs } from '../domain/vm-effects.js';
import type { Vm } from '../domain/vm.js';
import type { EventName } from '../lifecycle/events.js';
import type { Transition } from '../lifecycle/machine.js';
import { setSingle } from '../template/access.js';
import type { Tx } from '../store/store.js';

const saving = (state: string) => state.startsWith('HOTPLUG_SAVEAS');

/**
 * Inside the transaction of an event that takes `vm` out of a HOTPLUG_SAVEAS state: the image its disk was being
 * saved into is READY when the copy succeeded, otherwise ERROR with the reason in its template's ERROR.
 */
export async function settleSavedImage(tx: Tx, vm: Vm, t: Transition, event: EventName, args: EventArgs): Promise<void> {
  if (!saving(t.from) || saving(t.to)) return;
  const disk = savingDisk(vm);
  const img = disk && (await tx.getImage(Number(disk.HOTPLUG_SAVE_AS)));
  if (!img || img.state !== ImageState.LOCKED) return;
  const done = { ...img, modtime: args.now };
  if (event === 'success') {
    await tx.putImage(withState(done, ImageState.READY));
    return;
  }
  const why = event === 'failure' ? args.message ?? 'unknown error' : `the VM left ${t.from} by ${event}`;
  const message = errorText(args.now, `Error saving DISK ${disk.DISK_ID} of VM ${vm.id}: ${why}`);
  await tx.putImage({ ...withState(done, ImageState.ERROR), template: setSingle(img.template, 'ERROR', message) });
}
