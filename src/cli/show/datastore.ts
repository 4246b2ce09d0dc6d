import { DatastoreState, datastoreTypeName } from '../../domain/datastore.js';
import { Page } from '../output/page.js';
import { templateText } from '../output/template-text.js';
import { toInt, unitToStr } from '../output/units.js';
import { at, str, texts, type XmlObject } from '../xml.js';
import { permissionLines } from './permissions.js';

/** Image DISK_TYPE names, by number (the datastore's DISK_TYPE line). */
const DISK_TYPES = ['FILE', 'CD_ROM', 'BLOCK', 'RBD', 'RBD_CDROM', 'GLUSTER', 'GLUSTER_CDROM', 'SHEEPDOG', 'SHEEPDOG_CDROM', 'ISCSI', 'FILE_SYSTEM'];
const STATES = new Map<number, string>(Object.entries(DatastoreState).map(([k, v]) => [v, k]));

/** `onedatastore show` from a `<DATASTORE>` document. */
export function renderDatastoreShow(d: XmlObject, tty: boolean): string {
  const page = new Page(tty, 15);
  const mb = (k: string): string => unitToStr(toInt(str(d, k)), 'M');
  page.header(`DATASTORE ${str(d, 'ID')} INFORMATION`, true);
  page.label('ID', str(d, 'ID'));
  page.label('NAME', str(d, 'NAME'));
  page.label('USER', str(d, 'UNAME'));
  page.label('GROUP', str(d, 'GNAME'));
  page.label('CLUSTERS', texts(d, 'CLUSTERS/ID').join(',') || '-');
  page.label('TYPE', datastoreTypeName(toInt(str(d, 'TYPE'))));
  page.label('DS_MAD', str(d, 'DS_MAD'));
  page.label('TM_MAD', str(d, 'TM_MAD'));
  page.label('BASE PATH', str(d, 'BASE_PATH'));
  page.label('DISK_TYPE', DISK_TYPES[toInt(str(d, 'DISK_TYPE'))] ?? str(d, 'DISK_TYPE'));
  page.label('STATE', STATES.get(toInt(str(d, 'STATE'))) ?? str(d, 'STATE'));
  page.line();
  page.header('DATASTORE CAPACITY');
  page.label('TOTAL:', mb('TOTAL_MB'));
  page.label('FREE:', mb('FREE_MB'));
  page.label('USED: ', mb('USED_MB'));
  page.label('LIMIT:', str(d, 'TEMPLATE/LIMIT_MB') !== undefined ? mb('TEMPLATE/LIMIT_MB') : '-');
  page.line();
  page.header('PERMISSIONS');
  for (const [who, mask] of permissionLines(d)) page.label(who, mask);
  page.line();
  page.header('DATASTORE TEMPLATE');
  page.block(templateText(at(d, 'TEMPLATE')));
  page.line();
  page.header('IMAGES');
  for (const id of texts(d, 'IMAGES/ID')) page.line(`${id.padStart(5)}`);
  return page.toString();
}
