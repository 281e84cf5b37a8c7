import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IDENTIFIER_PATTERN,
  isStixIdentifier,
  schemaRegExp,
} from '../../../src/stix/schema-regexp.js';
import { createStixValidator } from '../../../src/stix/validate.js';

const regExp = new RegExp(IDENTIFIER_PATTERN);

describe('isStixIdentifier', () => {
  it.each([
    ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', true],
    ['x-acme-widget--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', true],
    ['a--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F', true],
    ['--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', false],
    ['-a--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', false],
    ['a---8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', false],
    ['a-b--c--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', false],
    ['Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', false],
    ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\n', false],
    ['indicator--8e2e2d2b17d4-4cbf-938f-98ee46b3cd3f0', false],
    ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3g', false],
    ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3', false],
    ['', false],
  ])('%s: %s, as the RegExp', (text, expected) => {
    expect(regExp.test(text)).toBe(expected);
    expect(isStixIdentifier(text)).toBe(expected);
  });

  it('accepts exactly what the RegExp accepts', () => {
    const char = fc.constantFrom(...'az09-AZ_.\n'.split(''), 'é');
    const typePart = fc.array(char, { maxLength: 8 }).map((cs) => cs.join(''));
    const hex = fc.constantFrom(...'0123456789abcdefABCDEF-g'.split(''));
    const uuid = fc.oneof(
      fc.uuid(),
      fc.array(hex, { minLength: 34, maxLength: 38 }).map((cs) => cs.join('')),
    );
    const text = fc.oneof(
      fc.tuple(typePart, fc.constantFrom('--', '-', '---', ''), uuid).map((p) => p.join('')),
      fc.string(),
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(isStixIdentifier(t)).toBe(regExp.test(t));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('schemaRegExp', () => {
  it('gives the matcher for the identifier pattern and a RegExp for any other', () => {
    expect(
      schemaRegExp(IDENTIFIER_PATTERN, '').test('a--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'),
    ).toBe(true);
    expect(schemaRegExp('^x', '')).toBeInstanceOf(RegExp);
  });

  it('is the engine of the compiled schemas: a bad id is still a pattern error', () => {
    const result = createStixValidator().validateObject(
      {
        type: 'identity',
        spec_version: '2.1',
        id: 'identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e',
        created: '2024-01-01T00:00:00.000Z',
        modified: '2024-01-01T00:00:00.000Z',
        name: 'x',
        created_by_ref: 'identity--not-a-uuid',
      },
      { mode: 'permissive' },
    );
    if (result.ok) throw new Error('a bad created_by_ref was accepted');
    expect(result.errors.map((e) => [e.code, e.path])).toContainEqual([
      'pattern-mismatch',
      '/created_by_ref',
    ]);
  });
});
