/**
 * The XML-RPC value model, shared by the server and the CLI client.
 *
 * How each JavaScript value travels:
 * - `string` -> `<string>`; `boolean` -> `<boolean>`
 * - `number` -> `<int>` when integral and within 32 bits, `<double>` otherwise
 * - `bigint` -> `<i8>` (the xmlrpc-c extension OpenNebula uses for 64-bit values; see `i8`)
 * - `Date` -> `<dateTime.iso8601>` (UTC), `Buffer` -> `<base64>`, `null` -> `<nil/>`
 * - arrays -> `<array>`, plain objects -> `<struct>`
 *
 * Decoding gives the same types back: `<int>`/`<i4>`/`<double>` as number, `<i8>` as bigint.
 */
export type XmlRpcValue =
  | EscapedText
  | string
  | number
  | boolean
  | bigint
  | null
  | Date
  | Buffer
  | XmlRpcValue[]
  | XmlRpcStruct;

/**
 * A `<string>` whose text is already escaped and encoded as UTF-8: big documents (a pool of 20,000
 * VMs) are assembled from parts escaped and encoded once and remembered, instead of escaping and
 * encoding tens of megabytes on every call.
 */
export class EscapedText {
  constructor(readonly parts: readonly Buffer[]) {}
}

export interface XmlRpcStruct {
  [member: string]: XmlRpcValue;
}

const I8_MIN = -(2n ** 63n);
const I8_MAX = 2n ** 63n - 1n;

/** Forces a whole number onto the wire as `<i8>`. */
export function i8(n: number | bigint): bigint {
  if (typeof n === 'number' && !Number.isInteger(n)) {
    throw new RangeError(`i8 needs a whole number, got ${n}`);
  }
  const b = BigInt(n);
  if (b < I8_MIN || b > I8_MAX) throw new RangeError(`${b} does not fit in a 64-bit <i8>`);
  return b;
}

/** Whether `n` fits XML-RPC's `<int>` (a signed 32-bit integer). */
export function isInt32(n: number): boolean {
  return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;
}

/** Whether `b` fits `<i8>` (a signed 64-bit integer). */
export function isInt64(b: bigint): boolean {
  return b >= I8_MIN && b <= I8_MAX;
}

/** Whether a value is a `<struct>` (a plain object, not an array, Date or Buffer). */
export function isStruct(v: XmlRpcValue): v is XmlRpcStruct {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v) && !(v instanceof EscapedText);
}
