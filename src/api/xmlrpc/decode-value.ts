import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MalformedXmlRpcError } from './errors.js';
import { decodeEntities, decodeRawText } from './text.js';
import { isInt32, isInt64, type XmlRpcStruct, type XmlRpcValue } from './values.js';

/** What fast-xml-parser gives for an element: its text, or its children by tag name. */
export type Node = string | { [tag: string]: Node | Node[] };

const TEXT = '#text';

const parser = new XMLParser({
  ignoreAttributes: true,
  // no coercion and no trimming: " 007\n" stays " 007\n"
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // repeated elements keep their order in one array; these may repeat or not, so always arrays
  isArray: (tag) => tag === 'value' || tag === 'member' || tag === 'param',
  // <string> content is taken raw and decoded by text.ts, several times faster on huge documents
  stopNodes: ['*.string'],
  // the five XML entities and character references only; no DTD entities (nothing to expand)
  entityDecoder: {
    decode: decodeEntities,
    reset: () => undefined,
    setXmlVersion: () => undefined,
    addInputEntities: () => undefined,
    setExternalEntities: () => undefined,
  },
});

/**
 * Parses an XML-RPC document into fast-xml-parser's object form. `validate` runs the well-formedness
 * check first (the parser alone accepts broken XML silently); it costs about as much as the parse.
 */
export function parseDocument(xml: string, validate: boolean): Record<string, Node> {
  if (validate) {
    const check = XMLValidator.validate(xml);
    if (check !== true) {
      const { msg, line, col } = check.err;
      throw new MalformedXmlRpcError(`malformed XML at line ${line}${col ? `, column ${col}` : ''}: ${msg}`, false);
    }
  }
  try {
    return parser.parse(xml) as Record<string, Node>;
  } catch (e) {
    throw new MalformedXmlRpcError(`malformed XML: ${(e as Error).message}`, false);
  }
}

/** The element children of a node (whitespace text between elements is ignored; other text is an error). */
export function elementsOf(node: Node | undefined, where: string): Record<string, Node | Node[]> {
  if (node === undefined) return {};
  if (typeof node === 'string') {
    if (node.trim() !== '') throw new MalformedXmlRpcError(`found text "${node.trim().slice(0, 40)}" in <${where}>, expected elements`);
    return {};
  }
  const text = node[TEXT];
  if (typeof text === 'string' && text.trim() !== '') {
    throw new MalformedXmlRpcError(`found text "${text.trim().slice(0, 40)}" beside the elements of <${where}>`);
  }
  return node;
}

/** The one child element `tag` of a node, which must not repeat. */
export function single(children: Record<string, Node | Node[]>, tag: string, where: string): Node | undefined {
  const v = children[tag];
  if (Array.isArray(v)) {
    if (v.length > 1) throw new MalformedXmlRpcError(`found ${v.length} <${tag}> elements in <${where}>, expected one`);
    return v[0];
  }
  return v;
}

/** The text of a scalar element (the parser already decoded its entities). */
function textOf(node: Node | Node[], tag: string): string {
  if (typeof node === 'string') return node;
  throw new MalformedXmlRpcError(`found elements inside <${tag}>, expected text`);
}

function parseInteger(text: string, tag: string): bigint {
  const t = text.trim();
  if (!/^[+-]?[0-9]+$/.test(t)) throw new MalformedXmlRpcError(`found "${text}" in <${tag}>, expected a whole number`);
  return BigInt(t);
}

function int32(text: string, tag: string): number {
  const n = parseInteger(text, tag);
  if (!isInt32(Number(n))) throw new MalformedXmlRpcError(`<${tag}>${text}</${tag}> does not fit in 32 bits; send it as <i8>`);
  return Number(n);
}

const ISO8601 = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Reads `19980717T14:08:55` and the dashed ISO forms; without a zone the time is taken as UTC. */
function parseDate(text: string): Date {
  const m = ISO8601.exec(text.trim());
  if (!m) throw new MalformedXmlRpcError(`found "${text}" in <dateTime.iso8601>, expected e.g. 20240131T12:34:56`);
  const zone = m[8] === undefined || m[8] === 'Z' ? 'Z' : `${m[8].slice(0, 3)}:${m[8].slice(-2)}`;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${zone}`);
  if (Number.isNaN(d.getTime())) throw new MalformedXmlRpcError(`found the impossible date "${text}" in <dateTime.iso8601>`);
  return d;
}

function parseBase64(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new MalformedXmlRpcError('found characters outside base64 in <base64>');
  return Buffer.from(compact, 'base64');
}

/** Readers of the typed value elements, by tag. */
const SCALARS: Record<string, (text: string, tag: string) => XmlRpcValue> = {
  int: int32,
  i4: int32,
  i8: (text, tag) => {
    const n = parseInteger(text, tag);
    if (!isInt64(n)) throw new MalformedXmlRpcError(`<i8>${text}</i8> does not fit in 64 bits`);
    return n;
  },
  boolean: (text) => {
    const t = text.trim();
    if (t !== '0' && t !== '1') throw new MalformedXmlRpcError(`found "${text}" in <boolean>, expected 0 or 1`);
    return t === '1';
  },
  double: (text) => {
    const t = text.trim();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw new MalformedXmlRpcError(`found "${text}" in <double>, expected a number`);
    return Number(t);
  },
  string: (raw) => decodeRawText(raw),
  'dateTime.iso8601': parseDate,
  base64: parseBase64,
  nil: () => null,
};

function arrayValue(node: Node | Node[]): XmlRpcValue[] {
  const array = elementsOf(node as Node, 'array');
  const data = single(array, 'data', 'array');
  if (data === undefined) throw new MalformedXmlRpcError('found <array> without <data>');
  const values = elementsOf(data, 'data').value as Node[] | undefined;
  return (values ?? []).map(valueOf);
}

function structValue(node: Node | Node[]): XmlRpcStruct {
  const out: XmlRpcStruct = {};
  const members = (elementsOf(node as Node, 'struct').member as Node[] | undefined) ?? [];
  for (const m of members) {
    const children = elementsOf(m, 'member');
    const name = single(children, 'name', 'member');
    const value = single(children, 'value', 'member');
    if (name === undefined || value === undefined) throw new MalformedXmlRpcError('found a <member> without <name> or <value>');
    // defineProperty: a member called "__proto__" must stay data, not change the object's prototype
    Object.defineProperty(out, textOf(name, 'name'), { value: valueOf(value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Converts one parsed `<value>` to the value model. Untyped text is a string, as the spec says. */
export function valueOf(node: Node): XmlRpcValue {
  if (typeof node === 'string') return node;
  const tags = Object.keys(node).filter((k) => k !== TEXT);
  if (tags.length === 0) return typeof node[TEXT] === 'string' ? node[TEXT] : '';
  const children = elementsOf(node, 'value');
  if (tags.length > 1) throw new MalformedXmlRpcError(`found <${tags.join('>, <')}> in one <value>, expected one type`);
  const tag = tags[0];
  const child = single(children, tag, 'value') as Node;
  if (tag === 'array') return arrayValue(child);
  if (tag === 'struct') return structValue(child);
  const read = Object.hasOwn(SCALARS, tag) ? SCALARS[tag] : undefined;
  if (!read) throw new MalformedXmlRpcError(`found the unknown value type <${tag}>`);
  return read(textOf(child, tag), tag);
}
