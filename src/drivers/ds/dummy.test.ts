import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DsContext } from '../types.js';
import { createDummyDs } from './dummy.js';

const MB = 1024 * 1024;

describe('dummy DS driver', () => {
  let dir: string;
  const ds = createDummyDs();
  const ctx = (over: Partial<DsContext>): DsContext => ({
    source: join(dir, 'ds', 'img'), from: '/no/such/file', clone: false, format: '', size: 0, progress: () => undefined, ...over,
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dummy-ds-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('cp reads nothing and leaves a sparse file of SIZE, reporting the format it was given or raw', async () => {
    expect(await ds.cp(ctx({ size: 2048 }))).toEqual({ format: 'raw', size: 2048 });
    const s = statSync(join(dir, 'ds', 'img'));
    expect(s.size).toBe(2048 * MB);
    expect(s.blocks * 512).toBeLessThan(MB);
    expect(await ds.cp(ctx({ size: 4, format: 'qcow2' }))).toEqual({ format: 'qcow2', size: 4 });
    expect(statSync(join(dir, 'ds', 'img')).size).toBe(4 * MB);
  });

  it('mkfs does the same for an empty datablock; rm removes it and succeeds when it is gone', async () => {
    expect(await ds.mkfs(ctx({ size: 64, format: 'qcow2' }))).toEqual({ format: 'qcow2', size: 64 });
    expect(readdirSync(join(dir, 'ds'))).toEqual(['img']);
    await ds.rm(ctx({}));
    await ds.rm(ctx({}));
    expect(existsSync(join(dir, 'ds', 'img'))).toBe(false);
  });
});
