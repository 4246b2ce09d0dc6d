/**
 * Shell wildcards as fnmatch(3) with no flags reads them: `*` (any run, `/` included), `?` (any one
 * character), `[abc]`, `[a-z]`, `[!a]` / `[^a]`, and `\x` for a literal x. An unclosed `[` is literal.
 */

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

function literal(s: string): string {
  return s.replace(REGEX_SPECIAL, '\\$&');
}

/** Index of the `]` closing a bracket expression that opens at `open`, or -1 when it is never closed. */
function bracketEnd(p: string, open: number): number {
  let i = open + 1;
  if (p[i] === '!' || p[i] === '^') i++;
  if (p[i] === ']') i++; // a leading ']' is a member, not the end
  return p.indexOf(']', i);
}

function bracketToRegex(body: string): string {
  const negated = body[0] === '!' || body[0] === '^';
  const members = (negated ? body.slice(1) : body).replace(/[\\\]\[^]/g, '\\$&');
  return `[${negated ? '^' : ''}${members}]`;
}

/** Whether `p` uses any wildcard syntax; if not, matching is plain string equality. */
export function hasWildcard(p: string): boolean {
  return /[*?[\\]/.test(p);
}

/** Compiles a wildcard pattern into an anchored RegExp; throws SyntaxError on a reversed range like `[z-a]`. */
export function compileWildcard(p: string): RegExp {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      while (p[i + 1] === '*') i++; // one '.*' per run keeps matching linear-ish
      re += '.*';
    } else if (c === '?') {
      re += '.';
    } else if (c === '\\' && i + 1 < p.length) {
      re += literal(p[++i]);
    } else if (c === '[' && bracketEnd(p, i) > 0) {
      const end = bracketEnd(p, i);
      re += bracketToRegex(p.slice(i + 1, end));
      i = end;
    } else {
      re += literal(c);
    }
  }
  return new RegExp(`^${re}$`, 's');
}
