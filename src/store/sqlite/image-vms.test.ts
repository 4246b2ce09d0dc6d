import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newImage } from '../../domain/image.js';
import { SqliteStore } from './sqlite-store.js';

const image = (vms: number[]) => ({
  ...newImage(4, { name: 'base', type: 0, persistent: false, path: '/p', format: 'raw', fsType: '', size: 1, template: [] }, { uid: 0, gid: 0, uname: 'oneadmin', gname: 'oneadmin' }, { id: 1, name: 'default' }, '/ds/1/x', 1),
  vms,
});

// An image's VMS live in a table of their own: a base image used by every VM is not rewritten whole per VM.
describe('SqliteStore images and their VMs', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-store-'));
    file = join(dir, 'one.db');
    store = new SqliteStore(file);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const reopen = async () => {
    await store.close();
    store = new SqliteStore(file);
  };
  const rows = () => {
    const db = new Database(file, { readonly: true });
    try {
      const image = db.prepare('SELECT body FROM image').get() as { body: string } | undefined;
      return { members: db.prepare('SELECT vm_id FROM image_vm ORDER BY vm_id').all().map((r) => (r as { vm_id: number }).vm_id), body: image?.body ?? '' };
    } finally {
      db.close();
    }
  };

  it('keeps VMS out of the body and gives them back, as VMs come and go', async () => {
    await store.tx((tx) => tx.putImage(image([3, 1, 2])));
    await store.tx(async (tx) => tx.putImage({ ...(await tx.getImage(4))!, vms: [1, 3, 7] }));
    expect(rows().members).toEqual([1, 3, 7]);
    expect(rows().body).not.toContain('"vms"');
    await reopen();
    expect((await store.read.getImage(4))!.vms).toEqual([1, 3, 7]);
    expect((await store.read.listImages())[0]!.vms).toEqual([1, 3, 7]);
    await store.tx((tx) => tx.deleteImage(4));
    expect(rows().members).toEqual([]);
  });

  it('moves the VMS of an image stored before the table into it when the store opens', async () => {
    await store.close();
    const db = new Database(file);
    db.prepare('INSERT INTO image(id, uid, name, body) VALUES(4, 0, ?, ?)').run('base', JSON.stringify(image([5, 6])));
    db.close();
    store = new SqliteStore(file);
    expect((await store.read.getImage(4))!.vms).toEqual([5, 6]);
    expect(rows().body).not.toContain('"vms"');
  });
});
