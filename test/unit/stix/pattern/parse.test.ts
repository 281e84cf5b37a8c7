import { describe, expect, it } from 'vitest';
import {
  findPatternComments,
  parsePattern,
  type Comparison,
  type ComparisonExpression,
  type ObservationExpression,
  type PatternConstant,
} from '../../../../src/stix/pattern/index.js';

// Small readers over the tree, so that each test states the shape it expects.
const comparisonOf = (pattern: string): Comparison => {
  const { expression } = parsePattern(pattern);
  if (expression.type !== 'observation' || expression.comparison.type !== 'comparison') {
    throw new Error(`not a single comparison: ${pattern}`);
  }
  return expression.comparison;
};
const valueOf = (pattern: string): PatternConstant => comparisonOf(pattern).value;

/** Compact rendering of a tree: comparisons as their path, operators as (OP …). */
function shape(node: ObservationExpression | ComparisonExpression): string {
  switch (node.type) {
    case 'comparison':
      return node.path.steps
        .map((s) => (s.type === 'property' ? s.name : `[${s.index}]`))
        .join('.');
    case 'comparison-op':
    case 'observation-op':
      return `(${node.operator} ${node.operands.map(shape).join(' ')})`;
    case 'observation':
      return `[${shape(node.comparison)}]`;
    case 'qualified':
      return `(${node.qualifiers.map((q) => q.type).join(',')} ${shape(node.expression)})`;
  }
}
const shapeOf = (pattern: string): string => shape(parsePattern(pattern).expression);

describe('parsePattern: comparison operators', () => {
  it.each([
    ['=', "[a:p = 'x']"],
    ['!=', "[a:p != 'x']"],
    ['<', '[a:p < 5]'],
    ['>', '[a:p > 5]'],
    ['<=', '[a:p <= 5]'],
    ['>=', '[a:p >= 5]'],
    ['IN', "[a:p IN ('x', 'y')]"],
    ['LIKE', "[a:p LIKE 'foo%']"],
    ['MATCHES', "[a:p MATCHES '^foo$']"],
    ['ISSUBSET', "[a:p ISSUBSET '198.51.100.0/24']"],
    ['ISSUPERSET', "[a:p ISSUPERSET '198.51.100.0/24']"],
  ])('reads the %s operator', (operator, pattern) => {
    const comparison = comparisonOf(pattern);
    expect(comparison.operator).toBe(operator);
    expect(comparison.negated).toBe(false);
  });

  it('normalises == to = and <> to !=', () => {
    expect(comparisonOf("[a:p == 'x']").operator).toBe('=');
    expect(comparisonOf("[a:p <> 'x']").operator).toBe('!=');
  });

  it.each([
    ["[a:p NOT = 'x']", '='],
    ["[a:p NOT != 'x']", '!='],
    ['[a:p NOT > 5]', '>'],
    ["[a:p NOT IN ('x')]", 'IN'],
    ["[a:p NOT LIKE 'x%']", 'LIKE'],
    ["[a:p NOT MATCHES 'x'] ", 'MATCHES'],
    ["[a:p NOT ISSUBSET '10.0.0.0/8']", 'ISSUBSET'],
    ["[a:p NOT ISSUPERSET '10.0.0.0/8']", 'ISSUPERSET'],
  ])('reads NOT before the operator in %s', (pattern, operator) => {
    const comparison = comparisonOf(pattern);
    expect(comparison.negated).toBe(true);
    expect(comparison.operator).toBe(operator);
  });

  it('reads EXISTS before the object path', () => {
    const comparison = comparisonOf('[EXISTS windows-registry-key:values]');
    expect(comparison).toMatchObject({
      operator: 'EXISTS',
      negated: false,
      value: { kind: 'none', value: null },
      path: { objectType: 'windows-registry-key', steps: [{ type: 'property', name: 'values' }] },
    });
  });

  it('reads an empty IN set', () => {
    expect(valueOf('[a:p IN ()]')).toEqual({ kind: 'set', value: [] });
  });

  it('reads a MATCHES regex with PCRE inline flags', () => {
    expect(valueOf("[a:p MATCHES '(?i)^evil\\\\.exe$']")).toEqual({
      kind: 'string',
      value: '(?i)^evil\\.exe$',
    });
  });
});

describe('parsePattern: constants', () => {
  it.each<[string, PatternConstant]>([
    ["'abc'", { kind: 'string', value: 'abc' }],
    ["''", { kind: 'string', value: '' }],
    ["'it\\'s'", { kind: 'string', value: "it's" }],
    ["'back\\\\slash'", { kind: 'string', value: 'back\\slash' }],
    ["'ünïcødé 🚀'", { kind: 'string', value: 'ünïcødé 🚀' }],
    ['42', { kind: 'int', value: 42, text: '42' }],
    ['+42', { kind: 'int', value: 42, text: '42' }],
    ['-42', { kind: 'int', value: -42, text: '-42' }],
    ['0', { kind: 'int', value: 0, text: '0' }],
    ['3.25', { kind: 'float', value: 3.25, text: '3.25' }],
    ['-0.5', { kind: 'float', value: -0.5, text: '-0.5' }],
    ['.5', { kind: 'float', value: 0.5, text: '.5' }],
    ['true', { kind: 'bool', value: true }],
    ['false', { kind: 'bool', value: false }],
    ["b'SGVsbG8='", { kind: 'binary', value: 'SGVsbG8=' }],
    ["b'SGk='", { kind: 'binary', value: 'SGk=' }],
    ["b'SGVsbG8h'", { kind: 'binary', value: 'SGVsbG8h' }],
    ["h'00ffAB'", { kind: 'hex', value: '00ffAB' }],
    ["h''", { kind: 'hex', value: '' }],
    ["t'2016-05-12T08:17:27Z'", { kind: 'timestamp', value: '2016-05-12T08:17:27Z' }],
    ["t'2016-05-12T08:17:27.123456Z'", { kind: 'timestamp', value: '2016-05-12T08:17:27.123456Z' }],
    ["t'2024-02-29T23:59:60Z'", { kind: 'timestamp', value: '2024-02-29T23:59:60Z' }],
  ])('reads the constant %s', (text, expected) => {
    expect(valueOf(`[a:p = ${text}]`)).toEqual(expected);
  });

  it('keeps the exact digits of integers beyond 2^53', () => {
    expect(valueOf('[file:size = 18446744073709551615]')).toMatchObject({
      kind: 'int',
      text: '18446744073709551615',
    });
  });

  it('reads an IN set of mixed constants in order', () => {
    expect(valueOf("[a:p IN (1, 'x', true, h'ff')]")).toEqual({
      kind: 'set',
      value: [
        { kind: 'int', value: 1, text: '1' },
        { kind: 'string', value: 'x' },
        { kind: 'bool', value: true },
        { kind: 'hex', value: 'ff' },
      ],
    });
  });
});

describe('parsePattern: object paths', () => {
  it('reads nested properties and list indexes', () => {
    expect(comparisonOf("[email-message:body_multipart[0].body_raw_ref.name = 'x']").path).toEqual({
      objectType: 'email-message',
      steps: [
        { type: 'property', name: 'body_multipart' },
        { type: 'index', index: 0 },
        { type: 'property', name: 'body_raw_ref' },
        { type: 'property', name: 'name' },
      ],
    });
  });

  it('reads [*] as any list element', () => {
    expect(comparisonOf("[a:list[*] = 'x']").path.steps[1]).toEqual({ type: 'index', index: '*' });
  });

  it('reads negative list indexes (allowed by the STIX 2.1 grammar)', () => {
    expect(comparisonOf("[a:list[-1] = 'x']").path.steps[1]).toEqual({ type: 'index', index: -1 });
  });

  it('reads [-0] as index 0', () => {
    const step = comparisonOf("[a:list[-0] = 'x']").path.steps[1];
    expect(step?.type === 'index' && Object.is(step.index, 0)).toBe(true);
  });

  it('reads quoted property names with hyphens and escapes', () => {
    expect(
      comparisonOf(
        "[file:hashes.'SHA-256' = 'ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53']",
      ).path.steps,
    ).toEqual([
      { type: 'property', name: 'hashes' },
      { type: 'property', name: 'SHA-256' },
    ]);
    expect(comparisonOf("[a:'first-step'.'it\\'s' = 1]").path.steps).toEqual([
      { type: 'property', name: 'first-step' },
      { type: 'property', name: "it's" },
    ]);
  });

  it('reads extension paths', () => {
    const path = comparisonOf(
      "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
    ).path;
    expect(path.steps.map((s) => (s.type === 'property' ? s.name : s.index))).toEqual([
      'extensions',
      'windows-pebinary-ext',
      'sections',
      '*',
      'entropy',
    ]);
  });

  it('reads custom object types and properties', () => {
    expect(comparisonOf("[x-acme-widget:x_acme_color = 'red']").path).toEqual({
      objectType: 'x-acme-widget',
      steps: [{ type: 'property', name: 'x_acme_color' }],
    });
  });

  it('allows whitespace and comments between tokens', () => {
    const pattern =
      "[ file : hashes . 'MD5' = '0123456789abcdef0123456789abcdef' /* note */ ] // trailing";
    expect(comparisonOf(pattern).path.steps).toEqual([
      { type: 'property', name: 'hashes' },
      { type: 'property', name: 'MD5' },
    ]);
  });
});

describe('parsePattern: precedence and grouping', () => {
  it('binds comparison AND tighter than OR', () => {
    expect(shapeOf('[a:x = 1 OR a:y = 2 AND a:z = 3]')).toBe('[(OR x (AND y z))]');
    expect(shapeOf('[a:x = 1 AND a:y = 2 OR a:z = 3]')).toBe('[(OR (AND x y) z)]');
  });

  it('lets parentheses override comparison precedence', () => {
    expect(shapeOf('[(a:x = 1 OR a:y = 2) AND a:z = 3]')).toBe('[(AND (OR x y) z)]');
  });

  it('flattens chains of one operator', () => {
    expect(shapeOf('[a:x = 1 OR a:y = 2 OR a:z = 3]')).toBe('[(OR x y z)]');
    expect(shapeOf('[a:x] OR [a:y] OR [a:z]'.replace(/\[a:(\w)\]/g, '[a:$1 = 1]'))).toBe(
      '(OR [x] [y] [z])',
    );
  });

  it('keeps explicit parentheses of the same operator as nesting', () => {
    expect(shapeOf('[a:x = 1 OR (a:y = 2 OR a:z = 3)]')).toBe('[(OR x (OR y z))]');
  });

  it('drops redundant parentheses', () => {
    expect(shapeOf('(([a:x = 1]))')).toBe('[x]');
    expect(shapeOf('[((a:x = 1))]')).toBe('[x]');
  });

  it('binds observation AND tighter than OR tighter than FOLLOWEDBY', () => {
    expect(shapeOf('[a:x = 1] FOLLOWEDBY [a:y = 1] OR [a:z = 1] AND [a:w = 1]')).toBe(
      '(FOLLOWEDBY [x] (OR [y] (AND [z] [w])))',
    );
    expect(shapeOf('[a:x = 1] AND [a:y = 1] OR [a:z = 1] FOLLOWEDBY [a:w = 1]')).toBe(
      '(FOLLOWEDBY (OR (AND [x] [y]) [z]) [w])',
    );
  });

  it('lets parentheses group observation expressions', () => {
    expect(shapeOf('([a:x = 1] FOLLOWEDBY [a:y = 1]) AND [a:z = 1]')).toBe(
      '(AND (FOLLOWEDBY [x] [y]) [z])',
    );
  });

  it('applies a qualifier to the observation expression right before it', () => {
    expect(shapeOf('[a:x = 1] AND [a:y = 1] WITHIN 10 SECONDS')).toBe('(AND [x] (within [y]))');
    expect(shapeOf('([a:x = 1] AND [a:y = 1]) WITHIN 10 SECONDS')).toBe('(within (AND [x] [y]))');
  });

  it('stacks several qualifiers in written order', () => {
    const { expression } = parsePattern(
      "[a:x = 1] REPEATS 3 TIMES WITHIN 60.5 SECONDS START t'2020-01-01T00:00:00Z' STOP t'2020-02-01T00:00:00Z'",
    );
    expect(expression).toMatchObject({
      type: 'qualified',
      qualifiers: [
        { type: 'repeats', times: 3 },
        { type: 'within', seconds: 60.5, text: '60.5' },
        { type: 'start-stop', start: '2020-01-01T00:00:00Z', stop: '2020-02-01T00:00:00Z' },
      ],
    });
  });

  it('keeps a parenthesised qualified expression nested', () => {
    expect(shapeOf('([a:x = 1] WITHIN 5 SECONDS) REPEATS 2 TIMES')).toBe('(repeats (within [x]))');
    expect(shapeOf('[a:x = 1] WITHIN 5 SECONDS REPEATS 2 TIMES')).toBe('(within,repeats [x])');
  });

  it('allows a repeated qualifier kind on a parenthesised expression (as the OASIS validator)', () => {
    expect(shapeOf('([a:x = 1] WITHIN 5 SECONDS) WITHIN 6 SECONDS')).toBe('(within (within [x]))');
    expect(shapeOf('([a:x = 1] OR [a:y = 1]) REPEATS 2 TIMES REPEATS 3 TIMES')).toBe(
      '(repeats,repeats (OR [x] [y]))',
    );
    expect(shapeOf('([a:x = 1]) REPEATS 2 TIMES REPEATS 3 TIMES')).toBe('(repeats,repeats [x])');
  });

  it('accepts AND of sub-expressions that one object type can satisfy', () => {
    expect(shapeOf('[(a:x = 1 OR b:y = 2) AND b:z = 3]')).toBe('[(AND (OR x y) z)]');
  });

  it('accepts AND across object types when sameTypeAnd is off (as the OASIS validator)', () => {
    const pattern = "[network-traffic:src_port = 37020 AND user-account:user_id = 'root']";
    expect(() => parsePattern(pattern)).toThrow(/same object type/);
    expect(parsePattern(pattern, { sameTypeAnd: false }).expression).toMatchObject({
      type: 'observation',
      comparison: { type: 'comparison-op', operator: 'AND' },
    });
  });

  it('accepts hash values of the right length, and any value for other algorithms', () => {
    const sha256 = 'AEC070645FE53EE3B3763059376134F058CC337247C978ADD178B6CCDFB0019F';
    expect(valueOf(`[file:hashes.'SHA-256' = '${sha256}']`)).toEqual({
      kind: 'string',
      value: sha256,
    });
    expect(
      valueOf("[file:hashes.SSDEEP = '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C']"),
    ).toMatchObject({
      kind: 'string',
    });
    expect(comparisonOf("[file:hashes.'SHA-256' LIKE 'aec07%']").operator).toBe('LIKE');
  });

  it('accepts OR between different object types', () => {
    expect(shapeOf("[domain-name:value = 'x' OR ipv4-addr:value = '1.2.3.4']")).toBe(
      '[(OR value value)]',
    );
  });

  it('parses deep but bounded nesting', () => {
    const depth = 150;
    const pattern = `${'('.repeat(depth)}[a:x = 1]${')'.repeat(depth)}`;
    expect(shapeOf(pattern)).toBe('[x]');
  });
});

describe('findPatternComments', () => {
  it('returns the comments the tree does not keep, with their offsets', () => {
    expect(findPatternComments("[a:b = 'x' /* victim 10.0.0.5 */] // note\n")).toEqual([
      { position: 11, text: '/* victim 10.0.0.5 */' },
      { position: 34, text: '// note' },
    ]);
  });

  it('returns nothing for a pattern without comments, even with slashes in strings', () => {
    expect(findPatternComments("[url:value = 'http://evil.example/*x*/']")).toEqual([]);
  });

  it('throws PatternSyntaxError for an invalid pattern', () => {
    expect(() => findPatternComments('[a:b = ] /* x */')).toThrow(/expected a constant/);
  });
});
