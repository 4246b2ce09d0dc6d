import { ErrorCode } from '../domain/errors.js';
import type { Image } from '../domain/image.js';
import type { Requester } from '../domain/permissions.js';
import { imageRefOf } from '../domain/vm-disks.js';
import { getVectors, removeAttr, setSingle } from '../template/access.js';
import { mergeTemplate } from '../template/merge.js';
import type { Template, TemplateVector } from '../template/types.js';
import type { Core } from './core.js';
import { addClone, startCopy } from './images.js';
import { addTemplate, templateFor } from './templates.js';
import { insertVm } from './vm-create.js';
import { findImage, withDisks } from './vm-images.js';

/** How a DISK may name its image besides IMAGE_ID; a clone's DISK names its own image by IMAGE_ID alone. */
const IMAGE_NAMING = ['IMAGE', 'IMAGE_UNAME', 'IMAGE_UID'];

/**
 * one.template.instantiate to persistent, as OpenNebula clones recursively: the template `id` (with `extra`
 * merged) is copied for the caller as `name` (or `<template>-copy`), each DISK's image cloned into a private
 * persistent image `<copy>-disk-<i>` (i counts every DISK; volatile ones stay as they are) that the copy's
 * DISK names, and a VM is made from the copy. The VM waits in CLONING until the images' copies are done.
 * Everything is created in one transaction, so a refusal leaves nothing behind. Returns the VM's id.
 */
export async function instantiatePersistent(core: Core, who: Requester, id: number, name: string, hold: boolean, extra: Template): Promise<number> {
  const { vmId, clones } = await core.store.tx(async (tx) => {
    const source = await templateFor(tx, who, id, 'USE');
    const copyName = name || `${source.name}-copy`;
    const body = mergeTemplate(source.template, extra);
    const clones: Image[] = [];
    const disks: TemplateVector[] = [];
    for (const [i, disk] of getVectors(body, 'DISK').entries()) {
      const ref = imageRefOf(disk, ErrorCode.ACTION);
      if (!ref) {
        disks.push(disk);
        continue;
      }
      const img = await findImage(tx, who, ref, ErrorCode.ACTION);
      const clone = await addClone(core, tx, who, img.id, `${copyName}-disk-${i}`, -1, true);
      clones.push(clone);
      const own: TemplateVector = { ...disk, IMAGE_ID: String(clone.id) };
      for (const attr of IMAGE_NAMING) delete own[attr];
      disks.push(own);
    }
    const copy = withDisks(body, disks);
    const templateId = await addTemplate(core, tx, who, copyName, copy);
    const vmBody = setSingle(setSingle(removeAttr(copy, 'NAME'), 'TEMPLATE_ID', String(templateId)), 'CLONING_TEMPLATE_ID', String(id));
    const vmId = await insertVm(core, tx, who, vmBody, { name: name || undefined, fallbackPrefix: copyName, hold, cloning: true });
    return { vmId, clones };
  });
  for (const img of clones) startCopy(core, img);
  core.log.info({ vm: vmId, template: id, images: clones.map((c) => c.id) }, 'VM instantiated to persistent');
  core.onPending();
  return vmId;
}
