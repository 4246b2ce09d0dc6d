import type { Column } from '../output/table.js';
import { items, str, texts, type XmlObject } from '../xml.js';
import { vmQuotaCells } from './quota.js';

export const GROUP_DEFAULT_COLUMNS = ['ID', 'NAME', 'USERS', 'VMS', 'MEMORY', 'CPU'];

/** `onegroup list` columns; the quota cells come from the pool's QUOTAS and DEFAULT_GROUP_QUOTAS. */
export function groupColumns(pool: XmlObject, kilobytes = false): Column<XmlObject>[] {
  const quotas = items(pool, 'QUOTAS');
  const defaults = items(pool, 'DEFAULT_GROUP_QUOTAS')[0];
  const cells = (d: XmlObject) => vmQuotaCells(str(d, 'ID'), quotas, defaults, kilobytes);
  return [
    { name: 'ID', desc: 'ONE identifier for the Group', size: 4, value: (d) => str(d, 'ID') },
    { name: 'NAME', desc: 'Name of the Group', size: 15, left: true, value: (d) => str(d, 'NAME') },
    { name: 'USERS', desc: 'Number of Users in this group', size: 5, value: (d) => texts(d, 'USERS/ID').length },
    { name: 'VMS', desc: 'Number of VMS', size: 9, value: (d) => cells(d).vms },
    { name: 'MEMORY', desc: 'Total memory allocated to group VMs', size: 17, value: (d) => cells(d).memory },
    { name: 'CPU', desc: 'Total CPU allocated to group VMs', size: 11, value: (d) => cells(d).cpu },
  ];
}
