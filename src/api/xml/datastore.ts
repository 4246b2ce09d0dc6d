import type { Datastore } from '../../domain/datastore.js';
import { templateToXml } from '../../template/xml.js';
import { el, flat, identityXml, idsXml, intEl, permissionsXml } from './elements.js';

/** The `<DATASTORE>` of one.datastore.info and one.datastorepool.info (datastore.xsd). */
export function datastoreToXml(ds: Datastore): string {
  return flat(
    '<DATASTORE>' +
    identityXml(ds) +
    permissionsXml(ds.permissions) +
    el('DS_MAD', ds.dsMad) + el('TM_MAD', ds.tmMad) + el('BASE_PATH', ds.basePath) +
    el('TYPE', ds.type) + el('DISK_TYPE', ds.diskType) + el('STATE', ds.state) +
    idsXml('CLUSTERS', ds.clusterIds) +
    intEl('TOTAL_MB', ds.totalMb) + intEl('FREE_MB', ds.freeMb) + intEl('USED_MB', ds.usedMb) +
    idsXml('IMAGES', ds.images) +
    templateToXml(ds.template, 'TEMPLATE') +
    '</DATASTORE>'
  );
}
