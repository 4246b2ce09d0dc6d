import { describe, expect, it } from 'vitest';
import { evaluateRank, ExpressionSyntaxError, parseRank } from './rank.js';

const host: Record<string, number> = { FREE_CPU: 350, RUNNING_VMS: 4, FREE_MEMORY: 2097152, 'HOST_SHARE/MAX_CPU': 800 };
const rank = (expr: string, lookup: (name: string) => number | undefined = (n) => host[n]): number =>
  evaluateRank(parseRank(expr), lookup);

describe('evaluateRank', () => {
  it('reads numbers and variables, bare or quoted', () => {
    expect(rank('42')).toBe(42);
    expect(rank('FREE_CPU')).toBe(350);
    expect(rank('"HOST_SHARE/MAX_CPU"')).toBe(800);
  });

  it('applies * and / before + and -, left to right', () => {
    expect(rank('FREE_CPU + RUNNING_VMS * 10')).toBe(390);
    expect(rank('(FREE_CPU + RUNNING_VMS) * 10')).toBe(3540);
    expect(rank('100 - 10 - 5')).toBe(85);
    expect(rank('100 / 10 / 5')).toBe(2);
    expect(rank('FREE_CPU-1')).toBe(349);
  });

  it('negates with unary minus', () => {
    expect(rank('- RUNNING_VMS')).toBe(-4);
    expect(rank('--RUNNING_VMS')).toBe(4);
    expect(rank('-(1 + 2) * 3')).toBe(-9);
  });

  it('computes in floating point and truncates the result toward zero', () => {
    expect(rank('FREE_CPU / 100')).toBe(3);
    expect(rank('- FREE_CPU / 100')).toBe(-3);
    expect(rank('0.5 * 5')).toBe(2);
    expect(rank('1 / 3 * 3')).toBe(1);
    expect(rank('0.4 - 1')).toBe(0);
    expect(Object.is(rank('0.4 - 1'), 0)).toBe(true);
  });

  it('counts a missing or NaN variable as 0', () => {
    expect(rank('NOPE + 5')).toBe(5);
    expect(rank('X * 2 + 1', () => NaN)).toBe(1);
  });

  it('gives 0 for a division by zero, and for a result that overflows', () => {
    expect(rank('FREE_CPU / NOPE')).toBe(0);
    expect(rank('10 + 5 / 0')).toBe(10);
    expect(rank('X * X', () => 1e200)).toBe(0);
  });

  it('is 0 for an empty expression', () => {
    expect(parseRank('  ')).toEqual({ kind: 'number', value: 0 });
    expect(rank('')).toBe(0);
  });
});

describe('parseRank', () => {
  it('builds a left-associative tree', () => {
    expect(parseRank('A - 1 - B')).toEqual({
      kind: 'binary',
      op: '-',
      left: { kind: 'binary', op: '-', left: { kind: 'variable', name: 'A' }, right: { kind: 'number', value: 1 } },
      right: { kind: 'variable', name: 'B' },
    });
  });

  const errors: Array<[string, string]> = [
    ['FREE_CPU +', `found end of expression, expected a number, a variable (NAME or "PATH"), '-' or '(' at line 1, columns 11:11`],
    ['(FREE_CPU', `found end of expression, expected ')' or an operator (+ - * /) at line 1, columns 10:10`],
    ['FREE_CPU RUNNING_VMS', `found 'RUNNING_VMS', expected an operator (+ - * /) or the end of the expression at line 1, columns 10:20`],
    ['FREE_CPU > 1', `found '>', expected an operator (+ - * /) or the end of the expression at line 1, columns 10:10`],
    ['* 2', `found '*', expected a number, a variable (NAME or "PATH"), '-' or '(' at line 1, columns 1:1`],
    ['2 ^ 3', `found '^', expected a name, a "quoted string", a number or one of @ ! & | = > < ( ) + - * / at line 1, columns 3:3`],
  ];
  it.each(errors)('rejects %j', (expr, message) => {
    expect(() => parseRank(expr)).toThrow(ExpressionSyntaxError);
    expect(() => parseRank(expr)).toThrow(message);
  });
});
