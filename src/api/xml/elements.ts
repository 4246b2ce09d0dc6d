import type { Lock } from '../../domain/lock.js';
import type { Permissions, PoolObject } from '../../domain/permissions.js';
import type { Attribute, TemplateVector } from '../../template/types.js';
import { escapeXml } from '../../template/xml.js';

/**
 * Returns `s` flattened. V8 keeps a string built with `+` as a tree of its pieces until it is read;
 * twenty thousand such trees (one per VM of a pool answer) cost more in garbage collection than the
 * rendering itself, so each document body is read once (which flattens it) before it is kept.
 * Measured: 20,000 full VMs render in about a third of the time.
 */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** `<NAME>text</NAME>` with the text escaped. */
export function el(name: string, value: string | number): string {
  return `<${name}>${typeof value === 'number' ? value : escapeXml(value)}</${name}>`;
}

/**
 * `<NAME>n</NAME>` for an element the schemas type xs:integer: OpenNebula keeps these as C++
 * integers, so a fractional value (a sum of CPU shares, say) is rounded rather than sent unreadable.
 */
export function intEl(name: string, value: number): string {
  return `<${name}>${Math.round(value)}</${name}>`;
}

/** `<ROOT><ID>1</ID><ID>2</ID></ROOT>`, the schemas' IDS type. */
export function idsXml(root: string, ids: readonly number[]): string {
  let out = `<${root}>`;
  for (const id of ids) out += `<ID>${id}</ID>`;
  return `${out}</${root}>`;
}

/** The fields every pooled object's document starts with: ID, UID, GID, UNAME, GNAME, NAME. */
export function identityXml(o: PoolObject): string {
  return el('ID', o.id) + el('UID', o.uid) + el('GID', o.gid) + el('UNAME', o.uname) + el('GNAME', o.gname) + el('NAME', o.name);
}

/** `<PERMISSIONS>` with its nine bits in OpenNebula's order. */
export function permissionsXml(p: Permissions): string {
  return (
    '<PERMISSIONS>' +
    el('OWNER_U', p.ownerU) + el('OWNER_M', p.ownerM) + el('OWNER_A', p.ownerA) +
    el('GROUP_U', p.groupU) + el('GROUP_M', p.groupM) + el('GROUP_A', p.groupA) +
    el('OTHER_U', p.otherU) + el('OTHER_M', p.otherM) + el('OTHER_A', p.otherA) +
    '</PERMISSIONS>'
  );
}

/** `<LOCK>` when the object is locked, nothing otherwise. */
export function lockXml(lock: Lock | null): string {
  if (!lock) return '';
  return `<LOCK>${el('LOCKED', lock.locked)}${el('OWNER', lock.owner)}${el('TIME', lock.time)}${el('REQ_ID', lock.reqId)}</LOCK>`;
}

/** OpenNebula's rule for names that cannot start an XML element: prefix them with ONE_. */
function tagName(name: string): string {
  return /^[A-Za-z_]/.test(name) && !/^xml/i.test(name) ? name : `ONE_${name}`;
}

/** Compares names by UTF-16 code units, like OpenNebula's std::map order for ASCII names. */
export function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A vector attribute as an element. Sub-attributes named in `first` come first, in that order (for
 * the schemas that fix an order other than OpenNebula's alphabetical one); the rest follow sorted.
 */
export function vectorXml(name: string, v: TemplateVector, first: readonly string[] = []): string {
  const tag = tagName(name);
  let out = `<${tag}>`;
  for (const key of first) if (Object.hasOwn(v, key)) out += el(tagName(key), v[key]);
  for (const key of Object.keys(v).sort(byCode)) if (!first.includes(key)) out += el(tagName(key), v[key]);
  return `${out}</${tag}>`;
}

/** One attribute as an element: text for a single value, sub-elements for a vector. */
export function attributeXml(a: Attribute, order: Readonly<Record<string, readonly string[]>> = {}): string {
  return typeof a.value === 'string' ? el(tagName(a.name), a.value) : vectorXml(a.name, a.value, order[a.name]);
}
