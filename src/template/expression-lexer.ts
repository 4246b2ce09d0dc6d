import { TemplateSyntaxError } from './syntax-error.js';

/**
 * The lexer shared by SCHED_REQUIREMENTS and SCHED_RANK (OpenNebula's expr_parser.l): bare names,
 * double-quoted strings (no escapes), unsigned numbers and one-character operators. A sign is left to
 * the parsers, so `FREE_CPU-1` is a subtraction (OpenNebula's lexer reads `-1` as a number there and fails).
 */

/** An expression that cannot be read; the message names the position like a template's. */
export class ExpressionSyntaxError extends TemplateSyntaxError {
  override name = 'ExpressionSyntaxError';
}

export type TokenKind = 'name' | 'string' | 'number' | 'op' | 'end';

export interface Token {
  kind: TokenKind;
  /** The name, the string without its quotes, the number's digits, or the operator character. */
  text: string;
  line: number;
  /** 1-based first and last column of the token on its line. */
  column: number;
  endColumn: number;
}

const OPERATORS = new Set(['@', '!', '&', '|', '=', '>', '<', '(', ')', '*', '+', '/', '-']);
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

/** Splits an expression into tokens, ending with one 'end' token. */
export function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  const token = (kind: TokenKind, text: string, start: number, end: number): void => {
    tokens.push({ kind, text, line, column: start - lineStart + 1, endColumn: Math.max(end, start + 1) - lineStart });
  };
  while (pos < expr.length) {
    const c = expr[pos];
    const start = pos;
    if (c === '\n') {
      pos++;
      line++;
      lineStart = pos;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      pos++;
    } else if (OPERATORS.has(c)) {
      pos++;
      token('op', c, start, pos);
    } else if (NAME_START.test(c)) {
      while (pos < expr.length && NAME_CHAR.test(expr[pos])) pos++;
      token('name', expr.slice(start, pos), start, pos);
    } else if (DIGIT.test(c)) {
      while (pos < expr.length && DIGIT.test(expr[pos])) pos++;
      if (expr[pos] === '.' && DIGIT.test(expr[pos + 1] ?? '')) {
        pos++;
        while (pos < expr.length && DIGIT.test(expr[pos])) pos++;
      }
      token('number', expr.slice(start, pos), start, pos);
    } else if (c === '"') {
      const close = expr.indexOf('"', pos + 1);
      const newline = expr.indexOf('\n', pos + 1);
      if (close < 0 || (newline >= 0 && newline < close)) {
        throw new ExpressionSyntaxError(
          `found a '"' that is never closed, expected a closing '"' on the same line`,
          line,
          start - lineStart + 1,
        );
      }
      pos = close + 1;
      token('string', expr.slice(start + 1, close), start, pos);
    } else {
      throw new ExpressionSyntaxError(
        `found '${c}', expected a name, a "quoted string", a number or one of @ ! & | = > < ( ) + - * /`,
        line,
        start - lineStart + 1,
      );
    }
  }
  token('end', '', pos, pos);
  return tokens;
}

/** How a token reads in an error message. */
function describeToken(t: Token): string {
  if (t.kind === 'end') return 'end of expression';
  if (t.kind === 'string') return `"${t.text}"`;
  return `'${t.text}'`;
}

/** A cursor over tokens for the two recursive-descent parsers. */
export class TokenStream {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.index];
  }

  next(): Token {
    const t = this.tokens[this.index];
    if (t.kind !== 'end') this.index++;
    return t;
  }

  /** Consumes the operator `op` if it is next. */
  accept(op: string): boolean {
    const t = this.peek();
    if (t.kind !== 'op' || t.text !== op) return false;
    this.index++;
    return true;
  }

  /** Consumes the operator `op` or throws, naming what was expected. */
  expect(op: string, expected: string): void {
    if (!this.accept(op)) this.fail(expected);
  }

  /** Throws a syntax error at the current token. */
  fail(expected: string): never {
    const t = this.peek();
    throw new ExpressionSyntaxError(`found ${describeToken(t)}, expected ${expected}`, t.line, t.column, t.endColumn);
  }
}
