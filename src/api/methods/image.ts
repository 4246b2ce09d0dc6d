import type { Core } from '../../core/core.js';
import {
  allocateImage, chmodImage, chownImage, chtypeImage, cloneImage, deleteImage, enableImage, imageInfo, lockImage,
  persistentImage, renameImage, unlockImage, updateImage,
} from '../../core/images.js';
import { imageToXml } from '../xml/image.js';
import { poolXml } from '../xml/pool.js';
import type { MethodTable } from '../server.js';
import { bool, int, method, str } from './define.js';
import { filterPool, slice } from './pool-filter.js';

const PERMS = ['owner use', 'owner manage', 'owner admin', 'group use', 'group manage', 'group admin', 'other use', 'other manage', 'other admin'].map((n) => int(n));

/** one.image.* and one.imagepool.info. */
export function imageMethods(core: Core): MethodTable {
  return Object.fromEntries([
    method(core, 'one.image.allocate', [str('template'), int('datastore id'), bool('skip capacity check', false)], (who, t, ds, skip) => allocateImage(core, who, t, ds, skip)),
    method(core, 'one.image.info', [int('id'), bool('decrypt', false)], async (who, id) => imageToXml(await imageInfo(core, who, id))),
    method(core, 'one.image.update', [int('id'), str('template'), int('type', 0)], (who, id, t, type) => updateImage(core, who, id, t, type)),
    method(core, 'one.image.delete', [int('id'), bool('force', false)], (who, id) => deleteImage(core, who, id)),
    method(core, 'one.image.rename', [int('id'), str('name')], (who, id, name) => renameImage(core, who, id, name)),
    method(core, 'one.image.chmod', [int('id'), ...PERMS], (who, id, ...bits) => chmodImage(core, who, id, bits as number[])),
    method(core, 'one.image.chown', [int('id'), int('user id'), int('group id')], (who, id, uid, gid) => chownImage(core, who, id, uid, gid)),
    method(core, 'one.image.clone', [int('id'), str('name'), int('datastore id', -1)], (who, id, name, ds) => cloneImage(core, who, id, name, ds)),
    method(core, 'one.image.enable', [int('id'), bool('enable')], (who, id, enable) => enableImage(core, who, id, enable)),
    method(core, 'one.image.persistent', [int('id'), bool('persistent')], (who, id, p) => persistentImage(core, who, id, p)),
    method(core, 'one.image.chtype', [int('id'), str('type')], (who, id, type) => chtypeImage(core, who, id, type)),
    method(core, 'one.image.lock', [int('id'), int('level'), bool('test', false)], (who, id, level, test) => lockImage(core, who, id, level, test)),
    method(core, 'one.image.unlock', [int('id')], (who, id) => unlockImage(core, who, id)),
    method(core, 'one.imagepool.info', [int('filter', -2), int('start', -1), int('end', -1)], async (who, flag, start, end) => {
      const all = filterPool(who, flag, await core.store.read.listImages());
      return poolXml('IMAGE_POOL', slice(all, start, end).map(imageToXml));
    }),
  ]);
}
