import { describe, expect, it } from 'vitest';
import { decodeEntities, decodeRawText, escapeText, escapeTextToBytes } from './text.js';

describe('escapeText', () => {
  it('returns text without special characters as is', () => {
    expect(escapeText('plain text, "quoted" é')).toBe('plain text, "quoted" é');
  });

  it('escapes markup characters and CR, keeps TAB and LF', () => {
    expect(escapeText('a<b>&c\r\n\td')).toBe('a&lt;b&gt;&amp;c&#13;\n\td');
  });

  it('replaces what XML 1.0 cannot carry with U+FFFD', () => {
    expect(escapeText('a\u0001b\u001fc\uFFFEd\uFFFF')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFD');
    expect(escapeText('lone \uD800 surrogate <')).toBe('lone \uFFFD surrogate &lt;');
  });

  it('keeps characters outside the BMP', () => {
    expect(escapeText('😀 <')).toBe('😀 &lt;');
  });
});

describe('decodeEntities', () => {
  it('decodes the five XML entities and character references', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&apos;&#65;&#x1F600;&#233;')).toBe('<>&"\'A😀é');
  });

  it('does not decode twice', () => {
    expect(decodeEntities('&amp;lt;')).toBe('&lt;');
  });

  it('is the inverse of escapeText', () => {
    const s = 'x < y && z > "w"\r\n😀 é';
    expect(decodeEntities(escapeText(s))).toBe(s);
  });

  it.each([
    ['a bare ampersand', 'a & b', /bare "&"/],
    ['an unknown entity', '&nbsp;', /unknown entity "&nbsp;"/],
    ['a surrogate reference', '&#xD800;', /unknown entity "&#xD800;"/],
    ['a reference beyond Unicode', '&#x110000;', /unknown entity/],
  ])('rejects %s', (_what, text, message) => {
    expect(() => decodeEntities(text)).toThrow(message);
  });
});

describe('decodeRawText', () => {
  it('unwraps CDATA without decoding it and drops comments', () => {
    expect(decodeRawText('a&amp;<![CDATA[&amp;<x>]]><!-- note -->b')).toBe('a&&amp;<x>b');
  });

  it('rejects an unclosed CDATA section or comment', () => {
    expect(() => decodeRawText('<![CDATA[x')).toThrow(/never closed/);
    expect(() => decodeRawText('<!-- x')).toThrow(/never closed/);
  });
});

describe('escapeTextToBytes', () => {
  it('gives the UTF-8 bytes of what escapeText gives', () => {
    for (const s of ['plain é', '<a b="1">x &amp; y</a>', 'cr\r\u0001\uFFFE', '']) {
      expect(escapeTextToBytes(s).equals(Buffer.from(escapeText(s), 'utf8'))).toBe(true);
    }
  });
});
