import { describe, expect, it } from 'vitest';
import {
  describeRequirement,
  evaluateRequirements,
  ExpressionSyntaxError,
  parseRequirements,
  requirementVariables,
  type Requirement,
} from './requirements.js';

const host: Record<string, string[]> = {
  NAME: ['aquila01'],
  HYPERVISOR: ['kvm'],
  FREE_CPU: ['350'],
  FREE_MEMORY: ['2097152'],
  CPUSPEED: ['2400.5'],
  CLUSTER_ID: ['0'],
  PIN_POLICY: ['NONE'],
  'HOST/VMS/ID': ['3', '5', '8'],
  'CLUSTERS/ID': ['100', '101'],
  LABELS: ['gpu', 'ssd'],
  STATUS: ['ok'],
  EMPTY: [],
  BLANK: [''],
};
const lookup = (name: string): string[] | undefined => host[name];
const check = (expr: string): boolean => evaluateRequirements(parseRequirements(expr), lookup);

describe('evaluateRequirements: numbers', () => {
  it('compares with =, !=, > and <', () => {
    expect(check('FREE_CPU = 350')).toBe(true);
    expect(check('FREE_CPU = 351')).toBe(false);
    expect(check('FREE_CPU != 351')).toBe(true);
    expect(check('FREE_CPU != 350')).toBe(false);
    expect(check('FREE_CPU > 100')).toBe(true);
    expect(check('FREE_CPU > 350')).toBe(false);
    expect(check('FREE_CPU < 400')).toBe(true);
    expect(check('FREE_CPU < 350')).toBe(false);
  });

  it('compares floats and negative numbers numerically', () => {
    expect(check('CPUSPEED > 2400.25')).toBe(true);
    expect(check('CPUSPEED = 2400.5')).toBe(true);
    expect(check('FREE_CPU = 350.0')).toBe(true);
    expect(check('CLUSTER_ID > -1')).toBe(true);
    expect(check('CLUSTER_ID < - 1')).toBe(false);
  });

  it('never matches a number against a value that is not one, even with !=', () => {
    expect(check('HYPERVISOR = 0')).toBe(false);
    expect(check('HYPERVISOR != 0')).toBe(false);
    expect(check('HYPERVISOR > -1000')).toBe(false);
    expect(check('BLANK = 0')).toBe(false);
    expect(check('BLANK != 1')).toBe(false);
  });

  it('@> is true when any value equals the number', () => {
    expect(check('"HOST/VMS/ID" @> 5')).toBe(true);
    expect(check('"HOST/VMS/ID" @> 4')).toBe(false);
    expect(check('"CLUSTERS/ID" @> 101')).toBe(true);
  });

  it('uses only the first value for =, != and >', () => {
    expect(check('"HOST/VMS/ID" = 3')).toBe(true);
    expect(check('"HOST/VMS/ID" = 5')).toBe(false);
    expect(check('"HOST/VMS/ID" > 4')).toBe(false);
  });
});

describe('evaluateRequirements: strings', () => {
  it('= and != are case-sensitive wildcard matches', () => {
    expect(check('NAME = "aquila*"')).toBe(true);
    expect(check('NAME = "aquila0?"')).toBe(true);
    expect(check('NAME = "AQUILA*"')).toBe(false);
    expect(check('NAME = "aquila"')).toBe(false);
    expect(check('NAME != "aquila*"')).toBe(false);
    expect(check('NAME != "orion*"')).toBe(true);
    expect(check('HYPERVISOR = "kvm"')).toBe(true);
  });

  it('reads a bare word on the right as a string, as AUTOMATIC_REQUIREMENTS write it', () => {
    expect(check('HYPERVISOR = kvm')).toBe(true);
    expect(check('(CLUSTER_ID = 0) & !(PIN_POLICY = PINNED)')).toBe(true);
  });

  it('@> is true when any value matches', () => {
    expect(check('LABELS @> "ssd"')).toBe(true);
    expect(check('LABELS @> "s*"')).toBe(true);
    expect(check('LABELS @> "hdd"')).toBe(false);
  });

  it('treats "" as no string: nothing matches it', () => {
    expect(check('BLANK = ""')).toBe(false);
    expect(check('NAME != ""')).toBe(false);
    expect(check('LABELS @> ""')).toBe(false);
  });

  it('compares strings against numeric values as text', () => {
    expect(check('FREE_CPU = "35*"')).toBe(true);
  });
});

describe('evaluateRequirements: missing variables', () => {
  it('makes every comparison false, != included', () => {
    for (const expr of ['NOPE = 1', 'NOPE != 1', 'NOPE > 1', 'NOPE < 1', 'NOPE @> 1', 'NOPE = "x"', 'NOPE != "x"', 'NOPE @> "x"']) {
      expect(check(expr)).toBe(false);
    }
  });

  it('treats a variable with no values as missing', () => {
    expect(check('EMPTY != 1')).toBe(false);
    expect(check('EMPTY != "x"')).toBe(false);
  });

  it('so a negated comparison on a missing variable is true', () => {
    expect(check('!(NOPE = 1)')).toBe(true);
  });
});

describe('evaluateRequirements: logic', () => {
  it('combines with &, | and !', () => {
    expect(check('HYPERVISOR = kvm & FREE_CPU > 100')).toBe(true);
    expect(check('HYPERVISOR = xen & FREE_CPU > 100')).toBe(false);
    expect(check('HYPERVISOR = xen | FREE_CPU > 100')).toBe(true);
    expect(check('!HYPERVISOR = xen')).toBe(true);
    expect(check('!!(HYPERVISOR = kvm)')).toBe(true);
  });

  it('gives & and | equal precedence, left to right, as OpenNebula does; ! applies to one term', () => {
    // as (true | false) & false
    expect(check('STATUS = ok | NAME = x & NAME = y')).toBe(false);
    expect(check('STATUS = ok | (NAME = x & NAME = y)')).toBe(true);
    expect(check('NAME = x & NAME = y | STATUS = ok')).toBe(true);
    expect(check('!STATUS = ok & NAME = x')).toBe(false);
    expect(check('(STATUS = ok | NAME = x) & NAME = y')).toBe(false);
  });

  it('is true for an empty expression', () => {
    expect(parseRequirements('')).toEqual({ kind: 'true' });
    expect(check('   ')).toBe(true);
  });

  it('does not look up the right side of & when the left is false', () => {
    const seen: string[] = [];
    evaluateRequirements(parseRequirements('A = 1 & B = 2'), (name) => (seen.push(name), undefined));
    expect(seen).toEqual(['A']);
  });
});

describe('parseRequirements', () => {
  it('builds the tree, compiling wildcards once', () => {
    const req = parseRequirements('NAME = "a*" & X @> 3');
    expect(req).toEqual({
      kind: 'and',
      left: { kind: 'string', variable: 'NAME', op: '=', value: 'a*', pattern: /^a.*$/s },
      right: { kind: 'number', variable: 'X', op: '@>', value: 3 },
    });
    expect(parseRequirements('NAME = "abc"')).toMatchObject({ pattern: null });
  });

  it('accepts spaces inside != and @> like OpenNebula’s token-based grammar', () => {
    expect(parseRequirements('A ! = 1')).toEqual(parseRequirements('A != 1'));
    expect(parseRequirements('A @ > 1')).toEqual(parseRequirements('A @> 1'));
  });

  const errors: Array<[string, string]> = [
    ['A', `found end of expression, expected a comparison (=, !=, >, <, @>) after A at line 1, columns 2:2`],
    ['A = ', `found end of expression, expected a number or a "string" after A = at line 1, columns 5:5`],
    ['A > "x"', `found "x", expected a number after A > at line 1, columns 5:7`],
    ['A = -"x"', `found "x", expected a number after A = - at line 1, columns 6:8`],
    ['A ! 1', `found '1', expected '=' to complete '!=' after A at line 1, columns 5:5`],
    ['A @ 1', `found '1', expected '>' to complete '@>' after A at line 1, columns 5:5`],
    ['(A = 1', `found end of expression, expected ')' or another '&' / '|' term at line 1, columns 7:7`],
    ['A = 1 B = 2', `found 'B', expected '&', '|' or the end of the expression at line 1, columns 7:7`],
    ['A = 1 &', `found end of expression, expected a variable (NAME or "PATH"), '!' or '(' at line 1, columns 8:8`],
    ['5 = A', `found '5', expected a variable (NAME or "PATH"), '!' or '(' at line 1, columns 1:1`],
    ['A = 1 + 2', `found '+', expected '&', '|' or the end of the expression at line 1, columns 7:7`],
    ['N = "[z-a]"', `found the wildcard pattern "[z-a]" with a reversed range, expected ranges written low-high like [a-z] at line 1, columns 5:11`],
  ];
  it.each(errors)('rejects %j', (expr, message) => {
    expect(() => parseRequirements(expr)).toThrow(ExpressionSyntaxError);
    expect(() => parseRequirements(expr)).toThrow(message);
  });
});

describe('requirementVariables', () => {
  it('lists each variable once, in order', () => {
    const req = parseRequirements('!(B = 1) & ("HOST/VMS/ID" @> 3 | B > 2) & A = "x"');
    expect(requirementVariables(req)).toEqual(['B', 'HOST/VMS/ID', 'A']);
    expect(requirementVariables(parseRequirements(''))).toEqual([]);
  });
});

describe('describeRequirement', () => {
  it('prints a canonical form with only the parentheses precedence needs', () => {
    expect(describeRequirement(parseRequirements('a=1&(b="x"|c@>2)'))).toBe('a = 1 & (b = "x" | c @> 2)');
    expect(describeRequirement(parseRequirements('(a=1&b=2)|c=3'))).toBe('a = 1 & b = 2 | c = 3');
    expect(describeRequirement(parseRequirements('!a = kvm'))).toBe('!(a = "kvm")');
    expect(describeRequirement(parseRequirements('"HOST/VMS/ID" @> -5'))).toBe('"HOST/VMS/ID" @> -5');
    expect(describeRequirement(parseRequirements(''))).toBe('');
  });

  const samples = [
    'A = 1 | B = 2 & C = 3',
    '(A = 1 | B = 2) & C = 3',
    'A = 1 & (B = 2 & C = 3)',
    'A = 1 | (B = 2 | C = 3)',
    '!!(A = 1)',
    '!(A = 1 & B = "x*") | "CLUSTERS/ID" @> 100',
    '(CLUSTER_ID = 0) & !(PIN_POLICY = PINNED) & NAME != "a?[0-9]" & CPUSPEED > 2400.5',
  ];
  it.each(samples)('reads back %j to the same tree', (expr) => {
    const req: Requirement = parseRequirements(expr);
    expect(parseRequirements(describeRequirement(req))).toEqual(req);
  });
});
