import { MalformedXmlRpcError } from './errors.js';

// String values of a pool answer are tens of MB of XML with millions of `<` and `>` to escape; a
// regular-expression replace allocates one string per match and is 3-5 times slower on such a
// document than one pass over its UTF-8 bytes. Both directions therefore work on bytes. `&`, `<`,
// `>` and `;` are single bytes in UTF-8 and never part of a multi-byte sequence, so this is safe.

const AMP = 38, LT = 60, GT = 62, SEMI = 59, HASH = 35, CR = 13;

/** Anything escapeText must change: markup characters, CR, and what XML 1.0 cannot carry at all. */
const NEEDS_ESCAPE = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/;

// what each byte becomes (as bytes), for the bytes escapeText changes; the rest are copied
const ESCAPES: (number[] | undefined)[] = [];
for (let b = 0; b < 0x20; b++) {
  // control characters XML 1.0 forbids even as references become U+FFFD (TAB and LF are allowed)
  if (b !== 9 && b !== 10) ESCAPES[b] = [...Buffer.from('\uFFFD')];
}
ESCAPES[AMP] = [...Buffer.from('&amp;')];
ESCAPES[LT] = [...Buffer.from('&lt;')];
ESCAPES[GT] = [...Buffer.from('&gt;')];
// a raw CR would be read back as LF (XML end-of-line normalisation); a reference survives
ESCAPES[CR] = [...Buffer.from('&#13;')];

/**
 * Escapes a string for XML text content: `&`, `<`, `>` as entities, CR as `&#13;`, characters
 * XML 1.0 forbids as U+FFFD (so one stray byte in a user's value cannot break a whole answer).
 */
export function escapeText(s: string): string {
  return NEEDS_ESCAPE.test(s) ? escapeBytes(s).toString('utf8') : s;
}

/** escapeText's result as UTF-8 bytes, without going through a string (what a response streams). */
export function escapeTextToBytes(s: string): Buffer {
  return NEEDS_ESCAPE.test(s) ? escapeBytes(s) : Buffer.from(s, 'utf8');
}

function escapeBytes(s: string): Buffer {
  // lone surrogates become U+FFFD here; U+FFFE/U+FFFF (EF BF BE/BF) are replaced below
  const src = Buffer.from(s, 'utf8');
  let size = src.length;
  for (let i = 0; i < src.length; i++) {
    const e = ESCAPES[src[i]];
    if (e !== undefined) size += e.length - 1;
  }
  const dst = Buffer.allocUnsafe(size);
  let j = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    const e = ESCAPES[b];
    if (e !== undefined) {
      for (let k = 0; k < e.length; k++) dst[j++] = e[k];
    } else if (b === 0xef && src[i + 1] === 0xbf && (src[i + 2] === 0xbe || src[i + 2] === 0xbf)) {
      dst[j++] = 0xef;
      dst[j++] = 0xbf;
      dst[j++] = 0xbd;
      i += 2;
    } else {
      dst[j++] = b;
    }
  }
  return dst.subarray(0, j);
}

const NAMED = new Map<string, number>([['lt', LT], ['gt', GT], ['amp', AMP], ['quot', 34], ['apos', 39]]);

/** Writes code point `cp` as UTF-8 at `j`; returns the new position. */
function putCodePoint(dst: Buffer, j: number, cp: number): number {
  if (cp < 0x80) {
    dst[j++] = cp;
  } else if (cp < 0x800) {
    dst[j++] = 0xc0 | (cp >> 6);
    dst[j++] = 0x80 | (cp & 0x3f);
  } else if (cp < 0x10000) {
    dst[j++] = 0xe0 | (cp >> 12);
    dst[j++] = 0x80 | ((cp >> 6) & 0x3f);
    dst[j++] = 0x80 | (cp & 0x3f);
  } else {
    dst[j++] = 0xf0 | (cp >> 18);
    dst[j++] = 0x80 | ((cp >> 12) & 0x3f);
    dst[j++] = 0x80 | ((cp >> 6) & 0x3f);
    dst[j++] = 0x80 | (cp & 0x3f);
  }
  return j;
}

/** The code point of a reference body (`#65`, `#x41`), or undefined when it is not a valid one. */
function numericReference(body: string): number | undefined {
  const m = /^#(?:([0-9]+)|x([0-9a-fA-F]+))$/.exec(body);
  if (!m) return undefined;
  const cp = m[1] !== undefined ? Number(m[1]) : parseInt(m[2], 16);
  return cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? cp : undefined;
}

/** The reference that starts at `src[i]` (an `&`): the code point it stands for and where its `;` is. */
function readReference(src: Buffer, i: number): { cp: number; semi: number } {
  const semi = src.indexOf(SEMI, i + 1);
  // references are short; a far-away `;` means this `&` starts none
  if (semi < 0 || semi - i > 32) throw new MalformedXmlRpcError(`found a bare "&" in text; write it as &amp;`, false);
  const body = src.toString('latin1', i + 1, semi);
  const cp = NAMED.get(body) ?? (src[i + 1] === HASH ? numericReference(body) : undefined);
  if (cp === undefined) throw new MalformedXmlRpcError(`found the unknown entity "&${body};" in text`, false);
  return { cp, semi };
}

/**
 * Decodes the entity and character references of XML text (no markup in it). Throws on a bare `&`
 * or an unknown entity, since XML-RPC has no DTD that could define one.
 */
export function decodeEntities(text: string): string {
  if (text.indexOf('&') < 0) return text;
  const src = Buffer.from(text, 'utf8');
  // a reference is never shorter than what it stands for, so the source length is enough
  const dst = Buffer.allocUnsafe(src.length);
  let j = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    if (b !== AMP) {
      dst[j++] = b;
      continue;
    }
    // the three entities of escaped XML, checked inline: a pool answer holds millions of them
    const c1 = src[i + 1], c2 = src[i + 2], c3 = src[i + 3];
    if (c1 === 108 /* l */ && c2 === 116 /* t */ && c3 === SEMI) {
      dst[j++] = LT;
      i += 3;
    } else if (c1 === 103 /* g */ && c2 === 116 /* t */ && c3 === SEMI) {
      dst[j++] = GT;
      i += 3;
    } else if (c1 === 97 /* a */ && c2 === 109 /* m */ && c3 === 112 /* p */ && src[i + 4] === SEMI) {
      dst[j++] = AMP;
      i += 4;
    } else {
      const ref = readReference(src, i);
      j = putCodePoint(dst, j, ref.cp);
      i = ref.semi;
    }
  }
  return dst.toString('utf8', 0, j);
}

/**
 * Decodes the raw content of an element that may also hold CDATA sections and comments (the
 * parser hands `<string>` over unparsed, for speed). Any other markup inside is an error.
 */
export function decodeRawText(raw: string): string {
  if (raw.indexOf('<') < 0) return decodeEntities(raw);
  let out = '';
  let pos = 0;
  while (pos < raw.length) {
    const lt = raw.indexOf('<', pos);
    if (lt < 0) break;
    out += decodeEntities(raw.slice(pos, lt));
    if (raw.startsWith('<![CDATA[', lt)) {
      const end = raw.indexOf(']]>', lt);
      if (end < 0) throw new MalformedXmlRpcError('found a CDATA section that is never closed with "]]>"', false);
      out += raw.slice(lt + 9, end);
      pos = end + 3;
    } else if (raw.startsWith('<!--', lt)) {
      const end = raw.indexOf('-->', lt);
      if (end < 0) throw new MalformedXmlRpcError('found a comment that is never closed with "-->"', false);
      pos = end + 3;
    } else {
      throw new MalformedXmlRpcError(`found markup "${raw.slice(lt, lt + 20)}" inside a <string>, expected text`);
    }
  }
  return out + decodeEntities(raw.slice(pos));
}
