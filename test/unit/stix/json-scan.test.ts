import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth } from '../../../src/stix/json-depth.js';
import { findInexactNumbers } from '../../../src/stix/json-numbers.js';
import { scanJsonText, type JsonTextScan } from '../../../src/stix/json-scan.js';

/** What the two separate passes answer, which the single pass must match. */
function separately(text: string, limit: number): JsonTextScan {
  if (exceedsJsonDepth(text, limit)) return { tooDeep: true };
  return { tooDeep: false, hasInexactNumber: findInexactNumbers(text).length > 0 };
}

describe('scanJsonText', () => {
  it.each([
    ['{"a":1,"b":[2,3.5,-0,1e3]}'],
    ['{"a":123456789012345}'],
    ['{"a":1234567890123456789}'],
    ['{"a":9007199254740993}'],
    ['{"a":1152921504606847000}'],
    ['{"a":-1e999}'],
    ['{"a":0.1000000000000000000001}'],
    ['{"a":"1e400","1e400":["99999999999999999999"]}'],
    ['{"k\\"ey":[0, 1e400]}'],
    ['{"a":"\\\\","b":1e400}'],
    ['{"a":"\\\\\\"[[[[","b":[1]}'],
    ['{"a":"unterminated [[[[ 1e400'],
    ['[[[[[[]]]]]]'],
    ['{"a":"[[[[[[[[[[[["}'],
  ])('answers like the depth guard and the number scan for %s', (text) => {
    for (const limit of [1, 3, 5, 100])
      expect(scanJsonText(text, limit)).toEqual(separately(text, limit));
  });

  it('stops at the first bracket beyond the limit', () => {
    expect(scanJsonText('['.repeat(101) + ']'.repeat(101), 100).tooDeep).toBe(true);
    expect(scanJsonText('['.repeat(100) + ']'.repeat(100), 100).tooDeep).toBe(false);
  });

  it('agrees with the separate passes on any JSON value', () => {
    const numeral = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
      fc.constantFrom('1e400', '-1e999', '0.10000000000000000001', '9007199254740993'),
    );
    const text = fc.jsonValue({ maxDepth: 6 }).chain((value) =>
      fc.array(numeral, { maxLength: 3 }).map((numbers) => {
        const json = JSON.stringify({ value, numbers: [] });
        return json.replace('"numbers":[]', `"numbers":[${numbers.join(',')}]`);
      }),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 8 }), (t, limit) => {
        expect(scanJsonText(t, limit)).toEqual(separately(t, limit));
      }),
      { numRuns: 3000 },
    );
  });
});
