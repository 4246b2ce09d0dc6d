import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../domain/errors.js';
import type { Requester } from '../domain/permissions.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { ensureDefaultDatastores } from './bootstrap.js';
import { Core } from './core.js';
import { refreshDatastoreCapacity, statfsOf } from './datastore-capacity.js';
import { deleteDatastore } from './datastores.js';

const ADMIN: Requester = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };

// The parts the daemon tests cannot reach: datastores holding images (images arrive later) and the
// capacity refresh with a chosen file system.
describe('datastore use cases on a real store', () => {
  let dir: string;
  let core: Core;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ds-core-'));
    const store = new SqliteStore(join(dir, 'one.db'));
    core = new Core(store, { dataDir: dir, submitOnHold: false, defaultTm: 'dummy', tmOfVmMad: {} }, pino({ level: 'silent' }));
    expect(await ensureDefaultDatastores(store, dir)).toBe(true);
  });
  afterEach(async () => {
    await core.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the defaults once, and not again over existing datastores', async () => {
    expect(await ensureDefaultDatastores(core.store, dir)).toBe(false);
    expect((await core.store.read.listDatastores()).map((d) => d.id)).toEqual([0, 1, 2]);
  });

  it('refuses to delete a datastore holding images, and keeps it', async () => {
    const ds = (await core.store.read.getDatastore(1))!;
    await core.store.tx((tx) => tx.putDatastore({ ...ds, images: [4, 9] }));
    await expect(deleteDatastore(core, ADMIN, 1)).rejects.toMatchObject({
      code: ErrorCode.ACTION, message: 'Cannot delete datastore [1]: it holds images 4, 9: delete them first.',
    });
    expect(await core.store.read.getDatastore(1)).toBeDefined();
  });

  it('fills capacity from the file system, writing only what changed', async () => {
    let calls = 0;
    const stat = async () => {
      calls++;
      return { bsize: 1024 * 1024, blocks: 100, bfree: 60, bavail: 50 };
    };
    await refreshDatastoreCapacity(core, stat);
    expect(calls).toBe(3);
    expect(await core.store.read.getDatastore(2)).toMatchObject({ totalMb: 100, freeMb: 50, usedMb: 40 });
    const real = await statfsOf(join(dir, 'datastores', '0'));
    expect(real.blocks).toBeGreaterThan(0);
    await refreshDatastoreCapacity(core);
    expect((await core.store.read.getDatastore(0))!.totalMb).toBeGreaterThan(0);
  });

  it('skips a datastore whose BASE_PATH cannot be read and goes on with the others', async () => {
    const stat = async (path: string) => {
      if (path.endsWith('/1')) throw new Error('EACCES');
      return { bsize: 4096, blocks: 256, bfree: 256, bavail: 256 };
    };
    await refreshDatastoreCapacity(core, stat);
    expect((await core.store.read.getDatastore(1))!.totalMb).toBe(0);
    expect((await core.store.read.getDatastore(2))!.totalMb).toBe(1);
  });
});
