import { diskToSave, markSaveAs, saveAsImageSpec } from '../domain/disk-saveas.js';
import { ErrorCode, OneError } from '../domain/errors.js';
import { checkName } from '../domain/names.js';
import type { Requester } from '../domain/permissions.js';
import { allows } from '../lifecycle/machine.js';
import { stateName } from '../lifecycle/states.js';
import { actor, mustExist, type Core } from './core.js';
import { addImage } from './images.js';
import { vmFor } from './vm-lookup.js';

/**
 * one.vm.disksaveas: DISK `diskId` of the VM (at disk snapshot `snapId`, -1 for now) becomes the new image
 * `name` of `typeText` ('' for the type of the disk's image), owned by the caller, in the datastore of the
 * disk's image. The image is created LOCKED, the disk marked and the VM moved in one transaction; the drivers
 * write the file and the outcome settles the image (saved-image.ts). Returns the new image's id.
 */
export async function diskSaveAs(core: Core, who: Requester, id: number, diskId: number, name: string, typeText: string, snapId: number): Promise<number> {
  checkName(name, ErrorCode.ALLOCATE);
  const { t, imageId } = await core.store.tx(async (tx) => {
    const vm = await vmFor(tx, who, id, 'MANAGE');
    if (!allows(vm, 'disk-saveas')) {
      const state = stateName(vm.state, vm.lcmState);
      throw new OneError(ErrorCode.ACTION, `Cannot save a disk of VM ${id} in state ${state}: it must be RUNNING, POWEROFF, SUSPENDED, UNDEPLOYED or STOPPED.`, id);
    }
    const disk = diskToSave(vm, diskId, snapId);
    const source = mustExist(await tx.getImage(Number(disk.IMAGE_ID)), 'image', Number(disk.IMAGE_ID));
    const img = await addImage(core, tx, who, saveAsImageSpec(vm, disk, source, name, typeText), source.datastoreId, false);
    return { t: await core.applyEvent(tx, markSaveAs(vm, diskId, img, snapId), 'disk-saveas', actor(who)), imageId: img.id };
  });
  core.log.info({ vm: id, disk: diskId, image: imageId, from: t.from, to: t.to }, 'VM disk save-as');
  core.settled(t);
  return imageId;
}
