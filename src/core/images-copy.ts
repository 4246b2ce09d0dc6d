import { execFile } from 'node:child_process';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { isBeingSaved } from '../domain/disk-saveas.js';
import { ImageState, withState, type Image } from '../domain/image.js';
import type { Transition } from '../lifecycle/machine.js';
import { removeAttr, setSingle } from '../template/access.js';
import type { Tx } from '../store/store.js';
import type { Core } from './core.js';
import { followCopy } from './image-copy-progress.js';
import { tellCloningVms } from './vm-cloning.js';

const run = promisify(execFile);
const MB = 1024 * 1024;

/** What the copy left: the file's format and size in MB. */
interface Copied {
  format: string;
  size: number;
}

/** The format and virtual size qemu-img reads in a file; raw and the file's size when it cannot tell. */
async function probe(file: string): Promise<Copied> {
  try {
    const { stdout } = await run('qemu-img', ['info', '--output=json', file]);
    const info = JSON.parse(stdout) as { format?: string; 'virtual-size'?: number };
    return { format: info.format ?? 'raw', size: Math.ceil((info['virtual-size'] ?? 0) / MB) };
  } catch {
    return { format: 'raw', size: Math.ceil((await stat(file)).size / MB) };
  }
}

/**
 * Writes the image's file: a copy of PATH (or of the image it is cloned from), or an empty datablock.
 * It goes to `<SOURCE>.part` first and is renamed when complete, so a file at SOURCE is always whole
 * and a copy cut short by a crash is simply done again.
 */
async function writeFile(core: Core, img: Image, from: string): Promise<Copied> {
  const part = `${img.source}.part`;
  await mkdir(dirname(img.source), { recursive: true });
  const stop = from ? followCopy(core, img.id, part, (await stat(from)).size) : () => undefined;
  try {
    // a qcow2 file is rewritten, not copied: its internal snapshots belong to the image it came from
    if (from && img.cloningId >= 0 && img.format === 'qcow2') await run('qemu-img', ['convert', '-q', '-f', 'qcow2', '-O', 'qcow2', from, part]);
    else if (from) await copyFile(from, part);
    else await run('qemu-img', ['create', '-q', '-f', img.format, part, `${img.size}M`]);
    await rename(part, img.source);
  } finally {
    stop();
    await rm(part, { force: true });
  }
  const found = await probe(img.source);
  return { format: img.format || found.format, size: from ? found.size : img.size };
}

/** Where the image's file comes from: PATH, the source image's file for a clone, '' for an empty datablock. */
async function origin(core: Core, img: Image): Promise<string> {
  if (img.cloningId < 0) return img.path;
  const src = await core.store.read.getImage(img.cloningId);
  if (!src) throw new Error(`the image it was cloned from [${img.cloningId}] no longer exists`);
  return src.source;
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
 * Records the outcome: READY (USED or USED_PERS when VMs already took it) with the file's format and size, or
 * ERROR with the reason in ERROR; VMs waiting in CLONING for the image are told (vm-cloning.ts). Returns how
 * those VMs moved, or undefined when the image was deleted while its file was copied.
 */
async function settle(core: Core, id: number, outcome: Copied | Error): Promise<Transition[] | undefined> {
  return core.store.tx(async (tx) => {
    const img = await tx.getImage(id);
    if (!img) return undefined;
    if (img.state !== ImageState.LOCKED) return [];
    await releaseCloneSource(tx, img);
    const done = { ...img, cloningId: -1, modtime: core.now(), template: removeAttr(img.template, 'PROGRESS') };
    if (outcome instanceof Error) {
      const at = new Date(core.now() * 1000).toUTCString();
      await tx.putImage({ ...withState(done, ImageState.ERROR), template: setSingle(done.template, 'ERROR', `${at}: Error copying image in the datastore: ${outcome.message}`) });
      return tellCloningVms(core, tx, img, outcome.message);
    }
    const inUse = img.persistent ? ImageState.USED_PERS : ImageState.USED;
    await tx.putImage({ ...withState(done, img.runningVms > 0 ? inUse : ImageState.READY), ...outcome });
    return tellCloningVms(core, tx, img);
  });
}

/** Copies or creates a LOCKED image's file in the background, then settles the image. */
export function startImageCopy(core: Core, img: Image): void {
  const work = async (): Promise<void> => {
    let outcome: Copied | Error;
    try {
      outcome = await writeFile(core, img, await origin(core, img));
    } catch (e) {
      outcome = e instanceof Error ? e : new Error(String(e));
    }
    core.log.info({ image: img.id, ok: !(outcome instanceof Error) }, 'image copy finished');
    const moved = await settle(core, img.id, outcome);
    if (!moved) await removeImageFile(img);
    for (const t of moved ?? []) {
      core.log.info({ vm: t.vm.id, image: img.id, from: t.from, to: t.to }, 'VM told of its image copy');
      core.settled(t);
    }
  };
  work().catch((e: unknown) => core.log.error({ image: img.id, err: e }, 'cannot record the outcome of an image copy'));
}

/** At start: the images a killed daemon left LOCKED have their copy run again (it starts from scratch). */
export async function resumeImageCopies(core: Core): Promise<void> {
  for (const img of await core.store.read.listImages()) {
    // An image a VM's disk is being saved into gets its file from the VM's drivers, which resume on their own.
    if (img.state !== ImageState.LOCKED || isBeingSaved(img)) continue;
    core.log.info({ image: img.id }, 'copy of image interrupted by a restart: running it again');
    startImageCopy(core, img);
  }
}

/** Removes an image's file (and any partial copy) from its datastore. */
export async function removeImageFile(img: Image): Promise<void> {
  await Promise.all([rm(img.source, { force: true }), rm(`${img.source}.part`, { force: true })]);
}
