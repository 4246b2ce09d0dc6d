import { describe, expect, it } from 'vitest';
import { compileWildcard, hasWildcard } from './wildcard.js';

const match = (pattern: string, s: string): boolean => compileWildcard(pattern).test(s);

describe('hasWildcard', () => {
  it('spots *, ?, [ and backslash', () => {
    expect(['a*', 'a?', '[ab]', 'a\\b'].map(hasWildcard)).toEqual([true, true, true, true]);
    expect(hasWildcard('plain.name-1/x')).toBe(false);
  });
});

describe('compileWildcard (fnmatch without flags)', () => {
  it('matches * against any run, slashes and newlines included', () => {
    expect(match('aquila*', 'aquila01')).toBe(true);
    expect(match('aquila*', 'aquila')).toBe(true);
    expect(match('*', 'a/b\nc')).toBe(true);
    expect(match('a*c', 'abbbc')).toBe(true);
    expect(match('a*c', 'abbbd')).toBe(false);
    expect(match('a**c', 'ac')).toBe(true);
  });

  it('matches ? against exactly one character', () => {
    expect(match('host-??', 'host-01')).toBe(true);
    expect(match('host-??', 'host-1')).toBe(false);
  });

  it('is anchored and case-sensitive', () => {
    expect(match('kvm', 'kvm')).toBe(true);
    expect(match('kvm', 'KVM')).toBe(false);
    expect(match('kv?', 'xkvm')).toBe(false);
  });

  it('treats regular-expression characters literally', () => {
    expect(match('a.b*', 'a.b(c)')).toBe(true);
    expect(match('a.b*', 'axb')).toBe(false);
    expect(match('^$+{}|()/*', '^$+{}|()/x')).toBe(true);
  });

  it('reads bracket expressions, ranges and negation', () => {
    expect(match('node[0-9]', 'node5')).toBe(true);
    expect(match('node[0-9]', 'nodex')).toBe(false);
    expect(match('node[!0-9]', 'nodex')).toBe(true);
    expect(match('node[^0-9]', 'node5')).toBe(false);
    expect(match('[]a]*', ']x')).toBe(true);
    expect(match('[\\^]', '^')).toBe(true);
  });

  it('reads an unclosed [ literally and \\x as a literal x', () => {
    expect(match('a[b', 'a[b')).toBe(true);
    expect(match('a\\*', 'a*')).toBe(true);
    expect(match('a\\*', 'ab')).toBe(false);
    expect(match('a\\', 'a\\')).toBe(true);
  });

  it('throws on a reversed range', () => {
    expect(() => compileWildcard('[z-a]')).toThrow(SyntaxError);
  });
});
