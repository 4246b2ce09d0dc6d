import { el, idsXml } from './elements.js';

/** The default cluster (0): every host and the datastores of cluster 0 belong to it; networks arrive later. */
export function defaultClusterXml(hostIds: readonly number[], datastoreIds: readonly number[]): string {
  return `<CLUSTER>${el('ID', 0)}${el('NAME', 'default')}${idsXml('HOSTS', hostIds)}${idsXml('DATASTORES', datastoreIds)}${idsXml('VNETS', [])}<TEMPLATE></TEMPLATE></CLUSTER>`;
}
