/**
 * Quotas are not enforced yet, so every quota section is rendered empty (the schemas allow it);
 * clients such as `oneuser list` then show no limits.
 */
const EMPTY_QUOTAS =
  '<DATASTORE_QUOTA></DATASTORE_QUOTA><NETWORK_QUOTA></NETWORK_QUOTA><VM_QUOTA></VM_QUOTA><IMAGE_QUOTA></IMAGE_QUOTA>';

/** The four quota sections of a user or group, empty. */
export function quotasXml(): string {
  return EMPTY_QUOTAS;
}

/** `<QUOTAS>` for one user or group of a pool listing. */
export function poolQuotasXml(id: number): string {
  return `<QUOTAS><ID>${id}</ID>${EMPTY_QUOTAS}</QUOTAS>`;
}

/** `<DEFAULT_USER_QUOTAS>` or `<DEFAULT_GROUP_QUOTAS>`, which every user/group document must end with. */
export function defaultQuotasXml(root: 'DEFAULT_USER_QUOTAS' | 'DEFAULT_GROUP_QUOTAS'): string {
  return `<${root}>${EMPTY_QUOTAS}</${root}>`;
}
