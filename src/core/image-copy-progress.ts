import { stat } from 'node:fs/promises';
import { ImageState } from '../domain/image.js';
import { setSingle } from '../template/access.js';
import type { Core } from './core.js';

/**
 * While an image's file `part` grows towards `total` bytes, keeps how far the copy is in the image's
 * TEMPLATE/PROGRESS (whole percent, below 100 until the copy settles and removes it; `oneimage show`
 * prints it), written only when it changes. Returns what stops it.
 */
export function followCopy(core: Core, imageId: number, part: string, total: number, everyMs = 1000): () => void {
  let shown = -1;
  const tick = async () => {
    const pct = Math.min(99, Math.floor(((await stat(part)).size / Math.max(1, total)) * 100));
    if (pct === shown) return;
    shown = pct;
    await core.store.tx(async (tx) => {
      const img = await tx.getImage(imageId);
      // a tick that lands after the copy settled must not bring PROGRESS back
      if (img?.state === ImageState.LOCKED) await tx.putImage({ ...img, template: setSingle(img.template, 'PROGRESS', String(pct)) });
    });
  };
  // the part file may not exist yet, or be gone already: the next tick or the settle tells
  const timer = setInterval(() => void tick().catch(() => undefined), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
