import { IMAGE_STATE_SHORT, IMAGE_TYPE_SHORT } from '../../domain/image.js';
import type { Column } from '../output/table.js';
import { timeToStr, toInt, unitToStr } from '../output/units.js';
import { str, type XmlObject } from '../xml.js';

export const IMAGE_DEFAULT_COLUMNS = ['ID', 'USER', 'GROUP', 'NAME', 'DATASTORE', 'SIZE', 'TYPE', 'PER', 'STAT', 'RVMS'];

/** `oneimage list` columns (oneimage.yaml): SIZE from MB. */
export function imageColumns(numeric = false): Column<XmlObject>[] {
  return [
    { name: 'ID', desc: 'ONE identifier for the Image', size: 4, value: (i) => str(i, 'ID') },
    { name: 'USER', desc: 'Username of the Image owner', size: 15, left: true, value: (i) => str(i, numeric ? 'UID' : 'UNAME') },
    { name: 'GROUP', desc: 'Group of the Image', size: 15, left: true, value: (i) => str(i, numeric ? 'GID' : 'GNAME') },
    { name: 'NAME', desc: 'Name of the Image', size: 15, left: true, value: (i) => str(i, 'NAME') },
    { name: 'DATASTORE', desc: 'Name of the Datastore', size: 10, left: true, value: (i) => str(i, 'DATASTORE') },
    { name: 'SIZE', desc: 'Size of the Image', size: 7, value: (i) => unitToStr(toInt(str(i, 'SIZE')), 'M') },
    { name: 'TYPE', desc: 'Type of the Image', size: 4, left: true, value: (i) => IMAGE_TYPE_SHORT[toInt(str(i, 'TYPE'))] ?? '-' },
    { name: 'PER', desc: 'Whether the Image is persistent or not', size: 3, value: (i) => (toInt(str(i, 'PERSISTENT')) === 1 ? 'Yes' : 'No') },
    { name: 'STAT', desc: 'State of the Image', size: 4, left: true, value: (i) => IMAGE_STATE_SHORT[toInt(str(i, 'STATE'))] ?? '-' },
    { name: 'RVMS', desc: 'Number of VMs currently running from this Image', size: 4, value: (i) => str(i, 'RUNNING_VMS') },
    { name: 'REGTIME', desc: 'Registration time of the Image', size: 15, value: (i) => timeToStr(toInt(str(i, 'REGTIME'))) },
    { name: 'MODTIME', desc: 'Last modification time of the Image', size: 15, value: (i) => timeToStr(toInt(str(i, 'MODTIME'))) },
  ];
}
