import type { User } from '../../domain/user.js';
import { templateToXml } from '../../template/xml.js';
import { el, idsXml } from './elements.js';
import { poolXml } from './pool.js';
import { defaultQuotasXml, poolQuotasXml, quotasXml } from './quotas.js';

/** The user fields shared by one.user.info and the pool listing, up to TEMPLATE. */
function userBodyXml(u: User): string {
  // user.xsd wants at least one group; the primary group is always one
  const groups = u.groups.length > 0 ? u.groups : [u.gid];
  return (
    el('ID', u.id) + el('GID', u.gid) + idsXml('GROUPS', groups) + el('GNAME', u.gname) + el('NAME', u.name) +
    el('PASSWORD', u.password) + el('AUTH_DRIVER', u.authDriver) + el('ENABLED', u.enabled) +
    templateToXml(u.template, 'TEMPLATE')
  );
}

/** The `<USER>` of one.user.info (user.xsd), quotas empty. */
export function userToXml(u: User): string {
  return `<USER>${userBodyXml(u)}${quotasXml()}${defaultQuotasXml('DEFAULT_USER_QUOTAS')}</USER>`;
}

/**
 * `<USER_POOL>` of one.userpool.info (user_pool.xsd): the users without quotas, then one QUOTAS
 * per user, then the default quotas the schema requires at the end.
 */
export function userPoolXml(users: readonly User[]): string {
  return poolXml('USER_POOL', [
    ...users.map((u) => `<USER>${userBodyXml(u)}</USER>`),
    ...users.map((u) => poolQuotasXml(u.id)),
    defaultQuotasXml('DEFAULT_USER_QUOTAS'),
  ]);
}
