import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImageState, newImage, type Image } from '../domain/image.js';
import type { Requester } from '../domain/permissions.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { DsOperation, OperationRecord } from '../store/store.js';
import { getSingle, setSingle } from '../template/access.js';
import { ensureDefaultDatastores } from './bootstrap.js';
import { Core } from './core.js';
import { imageOperationResult } from './image-operations.js';
import { allocateImage, cloneImage, deleteImage } from './images.js';

const ADMIN: Requester = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };
type DsRecord = OperationRecord & { ds: DsOperation };

// The outbox of image files on a real store: what allocate, clone and delete record, and how outcomes settle.
describe('image file operations', () => {
  let dir: string;
  let core: Core;
  const ops = async () => (await core.store.read.operationsAfter(0)) as DsRecord[];
  const image = async (id: number) => (await core.store.read.getImage(id))!;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'image-ops-'));
    const store = new SqliteStore(join(dir, 'one.db'));
    core = new Core(store, { dataDir: dir, submitOnHold: false, defaultTm: 'dummy', tmOfVmMad: {} }, pino({ level: 'silent' }));
    await ensureDefaultDatastores(store, dir);
  });
  afterEach(async () => {
    await core.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records mkfs with the new datablock, settles it READY with what the driver reports, and clears PROGRESS', async () => {
    const id = await allocateImage(core, ADMIN, 'NAME="db"\nTYPE="DATABLOCK"\nSIZE="64"\nFORMAT="qcow2"', 1, false);
    const [op] = await ops();
    const img = await image(id);
    expect(op.ds).toEqual({ action: 'mkfs', imageId: id, dsMad: 'fs', file: { source: img.source, from: '', clone: false, format: 'qcow2', size: 64 } });
    expect([op.vmId, op.steps]).toEqual([-1, []]);
    await core.store.tx((tx) => tx.putImage({ ...img, template: setSingle(img.template, 'PROGRESS', '50') }));
    await imageOperationResult(core, op, { format: 'qcow2', size: 64 });
    const done = await image(id);
    expect([done.state, done.format, done.size, getSingle(done.template, 'PROGRESS')]).toEqual([ImageState.READY, 'qcow2', 64, undefined]);
    expect(await ops()).toEqual([]);
  });

  it('records cp of the source image for a clone, and gives the source back when the copy fails', async () => {
    await core.store.tx(async (tx) => {
      const spec = { name: 'os', type: 0, persistent: false, path: '/p', format: 'raw', fsType: '', size: 3, template: [] };
      const src: Image = { ...newImage(await tx.nextId('image'), spec, ADMIN, { id: 1, name: 'default' }, join(dir, 'src'), 1), state: ImageState.READY };
      await tx.putImage(src);
    });
    const id = await cloneImage(core, ADMIN, 0, 'copy', -1);
    expect((await image(0)).state).toBe(ImageState.CLONE);
    const [op] = await ops();
    expect(op.ds).toMatchObject({ action: 'cp', imageId: id, file: { from: join(dir, 'src'), clone: true, format: 'raw', size: 3 } });
    await imageOperationResult(core, op, new Error('disk full'));
    const failed = await image(id);
    expect(failed.state).toBe(ImageState.ERROR);
    expect(getSingle(failed.template, 'ERROR')).toMatch(/Error copying image in the datastore: disk full$/);
    expect([(await image(0)).state, (await image(0)).cloningOps]).toEqual([ImageState.READY, 0]);
  });

  it('deletes: an rm supersedes the copy still to run, and a copy that ends after the delete is removed too', async () => {
    const id = await allocateImage(core, ADMIN, 'NAME="db"\nTYPE="DATABLOCK"\nSIZE="1"', 1, false);
    const [copy] = await ops();
    const source = (await image(id)).source;
    await deleteImage(core, ADMIN, id);
    const [rm] = await ops();
    expect(rm.ds).toMatchObject({ action: 'rm', imageId: id, dsMad: 'fs', file: { source } });
    // the copy was already with the driver: its late outcome records another rm, for what it wrote
    await imageOperationResult(core, copy, { format: 'raw', size: 1 });
    expect((await ops()).map((o) => [o.ds.action, o.ds.file.source])).toEqual([['rm', source], ['rm', source]]);
    await imageOperationResult(core, rm, rm.ds.file);
    expect((await ops()).length).toBe(1);
  });
});
