import { ExpressionSyntaxError, TokenStream, tokenize, type Token } from './expression-lexer.js';
import { compileWildcard, hasWildcard } from './wildcard.js';

export { ExpressionSyntaxError } from './expression-lexer.js';

export type Comparator = '=' | '!=' | '>' | '<' | '@>';

/** `VAR op NUMBER`. */
export interface NumberTest {
  kind: 'number';
  variable: string;
  op: Comparator;
  value: number;
}

/** `VAR op STRING`; `pattern` is the compiled wildcard, null when the string has none (plain equality). */
export interface StringTest {
  kind: 'string';
  variable: string;
  op: '=' | '!=' | '@>';
  value: string;
  pattern: RegExp | null;
}

/** A parsed SCHED_REQUIREMENTS expression. An empty expression is `{ kind: 'true' }`. */
export type Requirement =
  | { kind: 'true' }
  | NumberTest
  | StringTest
  | { kind: 'not'; operand: Requirement }
  | { kind: 'and'; left: Requirement; right: Requirement }
  | { kind: 'or'; left: Requirement; right: Requirement };

/** Values of a variable for one host (several for paths like "HOST/VMS/ID"), undefined when it has none. */
export type RequirementLookup = (name: string) => string[] | undefined;

const OPERATORS_HELP = 'a comparison (=, !=, >, <, @>)';

/**
 * Parses SCHED_REQUIREMENTS (OpenNebula's expr_bool.y). A variable is a bare name or a quoted path
 * ("HOST/VMS/ID"); the right side is a number, a "quoted string" or a bare word (`PIN_POLICY = PINNED`).
 * Precedence as OpenNebula's grammar has it: `!` applies to the term after it, and `&` and `|` have equal
 * precedence, left-associative, so `A | B & C` means `(A | B) & C` — templates written for OpenNebula
 * mean the same here.
 */
export function parseRequirements(expr: string): Requirement {
  const tokens = new TokenStream(tokenize(expr));
  if (tokens.peek().kind === 'end') return { kind: 'true' };
  const req = parseBinary(tokens);
  if (tokens.peek().kind !== 'end') tokens.fail(`'&', '|' or the end of the expression`);
  return req;
}

function parseBinary(tokens: TokenStream): Requirement {
  let left = parseUnary(tokens);
  for (;;) {
    if (tokens.accept('&')) left = { kind: 'and', left, right: parseUnary(tokens) };
    else if (tokens.accept('|')) left = { kind: 'or', left, right: parseUnary(tokens) };
    else return left;
  }
}

function parseUnary(tokens: TokenStream): Requirement {
  if (tokens.accept('!')) return { kind: 'not', operand: parseUnary(tokens) };
  if (tokens.accept('(')) {
    const inner = parseBinary(tokens);
    tokens.expect(')', `')' or another '&' / '|' term`);
    return inner;
  }
  const t = tokens.peek();
  if (t.kind !== 'name' && t.kind !== 'string') {
    tokens.fail(`a variable (NAME or "PATH"), '!' or '('`);
  }
  tokens.next();
  return parseComparison(tokens, t.text);
}

function parseComparator(tokens: TokenStream, variable: string): Comparator {
  const expected = `${OPERATORS_HELP} after ${variable}`;
  if (tokens.accept('=')) return '=';
  if (tokens.accept('>')) return '>';
  if (tokens.accept('<')) return '<';
  if (tokens.accept('!')) {
    tokens.expect('=', `'=' to complete '!=' after ${variable}`);
    return '!=';
  }
  if (tokens.accept('@')) {
    tokens.expect('>', `'>' to complete '@>' after ${variable}`);
    return '@>';
  }
  return tokens.fail(expected);
}

function parseComparison(tokens: TokenStream, variable: string): Requirement {
  const op = parseComparator(tokens, variable);
  const negative = tokens.accept('-');
  const t = tokens.peek();
  if (t.kind === 'number') {
    tokens.next();
    return { kind: 'number', variable, op, value: negative ? -Number(t.text) : Number(t.text) };
  }
  if (negative || op === '>' || op === '<') tokens.fail(`a number after ${variable} ${negative ? `${op} -` : op}`);
  if (t.kind !== 'name' && t.kind !== 'string') tokens.fail(`a number or a "string" after ${variable} ${op}`);
  tokens.next();
  return { kind: 'string', variable, op, value: t.text, pattern: compilePattern(t) };
}

function compilePattern(t: Token): RegExp | null {
  if (!hasWildcard(t.text)) return null;
  try {
    return compileWildcard(t.text);
  } catch {
    throw new ExpressionSyntaxError(
      `found the wildcard pattern "${t.text}" with a reversed range, expected ranges written low-high like [a-z]`,
      t.line,
      t.column,
      t.endColumn,
    );
  }
}

/** A variable's value as a number; NaN for empty or non-numeric text, so it matches no number. */
function toNumber(s: string): number {
  const n = Number(s);
  return n === 0 && s.trim() === '' ? NaN : n;
}

function matches(test: StringTest, value: string): boolean {
  return test.pattern === null ? value === test.value : test.pattern.test(value);
}

const NUMBER_TESTS: Record<Comparator, (values: string[], n: number) => boolean> = {
  '=': (v, n) => toNumber(v[0]) === n,
  '!=': (v, n) => {
    const x = toNumber(v[0]);
    return !Number.isNaN(x) && x !== n;
  },
  '>': (v, n) => toNumber(v[0]) > n,
  '<': (v, n) => toNumber(v[0]) < n,
  '@>': (v, n) => v.some((x) => toNumber(x) === n),
};

const STRING_TESTS: Record<StringTest['op'], (values: string[], test: StringTest) => boolean> = {
  '=': (v, test) => matches(test, v[0]),
  '!=': (v, test) => !matches(test, v[0]),
  '@>': (v, test) => v.some((x) => matches(test, x)),
};

/**
 * Evaluates requirements against one host, as OpenNebula does: a comparison on a variable the host
 * does not have is false, whatever the operator (so `X != 5` is false when X is missing, and
 * `!(X = 5)` is true). `=`, `!=`, `>`, `<` use the variable's first value; `@>` is true when any value
 * matches. Numbers compare numerically, and a value that is not a number matches no number (for
 * `!=` too). String `=`, `!=`, `@>` are case-sensitive shell-wildcard matches.
 */
export function evaluateRequirements(req: Requirement, lookup: RequirementLookup): boolean {
  // A switch, not a table of functions: this is the scheduler's innermost loop (VMs x hosts), and the
  // indirect calls of a table measured about 1.5 times slower.
  switch (req.kind) {
    case 'true':
      return true;
    case 'not':
      return !evaluateRequirements(req.operand, lookup);
    case 'and':
      return evaluateRequirements(req.left, lookup) && evaluateRequirements(req.right, lookup);
    case 'or':
      return evaluateRequirements(req.left, lookup) || evaluateRequirements(req.right, lookup);
    case 'number': {
      const values = lookup(req.variable);
      return values !== undefined && values.length > 0 && NUMBER_TESTS[req.op](values, req.value);
    }
    case 'string': {
      // OpenNebula reads "" as no string at all: nothing matches it, not even with !=
      if (req.value === '') return false;
      const values = lookup(req.variable);
      return values !== undefined && values.length > 0 && STRING_TESTS[req.op](values, req);
    }
  }
}

/** The variables the expression reads, each once, in order of appearance. */
export function requirementVariables(req: Requirement): string[] {
  const seen = new Set<string>();
  const walk = (r: Requirement): void => {
    if (r.kind === 'number' || r.kind === 'string') seen.add(r.variable);
    else if (r.kind === 'not') walk(r.operand);
    else if (r.kind === 'and' || r.kind === 'or') {
      walk(r.left);
      walk(r.right);
    }
  };
  walk(req);
  return [...seen];
}

const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function describeVariable(name: string): string {
  return BARE_NAME.test(name) ? name : `"${name}"`;
}

function parenthesised(r: Requirement, when: boolean): string {
  return when ? `(${describeRequirement(r)})` : describeRequirement(r);
}

type Describers = { [K in Requirement['kind']]: (node: Extract<Requirement, { kind: K }>) => string };

const DESCRIBERS: Describers = {
  true: () => '',
  number: (r) => `${describeVariable(r.variable)} ${r.op} ${r.value}`,
  string: (r) => `${describeVariable(r.variable)} ${r.op} "${r.value}"`,
  not: (r) => `!${parenthesised(r.operand, r.operand.kind !== 'not')}`,
  // one left-associative level: only a binary right operand was grouped by parentheses in the source
  and: (r) => `${describeRequirement(r.left)} & ${parenthesised(r.right, r.right.kind === 'or' || r.right.kind === 'and')}`,
  or: (r) => `${describeRequirement(r.left)} | ${parenthesised(r.right, r.right.kind === 'or' || r.right.kind === 'and')}`,
};

/**
 * Prints requirements back in the expression syntax, with the parentheses the precedence needs;
 * parseRequirements reads the result back to the same tree. The empty expression prints as "".
 */
export function describeRequirement(req: Requirement): string {
  return (DESCRIBERS[req.kind] as (node: Requirement) => string)(req);
}
