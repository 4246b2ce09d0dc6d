import type { Image } from '../../domain/image.js';
import { templateToXml } from '../../template/xml.js';
import { imageSnapshotsXml } from './disk-snapshots.js';
import { el, flat, identityXml, idsXml, intEl, lockXml, permissionsXml } from './elements.js';

/** The `<IMAGE>` of one.image.info and one.imagepool.info (image.xsd). */
export function imageToXml(img: Image): string {
  return flat(
    '<IMAGE>' +
    identityXml(img) +
    lockXml(img.lock) +
    permissionsXml(img.permissions) +
    el('TYPE', img.type) + el('DISK_TYPE', img.diskType) + el('PERSISTENT', img.persistent ? 1 : 0) +
    el('REGTIME', img.regtime) + el('MODTIME', img.modtime) +
    el('SOURCE', img.source) + el('PATH', img.path) + el('FORMAT', img.format) + el('FS', img.fsType) + intEl('SIZE', img.size) +
    el('STATE', img.state) + el('PREV_STATE', img.prevState) +
    el('RUNNING_VMS', img.runningVms) + el('CLONING_OPS', img.cloningOps) + el('CLONING_ID', img.cloningId) +
    el('TARGET_SNAPSHOT', img.targetSnapshot) + el('DATASTORE_ID', img.datastoreId) + el('DATASTORE', img.datastore) +
    idsXml('VMS', img.vms) + idsXml('CLONES', img.clones) + idsXml('APP_CLONES', img.appClones) +
    templateToXml(img.template, 'TEMPLATE') +
    imageSnapshotsXml(img.snapshots) +
    '<BACKUP_INCREMENTS/>' +
    '</IMAGE>'
  );
}
