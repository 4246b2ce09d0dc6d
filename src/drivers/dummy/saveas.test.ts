import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markSaveAs } from '../../domain/disk-saveas.js';
import type { Vm } from '../../domain/vm.js';
import { tempDataDir, vm } from '../test-fixtures.js';
import { DriverError } from '../types.js';
import { copySourceImage } from './saveas.js';

describe('copySourceImage', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await tempDataDir()));
  afterEach(() => remove());

  /** VM 3 with DISK 0 from the image file `<dir>/src`, marked to be saved into `<dir>/ds/1/new`. */
  const marked = (): Vm => {
    const base = vm(3);
    const v = { ...base, template: [...base.template, { name: 'DISK', value: { DISK_ID: '0', IMAGE_ID: '1', SOURCE: join(dir, 'src') } }] };
    return markSaveAs(v, 0, { id: 4, source: join(dir, 'ds', '1', 'new') }, -1);
  };

  it('gives the new image a copy of the file of the image the disk came from', async () => {
    writeFileSync(join(dir, 'src'), 'image bytes');
    await copySourceImage(marked());
    expect(readFileSync(join(dir, 'ds', '1', 'new'), 'utf8')).toBe('image bytes');
    expect(existsSync(join(dir, 'ds', '1', 'new.part'))).toBe(false);
  });

  it('copies nothing for a VM with no disk marked, and says why when the source file is gone', async () => {
    await expect(copySourceImage(vm(3))).resolves.toBeUndefined();
    await expect(copySourceImage(marked())).rejects.toThrow(DriverError);
    expect(existsSync(join(dir, 'ds', '1', 'new'))).toBe(false);
  });
});
