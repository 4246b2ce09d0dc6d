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

/** Where encoding writes: text, and the bytes of EscapedText values as they are. */
export type Sink = (string | Buffer)[];
type Encoder<T> = (v: T, out: Sink) => void;

/** How each JavaScript type goes on the wire; objects are told apart in encodeObject. */
const ENCODERS: {
  string: Encoder<string>;
  number: Encoder<number>;
  boolean: Encoder<boolean>;
  bigint: Encoder<bigint>;
  object: Encoder<object | null>;
} = {
  string: (v, out) => out.push(`<value><string>${escapeText(v)}</string></value>`),
  number: (v, out) => out.push(isInt32(v) ? `<value><int>${v}</int></value>` : `<value><double>${formatDouble(v)}</double></value>`),
  boolean: (v, out) => out.push(`<value><boolean>${v ? 1 : 0}</boolean></value>`),
  bigint: (v, out) => {
    if (!isInt64(v)) throw new RangeError(`${v} does not fit in a 64-bit <i8>`);
    out.push(`<value><i8>${v}</i8></value>`);
  },
  object: (v, out) => encodeObject(v as XmlRpcValue, out),
};

/** Writes one value as `<value>...</value>` into `out`. */
export function writeValue(v: XmlRpcValue, out: Sink): void {
  const type = typeof v;
  if (!Object.hasOwn(ENCODERS, type)) throw new TypeError(`XML-RPC cannot carry ${type} values; send a string, number, boolean, array or struct`);
  (ENCODERS[type as keyof typeof ENCODERS] as Encoder<unknown>)(v, out);
}

/** One value as `<value>...</value>` text. */
export function encodeValue(v: XmlRpcValue): string {
  const out: Sink = [];
  writeValue(v, out);
  return out.map((p) => (typeof p === 'string' ? p : p.toString('utf8'))).join('');
}

function encodeObject(v: XmlRpcValue, out: Sink): void {
  if (v === null) {
    out.push('<value><nil/></value>');
  } else if (Array.isArray(v)) {
    out.push('<value><array><data>');
    for (const item of v) writeValue(item, out);
    out.push('</data></array></value>');
  } else if (v instanceof EscapedText) {
    out.push('<value><string>', ...v.parts, '</string></value>');
  } else if (v instanceof Date) {
    out.push(`<value><dateTime.iso8601>${formatDate(v)}</dateTime.iso8601></value>`);
  } else if (Buffer.isBuffer(v)) {
    out.push(`<value><base64>${v.toString('base64')}</base64></value>`);
  } else {
    out.push('<value><struct>');
    for (const name of Object.keys(v)) {
      out.push(`<member><name>${escapeText(name)}</name>`);
      writeValue((v as Record<string, XmlRpcValue>)[name], out);
      out.push('</member>');
    }
    out.push('</struct></value>');
  }
}
