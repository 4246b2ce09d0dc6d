import { ImageState } from '../domain/image.js';
import { setSingle } from '../template/access.js';
import type { Core } from './core.js';

/**
 * How far the copy of an image's file is, as its DS driver tells: kept in TEMPLATE/PROGRESS (whole percent;
 * `oneimage show` prints it) while the image is LOCKED; settling the image removes it.
 */
export async function recordCopyProgress(core: Core, imageId: number, percent: number): Promise<void> {
  await core.store.tx(async (tx) => {
    const img = await tx.getImage(imageId);
    // a report that lands after the copy settled must not bring PROGRESS back
    if (img?.state === ImageState.LOCKED) await tx.putImage({ ...img, template: setSingle(img.template, 'PROGRESS', String(percent)) });
  });
}
