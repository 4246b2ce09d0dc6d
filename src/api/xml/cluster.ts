import { el, idsXml } from './elements.js';

/** The default cluster (0): every host belongs to it; datastores and networks arrive with storage and networking. */
export function defaultClusterXml(hostIds: readonly number[]): string {
  return `<CLUSTER>${el('ID', 0)}${el('NAME', 'default')}${idsXml('HOSTS', hostIds)}${idsXml('DATASTORES', [])}${idsXml('VNETS', [])}<TEMPLATE></TEMPLATE></CLUSTER>`;
}
