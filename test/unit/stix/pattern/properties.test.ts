// Property tests: the parser never crashes or loops, and printing is faithful.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { CORPUS_DIR } from '../../../support/corpus.js';
import {
  formatPattern,
  listComparisons,
  parsePattern,
  PatternSyntaxError,
  removeComparisons,
  type Comparison,
  type ComparisonExpression,
  type ObservationExpression,
  type PathStep,
  type PatternAst,
  type PatternComparison,
  type PatternConstant,
  type Qualifier,
} from '../../../../src/stix/pattern/index.js';

// ---- generators of valid trees -------------------------------------------------------------

const KEYWORDS = new Set(['true', 'false']);
const identifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,7}$/).filter((s) => !KEYWORDS.has(s));
const objectType = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/).filter((s) => !KEYWORDS.has(s));
const anyText = fc.string({ unit: 'grapheme', maxLength: 12 });

const step: fc.Arbitrary<PathStep> = fc.oneof(
  fc.record({ type: fc.constant('property' as const), name: fc.oneof(identifier, anyText) }),
  fc.record({
    type: fc.constant('index' as const),
    index: fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.constant('*' as const)),
  }),
);
const steps = fc
  .tuple(fc.oneof(identifier, anyText), fc.array(step, { maxLength: 4 }))
  .map(([first, rest]): PathStep[] => [{ type: 'property', name: first }, ...rest]);

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const intText = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String),
);
const floatText = fc
  .tuple(fc.boolean(), fc.nat(100_000), fc.stringMatching(/^[0-9]{1,6}$/))
  .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}.${fraction}`);
const timestamp = fc
  .tuple(
    fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('2999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fc.stringMatching(/^(\.[0-9]{1,9})?$/),
  )
  .map(([date, fraction]) => `${date.toISOString().slice(0, 19)}${fraction}Z`);

const orderable: fc.Arbitrary<PatternConstant> = fc.oneof(
  anyText.map((value) => ({ kind: 'string' as const, value })),
  intText.map((text) => ({ kind: 'int' as const, value: Number(text), text })),
  floatText.map((text) => ({ kind: 'float' as const, value: Number(text), text })),
  fc
    .uint8Array({ minLength: 1, maxLength: 10 })
    .map((b) => ({ kind: 'binary' as const, value: toBase64(b) })),
  fc.uint8Array({ maxLength: 10 }).map((b) => ({ kind: 'hex' as const, value: toHex(b) })),
  timestamp.map((value) => ({ kind: 'timestamp' as const, value })),
);
const primitive: fc.Arbitrary<PatternConstant> = fc.oneof(
  orderable,
  fc.boolean().map((value) => ({ kind: 'bool' as const, value })),
);
const regexSource = fc.constantFrom('^evil\\.exe$', '(?i)invoice', '[0-9]+', 'a|b', '', '\\d{2,3}');

const comparison = (type: string): fc.Arbitrary<Comparison> =>
  fc
    .tuple(
      steps,
      fc.boolean(),
      fc.integer({ min: 0, max: 6 }),
      primitive,
      orderable,
      regexSource,
      anyText,
    )
    .chain(([pathSteps, negated, choice, prim, ord, regex, text]) => {
      const path = { objectType: type, steps: pathSteps };
      const base = { type: 'comparison' as const, path, negated };
      switch (choice) {
        case 0:
          return fc
            .constantFrom('=', '!=')
            .map((operator) => ({ ...base, operator, value: prim }) as Comparison);
        case 1:
          return fc
            .constantFrom('<', '>', '<=', '>=')
            .map((operator) => ({ ...base, operator, value: ord }) as Comparison);
        case 2:
          return fc.array(primitive, { maxLength: 4 }).map((items): Comparison => ({
            ...base,
            operator: 'IN',
            value: { kind: 'set', value: items },
          }));
        case 3:
          return fc.constant<Comparison>({
            ...base,
            operator: 'MATCHES',
            value: { kind: 'string', value: regex },
          });
        case 4:
          return fc
            .constantFrom('LIKE', 'ISSUBSET', 'ISSUPERSET')
            .map(
              (operator) =>
                ({ ...base, operator, value: { kind: 'string', value: text } }) as Comparison,
            );
        default:
          return fc.constant<Comparison>({
            ...base,
            operator: 'EXISTS',
            negated: false,
            value: { kind: 'none', value: null },
          });
      }
    });

// One object type per observation keeps every AND satisfiable (STIX 2.1 §9.5).
const comparisonExpression = (type: string): fc.Arbitrary<ComparisonExpression> =>
  fc.letrec<{ expr: ComparisonExpression }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      comparison(type),
      fc.record({
        type: fc.constant('comparison-op' as const),
        operator: fc.constantFrom('AND' as const, 'OR' as const),
        operands: fc.array(tie('expr'), { minLength: 2, maxLength: 3 }),
      }),
    ),
  })).expr;

const qualifier: fc.Arbitrary<Qualifier> = fc.oneof(
  fc
    .oneof(
      fc.integer({ min: 1, max: 100_000 }).map(String),
      fc.stringMatching(/^[0-9]{1,3}\.[0-9]{1,3}$/),
    )
    .filter((text) => Number(text) > 0)
    .map((text) => ({ type: 'within' as const, seconds: Number(text), text })),
  fc.integer({ min: 1, max: 1000 }).map((times) => ({ type: 'repeats' as const, times })),
  fc
    .tuple(timestamp, timestamp)
    .filter(
      ([a, b]) =>
        a !== b &&
        new Date(a.slice(0, 19) + 'Z').getTime() !== new Date(b.slice(0, 19) + 'Z').getTime(),
    )
    .map(([a, b]) => {
      const [start, stop] = a < b ? [a, b] : [b, a];
      return { type: 'start-stop' as const, start, stop };
    }),
);

const observationExpression: fc.Arbitrary<ObservationExpression> = fc.letrec<{
  obs: ObservationExpression;
}>((tie) => ({
  obs: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    objectType
      .chain((type) => comparisonExpression(type))
      .map((c) => ({ type: 'observation' as const, comparison: c })),
    fc.record({
      type: fc.constant('observation-op' as const),
      operator: fc.constantFrom('AND' as const, 'OR' as const, 'FOLLOWEDBY' as const),
      operands: fc.array(tie('obs'), { minLength: 2, maxLength: 3 }),
    }),
    fc.record({
      type: fc.constant('qualified' as const),
      expression: tie('obs'),
      qualifiers: fc.array(qualifier, { minLength: 1, maxLength: 3 }),
    }),
  ),
})).obs;

const patternAst: fc.Arbitrary<PatternAst> = observationExpression.map((expression) => ({
  type: 'pattern',
  expression,
}));

// ---- helpers -------------------------------------------------------------------------------

/** Parses, or returns undefined on PatternSyntaxError; any other throw fails the property. */
function parseOrReject(text: string): PatternAst | undefined {
  try {
    return parsePattern(text);
  } catch (error) {
    if (error instanceof PatternSyntaxError) {
      expect(error.position).toBeGreaterThanOrEqual(0);
      expect(error.position).toBeLessThanOrEqual(text.length);
      return undefined;
    }
    throw error;
  }
}

const CORPUS = pathToFileURL(`${CORPUS_DIR}/`);
const corpusPatterns: string[] = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.json'))
  .flatMap((name) => [
    ...readFileSync(new URL(name, CORPUS), 'utf8').matchAll(/"pattern": ("(?:[^"\\]|\\.)*")/g),
  ])
  .map((match) => JSON.parse(match[1] ?? '""') as string);

const PATTERN_ALPHABET = [
  ..."[]():.,*'=!<>-+ 0123456789abhtxyzAND OR NOT IN LIKE FOLLOWEDBY WITHIN SECONDS\\/",
];
const mutation = (text: string): fc.Arbitrary<string> =>
  fc
    .array(
      fc.tuple(
        fc.nat(Math.max(text.length, 1)),
        fc.nat(6),
        fc.string({ unit: fc.constantFrom(...PATTERN_ALPHABET), maxLength: 4 }),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((edits) =>
      edits.reduce(
        (acc, [at, cut, insert]) => acc.slice(0, at) + insert + acc.slice(at + cut),
        text,
      ),
    );

// ---- properties ----------------------------------------------------------------------------

describe('pattern properties', () => {
  it('parse(format(ast)) equals ast for generated trees', () => {
    fc.assert(
      fc.property(patternAst, (ast) => {
        expect(parsePattern(formatPattern(ast))).toEqual(ast);
      }),
      { numRuns: 400 },
    );
  });

  it('any string either parses or throws PatternSyntaxError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.string({ unit: fc.constantFrom(...PATTERN_ALPHABET), maxLength: 60 }),
        ),
        (text) => {
          parseOrReject(text);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('token soups either parse and round-trip, or throw PatternSyntaxError', () => {
    const vocabulary = [
      '[',
      ']',
      '(',
      ')',
      'a:b',
      'a:c',
      "x-y:'q-r'[*]",
      'b:d',
      '=',
      '!=',
      '<',
      '>=',
      'NOT',
      'IN',
      'LIKE',
      'MATCHES',
      'EXISTS',
      'ISSUBSET',
      'AND',
      'OR',
      'FOLLOWEDBY',
      'WITHIN',
      'REPEATS',
      'TIMES',
      'SECONDS',
      'START',
      'STOP',
      "'x'",
      '5',
      '-1.5',
      'true',
      "h'ff'",
      "b'AA=='",
      "t'2020-01-01T00:00:00Z'",
      "t'2021-01-01T00:00:00Z'",
      ',',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocabulary), { maxLength: 25 }), (tokens) => {
        const ast = parseOrReject(tokens.join(' '));
        if (ast) expect(parsePattern(formatPattern(ast))).toEqual(ast);
      }),
      { numRuns: 3000 },
    );
  });

  it('mutations of valid patterns either parse and round-trip, or throw PatternSyntaxError', () => {
    const source = fc.oneof(fc.constantFrom(...corpusPatterns), patternAst.map(formatPattern));
    let parsed = 0;
    fc.assert(
      fc.property(source.chain(mutation), (text) => {
        const ast = parseOrReject(text);
        if (ast) {
          parsed++;
          expect(parsePattern(formatPattern(ast))).toEqual(ast);
        }
      }),
      { numRuns: 1500 },
    );
    // Some mutations must survive, or the round-trip half of the property tested nothing.
    expect(parsed).toBeGreaterThan(50);
  });

  it('removeComparisons keeps only non-matching comparisons of the original, or is unsafe', () => {
    // A deterministic, arbitrary predicate: comparisons whose canonical text has an odd length.
    const predicate = (c: PatternComparison): boolean =>
      (c.path.length + JSON.stringify(c.value).length) % 2 === 1;
    const key = (c: PatternComparison): string =>
      `${c.path} ${c.operator} ${JSON.stringify(c.value)}`;
    const outcomes = { unsafe: 0, narrowed: 0, unchanged: 0 };
    fc.assert(
      fc.property(patternAst, (ast) => {
        const result = removeComparisons(ast, predicate);
        outcomes[result.safe ? (result.narrowed ? 'narrowed' : 'unchanged') : 'unsafe']++;
        if (!result.safe) {
          expect(result.ast).toBeUndefined();
          return;
        }
        expect(result.ast).toBeDefined();
        const before = listComparisons(ast).map(key);
        const after = listComparisons(result.ast as PatternAst);
        expect(after.filter(predicate)).toEqual([]);
        for (const c of after) expect(before).toContain(key(c));
        expect(result.narrowed).toBe(after.length < before.length);
      }),
      { numRuns: 300 },
    );
    expect(outcomes.narrowed).toBeGreaterThan(10);
    expect(outcomes.unsafe).toBeGreaterThan(10);
  });

  it('removeComparisons with setElement leaves no matching set element behind', () => {
    const element = (e: PatternConstant): boolean => JSON.stringify(e).length % 3 === 0;
    const predicate = (c: PatternComparison): boolean => c.path.length % 5 === 0;
    fc.assert(
      fc.property(patternAst, (ast) => {
        const result = removeComparisons(ast, predicate, { setElement: element });
        if (!result.safe) return;
        for (const c of listComparisons(result.ast as PatternAst)) {
          expect(predicate(c)).toBe(false);
          if (c.value.kind === 'set') expect(c.value.value.filter(element)).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
