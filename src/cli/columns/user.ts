import type { Column } from '../output/table.js';
import { items, str, type XmlObject } from '../xml.js';
import { vmQuotaCells } from './quota.js';

export const USER_DEFAULT_COLUMNS = ['ID', 'NAME', 'GROUP', 'AUTH', 'VMS', 'MEMORY', 'CPU'];

/** `oneuser list` columns; the quota cells come from the pool's QUOTAS and DEFAULT_USER_QUOTAS. */
export function userColumns(pool: XmlObject, numeric = false, kilobytes = false): Column<XmlObject>[] {
  const quotas = items(pool, 'QUOTAS');
  const defaults = items(pool, 'DEFAULT_USER_QUOTAS')[0];
  const cells = (d: XmlObject) => vmQuotaCells(str(d, 'ID'), quotas, defaults, kilobytes);
  return [
    { name: 'ID', desc: 'ONE identifier for the User', size: 4, value: (d) => str(d, 'ID') },
    { name: 'NAME', desc: 'Name of the User', size: 15, left: true, value: (d) => str(d, 'NAME') },
    {
      name: 'GROUP', desc: 'Group of the User', size: 8, left: true,
      value: (d) => str(d, numeric ? 'GID' : 'GNAME'),
    },
    { name: 'AUTH', desc: 'Auth driver of the User', size: 8, left: true, value: (d) => str(d, 'AUTH_DRIVER') },
    { name: 'VMS', desc: 'Number of VMS', size: 9, value: (d) => cells(d).vms },
    { name: 'MEMORY', desc: 'Total memory allocated to user VMs', size: 17, value: (d) => cells(d).memory },
    { name: 'CPU', desc: 'Total CPU allocated to user VMs', size: 11, value: (d) => cells(d).cpu },
    { name: 'PASSWORD', desc: 'Password of the User', size: 50, left: true, value: (d) => str(d, 'PASSWORD') },
    {
      name: 'ENABLED', desc: 'User is enabled', size: 4, left: true,
      value: (d) => (str(d, 'ENABLED') === '1' ? 'yes' : 'no'),
    },
  ];
}
