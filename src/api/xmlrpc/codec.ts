import { elementsOf, parseDocument, single, valueOf, type Node } from './decode-value.js';
import { encodeValue, writeValue, type Sink } from './encode-value.js';
import { MalformedXmlRpcError, XmlRpcFault } from './errors.js';
import { escapeText } from './text.js';
import { isStruct, type XmlRpcValue } from './values.js';

export { MalformedXmlRpcError, XmlRpcFault } from './errors.js';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** The values of a `<params>` element, in order. */
function paramsOf(params: Node | undefined): XmlRpcValue[] {
  const list = (elementsOf(params, 'params').param as Node[] | undefined) ?? [];
  return list.map((p) => {
    const value = single(elementsOf(p, 'param'), 'value', 'param');
    if (value === undefined) throw new MalformedXmlRpcError('found a <param> without <value>');
    return valueOf(value);
  });
}

/** The one root element of a document, which must be `root`. */
function rootOf(doc: Record<string, Node>, root: string): Record<string, Node | Node[]> {
  const roots = Object.keys(doc).filter((k) => k !== '#text');
  if (roots.length !== 1 || roots[0] !== root) {
    const found = roots.length === 0 ? 'no element' : `<${roots.join('>, <')}>`;
    throw new MalformedXmlRpcError(`found ${found} at the top of the document, expected one <${root}>`);
  }
  return elementsOf(doc[root], root);
}

/**
 * Reads a `<methodCall>`. Throws MalformedXmlRpcError, saying what is wrong and where, for XML that
 * is not well-formed or not an XML-RPC call.
 */
export function decodeCall(xml: string): { method: string; params: XmlRpcValue[] } {
  const call = rootOf(parseDocument(xml, true), 'methodCall');
  const name = single(call, 'methodName', 'methodCall');
  if (typeof name !== 'string' || name.trim() === '') {
    throw new MalformedXmlRpcError('found no <methodName> text in <methodCall>; name the method to call');
  }
  return { method: name.trim(), params: paramsOf(single(call, 'params', 'methodCall')) };
}

/** A `<methodCall>` document, for the client side. */
export function encodeCall(method: string, params: XmlRpcValue[]): string {
  let out = `${DECLARATION}<methodCall><methodName>${escapeText(method)}</methodName><params>`;
  for (const p of params) out += `<param>${encodeValue(p)}</param>`;
  return `${out}</params></methodCall>\n`;
}

/** A successful `<methodResponse>` carrying one value. */
export function encodeResponse(value: XmlRpcValue): string {
  return `${DECLARATION}<methodResponse><params><param>${encodeValue(value)}</param></params></methodResponse>\n`;
}

/**
 * The same response as UTF-8 byte parts, to be written one after the other: pre-encoded EscapedText
 * parts go out as they are, neither re-encoded nor copied into one big buffer.
 */
export function encodeResponseParts(value: XmlRpcValue): Buffer[] {
  const out: Sink = [`${DECLARATION}<methodResponse><params><param>`];
  writeValue(value, out);
  out.push('</param></params></methodResponse>\n');
  return out.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p));
}

/** A `<fault>` response. */
export function encodeFault(code: number, message: string): string {
  const fault = encodeValue({ faultCode: code, faultString: message });
  return `${DECLARATION}<methodResponse><fault>${fault}</fault></methodResponse>\n`;
}

/**
 * Reads a `<methodResponse>`: returns its value, or throws XmlRpcFault for a fault. The document is
 * not run through the well-formedness check first (a pool answer is tens of MB and comes from our
 * own server); a broken one still fails on its structure.
 */
export function decodeResponse(xml: string): XmlRpcValue {
  const response = rootOf(parseDocument(xml, false), 'methodResponse');
  const fault = single(response, 'fault', 'methodResponse');
  if (fault !== undefined) {
    const value = single(elementsOf(fault, 'fault'), 'value', 'fault');
    const f = value === undefined ? undefined : valueOf(value);
    if (f === undefined || !isStruct(f) || typeof f.faultCode !== 'number' || typeof f.faultString !== 'string') {
      throw new MalformedXmlRpcError('found a <fault> without a faultCode number and a faultString');
    }
    throw new XmlRpcFault(f.faultCode, f.faultString);
  }
  const params = paramsOf(single(response, 'params', 'methodResponse'));
  if (params.length !== 1) {
    throw new MalformedXmlRpcError(`found ${params.length} values in <methodResponse>, expected exactly one`);
  }
  return params[0];
}
