import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Datastore } from '../domain/datastore.js';
import { ErrorCode } from '../domain/errors.js';
import type { Requester } from '../domain/permissions.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { ensureDefaultDatastores } from './bootstrap.js';
import { Core } from './core.js';
import { probeDatastores } from '../loops/monitor.js';
import { recordDatastoreCapacity } from './datastore-capacity.js';
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

  it('fills capacity from what the DS drivers measured, and skips a datastore that could not be read', async () => {
    const probed: string[] = [];
    const probe = async (ds: Datastore) => {
      probed.push(ds.basePath);
      if (ds.id === 1) throw new Error('EACCES');
      return { totalMb: 100, freeMb: 50, usedMb: 40 };
    };
    await probeDatastores(core, probe);
    expect(probed).toHaveLength(3);
    expect(await core.store.read.getDatastore(2)).toMatchObject({ totalMb: 100, freeMb: 50, usedMb: 40 });
    expect((await core.store.read.getDatastore(1))!.totalMb).toBe(0);
  });

  it('records the capacity measured, leaving the datastores not measured as they were', async () => {
    const before = await core.store.read.getDatastore(1);
    await recordDatastoreCapacity(core, new Map([[0, { totalMb: 7, freeMb: 5, usedMb: 2 }]]));
    expect(await core.store.read.getDatastore(1)).toEqual(before);
    expect(await core.store.read.getDatastore(0)).toMatchObject({ totalMb: 7, freeMb: 5, usedMb: 2 });
  });
});
