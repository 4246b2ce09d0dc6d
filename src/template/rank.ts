import { TokenStream, tokenize } from './expression-lexer.js';

export { ExpressionSyntaxError } from './expression-lexer.js';

export type ArithmeticOperator = '+' | '-' | '*' | '/';

/** A parsed SCHED_RANK expression. An empty expression is the number 0. */
export type Rank =
  | { kind: 'number'; value: number }
  | { kind: 'variable'; name: string }
  | { kind: 'negate'; operand: Rank }
  | { kind: 'binary'; op: ArithmeticOperator; left: Rank; right: Rank };

/** A host's numeric value for a variable, undefined when it has none. */
export type RankLookup = (name: string) => number | undefined;

/**
 * Parses SCHED_RANK (OpenNebula's expr_arith.y): numbers, variables (bare or "QUOTED/PATH"), `+ - * /`
 * (`*` and `/` bind tighter, all left-associative), unary `-` and parentheses.
 */
export function parseRank(expr: string): Rank {
  const tokens = new TokenStream(tokenize(expr));
  if (tokens.peek().kind === 'end') return { kind: 'number', value: 0 };
  const rank = parseSum(tokens);
  if (tokens.peek().kind !== 'end') tokens.fail(`an operator (+ - * /) or the end of the expression`);
  return rank;
}

function parseSum(tokens: TokenStream): Rank {
  let left = parseProduct(tokens);
  for (;;) {
    const op = tokens.accept('+') ? '+' : tokens.accept('-') ? '-' : undefined;
    if (!op) return left;
    left = { kind: 'binary', op, left, right: parseProduct(tokens) };
  }
}

function parseProduct(tokens: TokenStream): Rank {
  let left = parseUnary(tokens);
  for (;;) {
    const op = tokens.accept('*') ? '*' : tokens.accept('/') ? '/' : undefined;
    if (!op) return left;
    left = { kind: 'binary', op, left, right: parseUnary(tokens) };
  }
}

function parseUnary(tokens: TokenStream): Rank {
  if (tokens.accept('-')) return { kind: 'negate', operand: parseUnary(tokens) };
  if (tokens.accept('(')) {
    const inner = parseSum(tokens);
    tokens.expect(')', `')' or an operator (+ - * /)`);
    return inner;
  }
  const t = tokens.peek();
  if (t.kind === 'number') {
    tokens.next();
    return { kind: 'number', value: Number(t.text) };
  }
  if (t.kind === 'name' || t.kind === 'string') {
    tokens.next();
    return { kind: 'variable', name: t.text };
  }
  return tokens.fail(`a number, a variable (NAME or "PATH"), '-' or '('`);
}

const OPERATIONS: Record<ArithmeticOperator, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  // OpenNebula would get ±infinity here and cast it to an int, which C++ leaves undefined (in practice
  // INT_MIN); 0 keeps one host with an empty counter from being ranked above or below all others at random.
  '/': (a, b) => (b === 0 ? 0 : a / b),
};

type Evaluators = { [K in Rank['kind']]: (node: Extract<Rank, { kind: K }>, lookup: RankLookup) => number };

const EVALUATORS: Evaluators = {
  number: (node) => node.value,
  variable: (node, lookup) => {
    const v = lookup(node.name);
    return v === undefined || Number.isNaN(v) ? 0 : v;
  },
  negate: (node, lookup) => -evaluate(node.operand, lookup),
  binary: (node, lookup) => OPERATIONS[node.op](evaluate(node.left, lookup), evaluate(node.right, lookup)),
};

function evaluate(rank: Rank, lookup: RankLookup): number {
  return (EVALUATORS[rank.kind] as (node: Rank, lookup: RankLookup) => number)(rank, lookup);
}

/**
 * Evaluates a rank for one host in floating point, then truncates toward zero as OpenNebula's
 * `static_cast<int>` does (so 2.9 ranks as 2 and -2.9 as -2). Missing variables count as 0; a division
 * by zero gives 0; a result that is still not finite (an overflow) is 0.
 */
export function evaluateRank(rank: Rank, lookup: RankLookup): number {
  const value = evaluate(rank, lookup);
  return Number.isFinite(value) ? Math.trunc(value) + 0 : 0; // + 0 turns -0 into 0
}
