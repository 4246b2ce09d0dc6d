import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Attribute, Template, TemplateVector } from './types.js';
import { TemplateSyntaxError } from './syntax-error.js';

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // a raw CR would come back as LF (XML end-of-line normalisation); a reference survives
  '\r': '&#13;',
};
/** Characters XML 1.0 cannot carry at all, not even as references. */
const XML_FORBIDDEN = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF';
const NEEDS_ESCAPE = new RegExp(`[&<>"'\\r${XML_FORBIDDEN}]`);
const ESCAPE_ALL = new RegExp(`[&<>"'\\r${XML_FORBIDDEN}]`, 'g');

/**
 * Escapes text for XML element content or attribute values. Control characters that XML 1.0 forbids
 * become U+FFFD, so a stray byte in a user's value cannot make a whole API answer unreadable.
 */
export function escapeXml(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(ESCAPE_ALL, (c) => XML_ESCAPES[c] ?? '\uFFFD');
}

/** OpenNebula's rule: a name that is not a valid XML name start, or starts with "XML", gets "ONE_" in front. */
function xmlName(name: string): string {
  return /^[A-Za-z_]/.test(name) && !/^xml/i.test(name) ? name : `ONE_${name}`;
}

function byName(a: Attribute, b: Attribute): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function vectorToXml(v: TemplateVector): string {
  let out = '';
  for (const key of Object.keys(v).sort()) {
    const tag = xmlName(key);
    out += `<${tag}>${escapeXml(v[key])}</${tag}>`;
  }
  return out;
}

/**
 * Renders a template as OpenNebula does: children sorted by name (repeated names keep their order),
 * vector sub-attributes sorted, values escaped (no CDATA). An empty template is `<TEMPLATE></TEMPLATE>`.
 */
export function templateToXml(t: Template, root = 'TEMPLATE'): string {
  let out = `<${root}>`;
  for (const attr of [...t].sort(byName)) {
    const tag = xmlName(attr.name);
    const body = typeof attr.value === 'string' ? escapeXml(attr.value) : vectorToXml(attr.value);
    out += `<${tag}>${body}</${tag}>`;
  }
  return `${out}</${root}>`;
}

/** One node of fast-xml-parser's ordered output: `{ TAG: children }` or `{ '#text': text }`. */
type OrderedNode = Record<string, OrderedNode[] | string>;

const TEXT = '#text';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  // decodes numeric references (&#13;) as well as the five XML entities
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function tagOf(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== TEXT);
}

function childrenOf(node: OrderedNode, tag: string): OrderedNode[] {
  return node[tag] as OrderedNode[];
}

function textOf(nodes: OrderedNode[]): string {
  let out = '';
  for (const n of nodes) if (typeof n[TEXT] === 'string') out += n[TEXT];
  return out;
}

function elementsOf(nodes: OrderedNode[]): Array<{ tag: string; children: OrderedNode[] }> {
  const out: Array<{ tag: string; children: OrderedNode[] }> = [];
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag !== undefined) out.push({ tag, children: childrenOf(n, tag) });
  }
  return out;
}

function vectorFromXml(name: string, elements: Array<{ tag: string; children: OrderedNode[] }>): TemplateVector {
  const vector: TemplateVector = {};
  for (const { tag, children } of elements) {
    const key = tag.toUpperCase();
    if (elementsOf(children).length > 0) {
      throw new TemplateSyntaxError(
        `found elements inside <${name}><${tag}>, expected text: a vector attribute holds only name/value pairs`,
        1,
        1,
      );
    }
    if (!Object.hasOwn(vector, key)) vector[key] = textOf(children);
  }
  return vector;
}

/**
 * Reads a template's XML form (any root name, usually TEMPLATE). A child with element children is a
 * vector; others are single values (entity-decoded, CDATA unwrapped). Names are upper-cased.
 */
export function templateFromXml(xml: string): Template {
  const check = XMLValidator.validate(xml);
  if (check !== true) {
    const { msg, line, col } = check.err;
    throw new TemplateSyntaxError(`found malformed XML (${msg}), expected a <TEMPLATE> document`, line, col ?? 1);
  }
  // the validator lets text after the root element through, and the parser drops it: refuse it here
  const body = xml.trimEnd();
  if (!body.endsWith('>')) {
    const line = body.split('\n').length;
    const column = body.length - body.lastIndexOf('\n') - 1;
    throw new TemplateSyntaxError(
      'found text after the root element, expected the document to end with its closing tag',
      line,
      column,
    );
  }
  const [root] = elementsOf(parser.parse(xml) as OrderedNode[]);
  const template: Template = [];
  for (const { tag, children } of elementsOf(root.children)) {
    const name = tag.toUpperCase();
    const sub = elementsOf(children);
    template.push({ name, value: sub.length > 0 ? vectorFromXml(name, sub) : textOf(children) });
  }
  return template;
}
