import { DS_STATE_SHORT, DS_TYPE_SHORT } from '../../domain/datastore.js';
import type { Column } from '../output/table.js';
import { toInt, unitToStr } from '../output/units.js';
import { str, texts, type XmlObject } from '../xml.js';

export const DATASTORE_DEFAULT_COLUMNS = ['ID', 'NAME', 'SIZE', 'AVA', 'CLUSTERS', 'IMAGES', 'TYPE', 'DS', 'TM', 'STAT'];

/** A system datastore whose hosts keep their own files: its capacity is per host, so the list shows `-`. */
function perHost(d: XmlObject): boolean {
  return str(d, 'TYPE') === '1' && str(d, 'TEMPLATE/SHARED')?.toUpperCase() === 'NO';
}

/** `onedatastore list` columns (onedatastore.yaml): sizes from MB. */
export function datastoreColumns(numeric = false): Column<XmlObject>[] {
  return [
    { name: 'ID', desc: 'ONE identifier for the Datastore', size: 4, value: (d) => str(d, 'ID') },
    { name: 'USER', desc: 'Username of the Datastore owner', size: 10, left: true, value: (d) => str(d, numeric ? 'UID' : 'UNAME') },
    { name: 'GROUP', desc: 'Group of the Datastore', size: 10, left: true, value: (d) => str(d, numeric ? 'GID' : 'GNAME') },
    { name: 'NAME', desc: 'Name of the Datastore', size: 13, left: true, value: (d) => str(d, 'NAME') },
    {
      name: 'SIZE', desc: 'Datastore total size', size: 10,
      value: (d) => (perHost(d) ? '-' : unitToStr(toInt(str(d, 'TOTAL_MB')), 'M')),
    },
    {
      name: 'AVA', desc: 'Datastore free size', size: 3, left: true,
      value: (d) => {
        const total = toInt(str(d, 'TOTAL_MB'));
        return total === 0 || perHost(d) ? '-' : `${Math.round((toInt(str(d, 'FREE_MB')) / total) * 100)}%`;
      },
    },
    { name: 'CLUSTERS', desc: 'Cluster IDs', size: 8, left: true, value: (d) => texts(d, 'CLUSTERS/ID').join(',') || '-' },
    { name: 'IMAGES', desc: 'Number of Images', size: 6, value: (d) => texts(d, 'IMAGES/ID').length },
    { name: 'TYPE', desc: 'Datastore type', size: 4, left: true, value: (d) => DS_TYPE_SHORT[toInt(str(d, 'TYPE'))] ?? '-' },
    { name: 'DS', desc: 'Datastore driver', size: 7, left: true, value: (d) => str(d, 'DS_MAD') },
    { name: 'TM', desc: 'Transfer driver', size: 7, left: true, value: (d) => str(d, 'TM_MAD') },
    { name: 'STAT', desc: 'State of the Datastore', size: 4, left: true, value: (d) => DS_STATE_SHORT[toInt(str(d, 'STATE'))] ?? '-' },
  ];
}
