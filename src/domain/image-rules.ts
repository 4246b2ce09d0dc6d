import { ErrorCode, OneError } from './errors.js';
import { ImageState as S, imageStateName, type Image } from './image.js';

/** The operations whose permission depends on the image's state. */
export type ImageOperation = 'delete' | 'enable' | 'disable' | 'persistent' | 'chtype' | 'clone';

interface Rule {
  /** The states the operation is allowed in. */
  allowed: readonly number[];
  /** Why it is refused in the other states, and what to do. */
  why: string;
}

/**
 * What each operation is allowed in, as OpenNebula's ImageManager decides: images in use, being
 * copied or cloned cannot be deleted or change persistence; only READY images can be disabled or cloned
 * (USED too when not persistent, since their file does not change).
 */
export const IMAGE_RULES: Readonly<Record<ImageOperation, Rule>> = {
  delete: { allowed: [S.INIT, S.READY, S.DISABLED, S.ERROR, S.LOCKED], why: 'VMs use it or it is being cloned: wait for them to finish or terminate them' },
  enable: { allowed: [S.DISABLED, S.READY], why: 'only a DISABLED image can be enabled' },
  disable: { allowed: [S.READY, S.DISABLED], why: 'only a READY image can be disabled: wait until it is not in use' },
  persistent: { allowed: [S.READY, S.DISABLED, S.ERROR, S.INIT], why: 'its persistence cannot change while VMs use it, or while it is copied or cloned' },
  chtype: { allowed: [S.READY, S.USED, S.USED_PERS, S.DISABLED, S.ERROR, S.INIT], why: 'its type cannot change while it is copied, cloned or deleted: wait for it to be READY' },
  clone: { allowed: [S.READY, S.USED, S.CLONE], why: 'only READY images, or ones in use that are not persistent, can be cloned' },
};

/** True when `op` is allowed on an image in `state`. */
export function imageAllows(op: ImageOperation, state: number): boolean {
  return IMAGE_RULES[op].allowed.includes(state);
}

/** Throws ACTION when the image's state (or, for delete, its clones in progress) does not allow `op`. */
export function checkImageOperation(img: Image, op: ImageOperation): void {
  const busy = op === 'delete' && (img.cloningOps > 0 || img.runningVms > 0);
  if (imageAllows(op, img.state) && !busy) return;
  throw new OneError(ErrorCode.ACTION, `Cannot ${op} image [${img.id}] in state ${imageStateName(img.state)}: ${IMAGE_RULES[op].why}.`, img.id);
}
