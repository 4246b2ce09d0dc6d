import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImageState, newImage, withState } from '../domain/image.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { getSingle } from '../template/access.js';
import { Core } from './core.js';
import { recordCopyProgress } from './image-copy-progress.js';

const owner = { uid: 0, gid: 0, uname: 'oneadmin', gname: 'oneadmin' };

describe('image copy progress', () => {
  let dir: string;
  let core: Core;
  const progress = async () => getSingle((await core.store.read.getImage(0))!.template, 'PROGRESS');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'copy-progress-'));
    core = new Core(new SqliteStore(join(dir, 'one.db')), { dataDir: dir, submitOnHold: false, defaultTm: 'dummy', tmOfVmMad: {} }, pino({ level: 'silent' }));
    const img = newImage(0, { name: 'big', type: 0, persistent: false, path: '/p', format: 'raw', fsType: '', size: 4, template: [] }, owner, { id: 1, name: 'default' }, join(dir, 'x'), 1);
    await core.store.tx((tx) => tx.putImage(img));
  });
  afterEach(async () => {
    await core.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the percent while the image is LOCKED, and nothing once it settled', async () => {
    await recordCopyProgress(core, 0, 25);
    expect(await progress()).toBe('25');
    await recordCopyProgress(core, 0, 99);
    expect(await progress()).toBe('99');
    await core.store.tx(async (tx) => tx.putImage({ ...withState((await tx.getImage(0))!, ImageState.READY), template: [] }));
    await recordCopyProgress(core, 0, 50);
    expect(await progress()).toBeUndefined();
    await recordCopyProgress(core, 7, 50); // an image deleted meanwhile
  });
});
