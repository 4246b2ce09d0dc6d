import { describe, expect, it } from 'vitest';
import { ExpressionSyntaxError, tokenize, TokenStream } from './expression-lexer.js';

const kinds = (expr: string): string[] => tokenize(expr).map((t) => `${t.kind}:${t.text}`);

describe('tokenize', () => {
  it('splits names, quoted strings, numbers and operators, skipping blanks', () => {
    expect(kinds('FREE_CPU>=12 & "HOST/VMS/ID" @> 5.25|x!=""')).toEqual([
      'name:FREE_CPU',
      'op:>',
      'op:=',
      'number:12',
      'op:&',
      'string:HOST/VMS/ID',
      'op:@',
      'op:>',
      'number:5.25',
      'op:|',
      'name:x',
      'op:!',
      'op:=',
      'string:',
      'end:',
    ]);
  });

  it('leaves signs to the parser, so A-1 is a subtraction', () => {
    expect(kinds('A-1')).toEqual(['name:A', 'op:-', 'number:1', 'end:']);
  });

  it('reads 1. as the number 1 followed by an unknown character', () => {
    expect(() => tokenize('1.')).toThrow(ExpressionSyntaxError);
  });

  it('gives 1-based columns and counts lines', () => {
    const [a, , , b] = tokenize('AB = 1\n  CD');
    expect([a.line, a.column, a.endColumn]).toEqual([1, 1, 2]);
    expect([b.line, b.column, b.endColumn]).toEqual([2, 3, 4]);
  });

  it('rejects unknown characters and unclosed strings, naming the position', () => {
    expect(() => tokenize('A = 1 ; B')).toThrow(
      `found ';', expected a name, a "quoted string", a number or one of @ ! & | = > < ( ) + - * / at line 1, columns 7:7`,
    );
    expect(() => tokenize('NAME = "abc')).toThrow(
      `found a '"' that is never closed, expected a closing '"' on the same line at line 1, columns 8:8`,
    );
    expect(() => tokenize('NAME = "a\nb"')).toThrow(ExpressionSyntaxError);
  });
});

describe('TokenStream', () => {
  it('accepts, expects and fails with the current token', () => {
    const s = new TokenStream(tokenize('( A'));
    expect(s.accept(')')).toBe(false);
    expect(s.accept('(')).toBe(true);
    expect(s.next().text).toBe('A');
    expect(s.peek().kind).toBe('end');
    expect(s.next().kind).toBe('end');
    expect(() => s.expect(')', `')'`)).toThrow(`found end of expression, expected ')' at line 1, columns 4:4`);
  });
});
