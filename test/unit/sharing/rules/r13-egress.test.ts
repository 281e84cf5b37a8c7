import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TextScanner } from '../../../../src/sharing/ports.js';
import { hasEgressLeak, hasEgressLeakInValue } from '../../../../src/sharing/rules/r13-egress.js';
import { PREPARED, VALIDATOR, isWithheld, run } from '../support.js';
import { seededMalware } from '../../../support/builders.js';

describe('R13 egress re-scan', () => {
  it('finds a protected term in serialized bytes, including JSON-escaped text', () => {
    expect(hasEgressLeak(JSON.stringify({ a: 'Kian Power' }), PREPARED.scanner)).toBe(true);
    expect(
      hasEgressLeak('{"a":"\\u0628\\u0631\\u0642 \\u06a9\\u06cc\\u0627\\u0646"}', PREPARED.scanner),
    ).toBe(true);
    expect(
      hasEgressLeak(JSON.stringify({ a: 'Victim-ABCDEFGH at 203.0.113.50' }), PREPARED.scanner),
    ).toBe(false);
  });

  it('withholds an object when the re-scan finds a hit in a field R6 does not scan', () => {
    // R6 never scans timestamps; a scanner that objects to this one shows that the egress
    // check looks at every string of the bytes that leave.
    const picky: TextScanner = {
      scan: (text) =>
        text === '2026-03-14T09:26:53.589Z' ? [{ start: 0, end: text.length, kind: 'entity' }] : [],
      containsProtected: () => false,
    };
    const m = seededMalware('m');
    const r = run([m], { tools: { scanner: picky, validator: VALIDATOR } });
    expect(isWithheld(r, m.id)).toBe(true);
    expect(r.withheld[0]!.reason).toMatch(/^R13/);
    expect(r.hits).toContainEqual({ rule: 'R13', path: '', operator: 'W', objectId: m.id });
  });

  // The engine scans the derived value before it is serialized; the verdict must be the one
  // the serialized bytes get.
  const term = fc.constantFrom(
    'Kian Power',
    'شرکت برق کیان',
    'KPC',
    'mail.kianpower.ir',
    '10.20.3.4',
    '203.0.113.50',
    'benign text',
    'hashes',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  const text = fc.oneof(
    term,
    fc.string({ maxLength: 12 }),
    term.map((t) => `see ${t} today`),
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      text,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(text, tie('value'), { maxKeys: 4 }),
    ),
  }));

  // A derived object is a JSON object (bytes of a bare number are scanned as text).
  const object = fc.dictionary(text, value, { maxKeys: 5 });

  it('gives a derived object the verdict its serialized bytes get', () => {
    fc.assert(
      fc.property(object, (v) => {
        expect(hasEgressLeakInValue(v, PREPARED.scanner)).toBe(
          hasEgressLeak(JSON.stringify(v), PREPARED.scanner),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('does not scan a property holding undefined, which is never serialized', () => {
    expect(hasEgressLeakInValue({ 'Kian Power': undefined, a: 'x' }, PREPARED.scanner)).toBe(false);
    expect(hasEgressLeakInValue({ 'Kian Power': null }, PREPARED.scanner)).toBe(true);
  });

  it('scans values under hashes as digests, as the byte scan does', () => {
    const obj = { hashes: { 'SHA-256': 'KPC' } };
    expect(hasEgressLeakInValue(obj, PREPARED.scanner)).toBe(
      hasEgressLeak(JSON.stringify(obj), PREPARED.scanner),
    );
  });
});
