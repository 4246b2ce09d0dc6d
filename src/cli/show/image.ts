import { IMAGE_STATE_SHORT, ImageState, imageTypeName } from '../../domain/image.js';
import { Page } from '../output/page.js';
import { renderTable } from '../output/table.js';
import { templateText } from '../output/template-text.js';
import { booleanToStr, lockLevelToStr, timeToStr, toInt, unitToStr } from '../output/units.js';
import { at, str, texts, type XmlObject } from '../xml.js';
import { permissionLines } from './permissions.js';
import { DISK_SNAPSHOT_COLUMNS, IMAGE_SNAPSHOT_DEFAULT, imageSnapshotRows } from './vm-tables.js';

/** `oneimage show` from an `<IMAGE>` document. */
export function renderImageShow(i: XmlObject, tty: boolean): string {
  const page = new Page(tty, 15);
  page.header(`IMAGE ${str(i, 'ID')} INFORMATION`, true);
  page.label('ID', str(i, 'ID'));
  page.label('NAME', str(i, 'NAME'));
  page.label('USER', str(i, 'UNAME'));
  page.label('GROUP', str(i, 'GNAME'));
  page.label('LOCK', lockLevelToStr(str(i, 'LOCK/LOCKED')));
  page.label('DATASTORE', str(i, 'DATASTORE'));
  page.label('TYPE', imageTypeName(toInt(str(i, 'TYPE'))));
  page.label('REGISTER TIME', timeToStr(toInt(str(i, 'REGTIME'))));
  page.label('PERSISTENT', booleanToStr(str(i, 'PERSISTENT')));
  page.label('SOURCE', str(i, 'SOURCE'));
  if (str(i, 'PATH')) page.label('PATH', str(i, 'PATH'));
  if (str(i, 'FS')) page.label('FSTYPE', str(i, 'FS'));
  page.label('FORMAT', str(i, 'FORMAT'));
  page.label('SIZE', unitToStr(toInt(str(i, 'SIZE')), 'M'));
  page.label('STATE', IMAGE_STATE_SHORT[toInt(str(i, 'STATE'))] ?? str(i, 'STATE'));
  // while its file is copied (LOCKED), how far the copy is
  if (str(i, 'STATE') === String(ImageState.LOCKED) && str(i, 'TEMPLATE/PROGRESS')) page.label('PROGRESS', `${str(i, 'TEMPLATE/PROGRESS')}%`);
  page.label('RUNNING_VMS', str(i, 'RUNNING_VMS'));
  page.line();
  page.header('PERMISSIONS');
  for (const [who, mask] of permissionLines(i)) page.label(who, mask);
  page.line();
  page.header('IMAGE TEMPLATE');
  page.block(templateText(at(i, 'TEMPLATE')));
  const snapshots = imageSnapshotRows(i);
  if (snapshots.length > 0) {
    page.line();
    page.header('IMAGE SNAPSHOTS');
    page.block(renderTable(DISK_SNAPSHOT_COLUMNS, IMAGE_SNAPSHOT_DEFAULT, snapshots, { tty: page.tty }));
  }
  const vms = texts(i, 'VMS/ID');
  if (vms.length > 0) {
    page.line();
    page.header('VIRTUAL MACHINES');
    for (const id of vms) page.line(id.padStart(5));
  }
  return page.toString();
}
