import type { Group } from '../../domain/group.js';
import { templateToXml } from '../../template/xml.js';
import { el, idsXml } from './elements.js';
import { poolXml } from './pool.js';
import { defaultQuotasXml, poolQuotasXml, quotasXml } from './quotas.js';

/** The group fields shared by one.group.info and the pool listing. */
function groupBodyXml(g: Group): string {
  return el('ID', g.id) + el('NAME', g.name) + templateToXml(g.template, 'TEMPLATE') + idsXml('USERS', g.users) + idsXml('ADMINS', g.admins);
}

/** The `<GROUP>` of one.group.info (group.xsd), quotas empty. */
export function groupToXml(g: Group): string {
  return `<GROUP>${groupBodyXml(g)}${quotasXml()}${defaultQuotasXml('DEFAULT_GROUP_QUOTAS')}</GROUP>`;
}

/** `<GROUP_POOL>` of one.grouppool.info (group_pool.xsd): groups, one QUOTAS each, default quotas. */
export function groupPoolXml(groups: readonly Group[]): string {
  return poolXml('GROUP_POOL', [
    ...groups.map((g) => `<GROUP>${groupBodyXml(g)}</GROUP>`),
    ...groups.map((g) => poolQuotasXml(g.id)),
    defaultQuotasXml('DEFAULT_GROUP_QUOTAS'),
  ]);
}
