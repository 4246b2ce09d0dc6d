import type { Column } from '../output/table.js';
import { timeToStr, toInt } from '../output/units.js';
import { str, type XmlObject } from '../xml.js';

export const TEMPLATE_DEFAULT_COLUMNS = ['ID', 'USER', 'GROUP', 'NAME', 'REGTIME'];

/** `onetemplate list` columns (onetemplate.yaml). */
export function templateColumns(numeric = false): Column<XmlObject>[] {
  return [
    { name: 'ID', desc: 'ONE identifier for the Template', size: 4, value: (d) => str(d, 'ID') },
    { name: 'NAME', desc: 'Name of the Template', size: 15, left: true, value: (d) => str(d, 'NAME') },
    {
      name: 'USER', desc: 'Username of the Template owner', size: 8, left: true,
      value: (d) => str(d, numeric ? 'UID' : 'UNAME'),
    },
    {
      name: 'GROUP', desc: 'Group of the Template', size: 8, left: true,
      value: (d) => str(d, numeric ? 'GID' : 'GNAME'),
    },
    {
      name: 'REGTIME', desc: 'Registration time of the Template', size: 20,
      value: (d) => timeToStr(toInt(str(d, 'REGTIME'))),
    },
  ];
}
