import { describe, expect, it } from 'vitest';
import { parseTemplate } from './parse.js';
import { templateToText } from './text.js';
import type { Template } from './types.js';

describe('templateToText', () => {
  it('prints single values quoted and vectors the way the CLI does', () => {
    const t: Template = [
      { name: 'CPU', value: '1' },
      { name: 'DISK', value: { SIZE: '10', IMAGE_ID: '1' } },
      { name: 'NAME', value: 'web' },
    ];
    expect(templateToText(t)).toBe('CPU="1"\nDISK=[\n  IMAGE_ID="1",\n  SIZE="10" ]\nNAME="web"');
  });

  it('keeps the template’s order and repeated names', () => {
    const t: Template = [
      { name: 'B', value: '1' },
      { name: 'A', value: '2' },
      { name: 'B', value: '3' },
    ];
    expect(templateToText(t)).toBe('B="1"\nA="2"\nB="3"');
  });

  it('prints empty values and empty vectors', () => {
    expect(templateToText([{ name: 'A', value: '' }, { name: 'V', value: {} }])).toBe('A=""\nV=[ ]');
  });

  it('prints nothing for an empty template', () => {
    expect(templateToText([])).toBe('');
  });

  it('escapes quotes, and only the backslashes the parser would misread', () => {
    const t: Template = [
      { name: 'Q', value: 'say "hi"' },
      { name: 'P', value: 'C:\\dir\\sub' },
      { name: 'E', value: 'ends with \\' },
      { name: 'B', value: 'a\\"b' },
    ];
    expect(templateToText(t)).toBe('Q="say \\"hi\\""\nP="C:\\dir\\sub"\nE="ends with \\\\"\nB="a\\\\\\"b"');
  });

  it('prints newlines inside values as they are', () => {
    expect(templateToText([{ name: 'S', value: 'line 1\nline 2' }])).toBe('S="line 1\nline 2"');
  });
});

describe('parseTemplate(templateToText(t)) round trip', () => {
  it('gives back a template with tricky values', () => {
    const t: Template = [
      { name: 'NAME', value: 'vm "one"' },
      { name: 'SCRIPT', value: '#!/bin/sh\necho "a\\b" > /tmp/x\n\techo done\n' },
      { name: 'BACKSLASHES', value: '\\\\\\' },
      { name: 'QUOTE_ONLY', value: '"' },
      { name: 'EMPTY', value: '' },
      { name: 'PUNCT', value: 'a, [b] = #c ]' },
      { name: 'DISK', value: { IMAGE_ID: '1', SIZE: '10' } },
      { name: 'DISK', value: { PATH: 'C:\\"x"\\', NOTE: 'x\r\ny' } },
      { name: 'NIC', value: {} },
      { name: 'UNICODE', value: 'héllo wörld ✓ 😀' },
    ];
    expect(parseTemplate(templateToText(t))).toEqual(t);
  });

  it('gives back any value built from the characters that need care', () => {
    const alphabet = ['\\', '"', 'a', ' ', '\n', '#', ',', ']', '[', '=', "'", '\t'];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 500; i++) {
      const value = Array.from({ length: random(12) }, () => alphabet[random(alphabet.length)]).join('');
      const t: Template = [
        { name: 'S', value },
        { name: 'V', value: { K: value, L: value.split('').reverse().join('') } },
      ];
      expect(parseTemplate(templateToText(t))).toEqual(t);
    }
  });
});
