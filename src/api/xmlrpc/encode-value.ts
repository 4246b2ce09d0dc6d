import { escapeText } from './text.js';
import { EscapedText, isInt32, isInt64, type XmlRpcValue } from './values.js';

/** A double in plain decimal notation: XML-RPC's `<double>` has no exponent form. */
function formatDouble(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`XML-RPC cannot carry the number ${n}; send a finite number`);
  const s = String(n);
  if (!s.includes('e')) return s;
  // from 1e21 on every double is a whole number; below 1e-6 JavaScript switches to exponents
  if (Math.abs(n) >= 1) return BigInt(n).toString();
  const [mantissa, exp] = s.split('e');
  const digits = mantissa.replace('-', '').replace('.', '');
  return `${n < 0 ? '-' : ''}0.${'0'.repeat(-Number(exp) - 1)}${digits}`;
}

/** `YYYYMMDDTHH:MM:SS` in UTC, the form xmlrpc-c and most clients write. */
function formatDate(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new TypeError('XML-RPC cannot carry an invalid Date');
  const iso = d.toISOString(); // 2024-01-31T12:34:56.789Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 19)}`;
}

type Encoder<T> = (v: T) => string;

/** How each JavaScript type goes on the wire; objects are told apart in encodeObject. */
const ENCODERS: {
  string: Encoder<string>;
  number: Encoder<number>;
  boolean: Encoder<boolean>;
  bigint: Encoder<bigint>;
  object: Encoder<object | null>;
} = {
  string: (v) => `<value><string>${escapeText(v)}</string></value>`,
  number: (v) => (isInt32(v) ? `<value><int>${v}</int></value>` : `<value><double>${formatDouble(v)}</double></value>`),
  boolean: (v) => `<value><boolean>${v ? 1 : 0}</boolean></value>`,
  bigint: (v) => {
    if (!isInt64(v)) throw new RangeError(`${v} does not fit in a 64-bit <i8>`);
    return `<value><i8>${v}</i8></value>`;
  },
  object: (v) => encodeObject(v as XmlRpcValue),
};

/** One value as `<value>...</value>`, built by plain concatenation (fast for huge strings). */
export function encodeValue(v: XmlRpcValue): string {
  const type = typeof v;
  if (!Object.hasOwn(ENCODERS, type)) throw new TypeError(`XML-RPC cannot carry ${type} values; send a string, number, boolean, array or struct`);
  return (ENCODERS[type as keyof typeof ENCODERS] as Encoder<unknown>)(v);
}

function encodeObject(v: XmlRpcValue): string {
  if (v === null) return '<value><nil/></value>';
  if (Array.isArray(v)) {
    let out = '<value><array><data>';
    for (const item of v) out += encodeValue(item);
    return `${out}</data></array></value>`;
  }
  if (v instanceof EscapedText) return `<value><string>${v.escaped}</string></value>`;
  if (v instanceof Date) return `<value><dateTime.iso8601>${formatDate(v)}</dateTime.iso8601></value>`;
  if (Buffer.isBuffer(v)) return `<value><base64>${v.toString('base64')}</base64></value>`;
  let out = '<value><struct>';
  for (const name of Object.keys(v)) {
    out += `<member><name>${escapeText(name)}</name>${encodeValue((v as Record<string, XmlRpcValue>)[name])}</member>`;
  }
  return `${out}</struct></value>`;
}
