import { describe, expect, it } from 'vitest';
import { getSingle } from '../template/access.js';
import { capacityChanged, capacityOf, datastoreTypeOf, defaultDatastores, newDatastore } from './datastore.js';

describe('datastore', () => {
  it('creates the three datastores of a fresh install, owned by oneadmin with um- u-- ---', () => {
    const [system, images, files] = defaultDatastores('/var/lib/nimbus/');
    expect([system.name, images.name, files.name]).toEqual(['system', 'default', 'files']);
    expect([system.type, images.type, files.type]).toEqual([1, 0, 2]);
    expect([system.dsMad, images.dsMad, files.dsMad]).toEqual(['-', 'fs', 'fs']);
    expect(files.basePath).toBe('/var/lib/nimbus/datastores/2');
    expect(system).toMatchObject({ uid: 0, gid: 0, uname: 'oneadmin', tmMad: 'ssh', state: 0, clusterIds: [0], images: [] });
    expect(system.permissions).toEqual({ ownerU: 1, ownerM: 1, ownerA: 0, groupU: 1, groupM: 0, groupA: 0, otherU: 0, otherM: 0, otherA: 0 });
    expect(getSingle(system.template, 'DS_MAD')).toBeUndefined();
    expect(getSingle(images.template, 'SHARED')).toBe('NO');
  });

  it('keeps the user template, overriding TYPE, DS_MAD and TM_MAD and adding TM_MAD_CONF defaults it lacks', () => {
    const ds = newDatastore(100, {
      name: 'nfs', type: 0, dsMad: 'fs', tmMad: 'shared',
      template: [{ name: 'SHARED', value: 'NO' }, { name: 'BASE_PATH', value: '/elsewhere' }, { name: 'TYPE', value: 'image_ds' }],
    }, { uid: 0, gid: 0, uname: 'oneadmin', gname: 'oneadmin' }, '/d');
    expect(getSingle(ds.template, 'SHARED')).toBe('NO');
    expect(getSingle(ds.template, 'TYPE')).toBe('IMAGE_DS');
    expect(getSingle(ds.template, 'LN_TARGET')).toBe('NONE');
    expect(getSingle(ds.template, 'BASE_PATH')).toBeUndefined();
    expect(ds.basePath).toBe('/d/datastores/100');
  });

  it('reads TYPE names, IMAGE_DS when absent', () => {
    expect(datastoreTypeOf(undefined)).toBe(0);
    expect(datastoreTypeOf('system_ds')).toBe(1);
    expect(datastoreTypeOf('FILE_DS')).toBe(2);
    expect(datastoreTypeOf('BACKUP_DS')).toBeUndefined();
  });

  it('computes capacity as df does: available is free, used counts reserved blocks', () => {
    const c = capacityOf({ bsize: 4096, blocks: 2621440, bfree: 1310720, bavail: 1048576 });
    expect(c).toEqual({ totalMb: 10240, freeMb: 4096, usedMb: 5120 });
    expect(capacityChanged(c, { ...c })).toBe(false);
    expect(capacityChanged(c, { ...c, freeMb: 1 })).toBe(true);
  });
});
