import { describe, expect, it } from 'vitest';
import { ErrorCode, OneError } from './errors.js';
import { ImageState, newImage, withState } from './image.js';
import { checkImageOperation, IMAGE_RULES, imageAllows, type ImageOperation } from './image-rules.js';

const base = newImage(
  7, { name: 'i', type: 0, persistent: false, path: '/p', format: 'raw', fsType: '', size: 1, template: [] },
  { uid: 0, gid: 0, uname: 'oneadmin', gname: 'oneadmin' }, { id: 1, name: 'default' }, '/ds/1/x', 100,
);

describe('image state rules', () => {
  it('allows every operation in READY except enable', () => {
    for (const op of Object.keys(IMAGE_RULES) as ImageOperation[]) expect(imageAllows(op, ImageState.READY)).toBe(true);
  });

  it('refuses delete and persistent changes of an image in use, saying why', () => {
    const used = withState(base, ImageState.USED_PERS);
    for (const op of ['delete', 'persistent', 'disable'] as const) {
      expect(() => checkImageOperation(used, op)).toThrow(OneError);
    }
    try {
      checkImageOperation(used, 'delete');
    } catch (e) {
      expect((e as OneError).code).toBe(ErrorCode.ACTION);
      expect((e as OneError).message).toBe('Cannot delete image [7] in state USED_PERS: VMs use it or it is being cloned: wait for them to finish or terminate them.');
    }
  });

  it('refuses delete while a clone is copied from a READY image', () => {
    expect(() => checkImageOperation({ ...base, state: ImageState.READY, cloningOps: 1 }, 'delete')).toThrow(/being cloned/);
    expect(() => checkImageOperation({ ...base, state: ImageState.READY }, 'delete')).not.toThrow();
  });

  it('enables only DISABLED (or already READY) images and clones only usable ones', () => {
    expect(imageAllows('enable', ImageState.ERROR)).toBe(false);
    expect(imageAllows('clone', ImageState.USED)).toBe(true);
    expect(imageAllows('clone', ImageState.USED_PERS)).toBe(false);
    expect(imageAllows('clone', ImageState.LOCKED)).toBe(false);
    expect(imageAllows('chtype', ImageState.LOCKED)).toBe(false);
  });

  it('withState keeps the previous state', () => {
    const s = withState(withState(base, ImageState.READY), ImageState.DISABLED);
    expect([s.prevState, s.state]).toEqual([ImageState.READY, ImageState.DISABLED]);
  });
});
