import { ImageState, withState, type Image } from '../domain/image.js';
import type { DsAction, DsFile } from '../drivers/types.js';
import type { Transition } from '../lifecycle/machine.js';
import { removeAttr, setSingle } from '../template/access.js';
import type { DsOperation, OperationRecord, Tx } from '../store/store.js';
import type { Core } from './core.js';
import { tellCloningVms } from './vm-cloning.js';

async function addDsOperation(core: Core, tx: Tx, ds: DsOperation): Promise<void> {
  await tx.addOperation({ vmId: -1, hostId: -1, steps: [], step: 0, status: 'queued', attempts: 0, created: core.now(), started: 0, ds });
}

/**
 * Inside `tx`: records the DS driver's `action` on the file of `img` (the outbox) with all it needs: where the
 * file comes from (PATH, or the file of the image a clone is made from) and its datastore's DS_MAD.
 */
export async function recordImageOperation(core: Core, tx: Tx, img: Image, action: DsAction): Promise<void> {
  const ds = await tx.getDatastore(img.datastoreId);
  const clone = img.cloningId >= 0;
  const from = clone ? ((await tx.getImage(img.cloningId))?.source ?? '') : img.path;
  const file = { source: img.source, from, clone, format: img.format, size: img.size };
  await addDsOperation(core, tx, { action, imageId: img.id, dsMad: ds?.dsMad ?? '', file });
}

/** Inside the transaction that created the LOCKED `img`: its file is to be copied in (cp) or created empty (mkfs). */
export function recordImageWrite(core: Core, tx: Tx, img: Image): Promise<void> {
  return recordImageOperation(core, tx, img, img.path || img.cloningId >= 0 ? 'cp' : 'mkfs');
}

/** The clone's source image with one cloning operation less, back to its state before when none is left. */
export async function releaseCloneSource(tx: Tx, img: Image): Promise<void> {
  if (img.cloningId < 0) return;
  const src = await tx.getImage(img.cloningId);
  if (!src) return;
  const cloningOps = Math.max(0, src.cloningOps - 1);
  let next: Image = { ...src, cloningOps, clones: src.clones.filter((c) => c !== img.id) };
  if (cloningOps === 0 && next.state === ImageState.CLONE) next = withState(next, ImageState.READY);
  await tx.putImage(next);
}

/**
 * Records a written file: READY (USED or USED_PERS when VMs already took it) with the file's format and size,
 * or ERROR with the reason in ERROR; VMs waiting in CLONING for the image are told (vm-cloning.ts). Returns how
 * those VMs moved.
 */
async function settle(core: Core, tx: Tx, img: Image, outcome: DsFile | Error): Promise<Transition[]> {
  if (img.state !== ImageState.LOCKED) return [];
  await releaseCloneSource(tx, img);
  const done = { ...img, cloningId: -1, modtime: core.now(), template: removeAttr(img.template, 'PROGRESS') };
  if (outcome instanceof Error) {
    const at = new Date(core.now() * 1000).toUTCString();
    await tx.putImage({ ...withState(done, ImageState.ERROR), template: setSingle(done.template, 'ERROR', `${at}: Error copying image in the datastore: ${outcome.message}`) });
    return tellCloningVms(core, tx, img, outcome.message);
  }
  const inUse = img.persistent ? ImageState.USED_PERS : ImageState.USED;
  await tx.putImage({ ...withState(done, img.runningVms > 0 ? inUse : ImageState.READY), format: outcome.format, size: outcome.size });
  return tellCloningVms(core, tx, img);
}

/**
 * The DS driver's answer to `op` (as the executor claimed it; an Error when it failed). cp and mkfs settle their
 * image; one whose image was deleted while it ran records an rm of whatever it wrote. An rm only ends.
 */
export async function imageOperationResult(core: Core, op: OperationRecord & { ds: DsOperation }, outcome: DsFile | Error): Promise<void> {
  const { moved, cleanup } = await core.store.tx(async (tx) => {
    const pending = await tx.getOperation(op.id);
    if (pending) await tx.deleteOperation(op.id);
    if (op.ds.action === 'rm') return { moved: [], cleanup: false };
    const img = await tx.getImage(op.ds.imageId);
    if (!img) {
      await addDsOperation(core, tx, { ...op.ds, action: 'rm' });
      return { moved: [], cleanup: true };
    }
    return { moved: pending ? await settle(core, tx, img, outcome) : [], cleanup: false };
  });
  core.log.info({ image: op.ds.imageId, op: `ds.${op.ds.action}`, ok: !(outcome instanceof Error) }, 'image file operation settled');
  if (cleanup) core.onOperations();
  for (const t of moved) {
    core.log.info({ vm: t.vm.id, image: op.ds.imageId, from: t.from, to: t.to }, 'VM told of its image copy');
    core.settled(t);
  }
}
