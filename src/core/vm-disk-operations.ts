import { ErrorCode, OneError } from '../domain/errors.js';
import type { Requester } from '../domain/permissions.js';
import { addAttachingDisk, markDetach, markResize, nextDiskId } from '../domain/vm-disk-operations.js';
import type { Vm } from '../domain/vm.js';
import type { DiskHotplugEvent } from '../lifecycle/events.js';
import { allows } from '../lifecycle/machine.js';
import { stateName } from '../lifecycle/states.js';
import { getVectors } from '../template/access.js';
import type { Tx } from '../store/store.js';
import { actor, type Core } from './core.js';
import { parseUserTemplate } from './vm-create.js';
import { persistentImageTrees, takeDiskImage } from './vm-images.js';
import { vmFor } from './vm-lookup.js';

/** OpenNebula's words for each refused operation, and the states it needs. */
const REFUSED: Record<DiskHotplugEvent, { what: string; hint: string }> = {
  'disk-attach': { what: 'Could not attach a new disk to VM', hint: 'disks are attached to RUNNING (hot) or POWEROFF VMs' },
  'disk-detach': { what: 'Could not detach disk from VM', hint: 'disks are detached from RUNNING (hot) or POWEROFF VMs' },
  'disk-resize': { what: 'Could not resize disk of VM', hint: 'disks grow while the VM is RUNNING, POWEROFF or UNDEPLOYED' },
};

/**
 * Checks the state, lets `prepare` mark the disk (taking its image inside the transaction), takes the
 * event and records the driver operation, all in one transaction: a refusal changes nothing.
 */
async function diskOperation(core: Core, who: Requester, id: number, event: DiskHotplugEvent, prepare: (tx: Tx, vm: Vm) => Promise<Vm> | Vm): Promise<void> {
  const t = await core.store.tx(async (tx) => {
    const vm = await vmFor(tx, who, id, 'MANAGE');
    if (!allows(vm, event)) {
      throw new OneError(ErrorCode.ACTION, `${REFUSED[event].what} ${id}, wrong state ${stateName(vm.state, vm.lcmState)}: ${REFUSED[event].hint}.`, id);
    }
    return core.applyEvent(tx, await prepare(tx, vm), event, actor(who));
  });
  core.log.info({ vm: id, action: event, from: t.from, to: t.to }, 'VM disk operation');
  core.settled(t);
}

/** one.vm.attach: `text` holds one DISK = [ ... ] naming an image (or a volatile disk). */
export async function attachDisk(core: Core, who: Requester, id: number, text: string): Promise<number> {
  const disks = getVectors(parseUserTemplate(text, ErrorCode.ACTION), 'DISK');
  if (disks.length !== 1) {
    throw new OneError(ErrorCode.ACTION, `Give exactly one DISK = [ ... ] to attach, e.g. DISK = [ IMAGE_ID = 3 ]; got ${disks.length}.`, id);
  }
  await diskOperation(core, who, id, 'disk-attach', async (tx, vm) => {
    const disk = await takeDiskImage(tx, who, id, { ...disks[0]!, DISK_ID: String(nextDiskId(vm)) }, ErrorCode.ACTION);
    if (disk.TYPE === 'CDROM' && stateName(vm.state, vm.lcmState) === 'RUNNING') {
      throw new OneError(ErrorCode.ACTION, `Could not attach a new disk to VM ${id}: a CD-ROM cannot be plugged into a running guest; power the VM off and attach it then.`, id);
    }
    const attached = addAttachingDisk(vm, disk);
    // a persistent image brings the snapshots its file holds
    const trees = await persistentImageTrees(tx, [getVectors(attached.template, 'DISK').at(-1)!]);
    return trees.length > 0 ? { ...attached, diskSnapshots: [...(vm.diskSnapshots ?? []), ...trees] } : attached;
  });
  return id;
}

/** one.vm.detach */
export async function detachDisk(core: Core, who: Requester, id: number, diskId: number): Promise<number> {
  await diskOperation(core, who, id, 'disk-detach', (_tx, vm) => markDetach(vm, diskId));
  return id;
}

/** one.vm.diskresize: `size` is the new size in MB, as a string (OpenNebula's signature). */
export async function resizeDisk(core: Core, who: Requester, id: number, diskId: number, size: string): Promise<number> {
  const mb = Number(size.trim());
  await diskOperation(core, who, id, 'disk-resize', (_tx, vm) => markResize(vm, diskId, mb));
  return id;
}
