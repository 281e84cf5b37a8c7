import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findInexactNumbers, inexactReason } from '../../../src/stix/json-numbers.js';

/** The integer an integer-valued JavaScript numeral denotes ("1.5e+21" → 1500…0n). */
function integerOf(numeral: string): bigint | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e\+?(\d+))?$/.exec(numeral);
  if (!m) return undefined;
  const fraction = m[3] ?? '';
  const exponent = Number(m[4] ?? '0') - fraction.length;
  if (exponent < 0) return undefined;
  const digits = BigInt(`${m[2]!}${fraction}`) * 10n ** BigInt(exponent);
  return m[1] === '-' ? -digits : digits;
}

/** Exact comparison of two decimal numerals, by scaling both to one exponent with BigInt. */
function sameValue(a: string, b: string): boolean {
  const parse = (numeral: string): [bigint, number] => {
    const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(numeral)!;
    const fraction = m[3] ?? '';
    const digits = BigInt(`${m[2]!}${fraction}`);
    return [m[1] === '-' ? -digits : digits, Number(m[4] ?? '0') - fraction.length];
  };
  const [ma, ea] = parse(a);
  const [mb, eb] = parse(b);
  const e = Math.min(ea, eb);
  return ma * 10n ** BigInt(ea - e) === mb * 10n ** BigInt(eb - e);
}

describe('findInexactNumbers', () => {
  it('names the path of each number a double cannot hold', () => {
    const text =
      '{"objects":[{"id":"a","n":1},{"id":"b","k\\"ey":[0, 1e400]},{"x":{"y":123456789012345678901}}],"z":-1e999}';
    expect(findInexactNumbers(text)).toEqual([
      { path: ['objects', 1, 'k"ey', 1], written: '1e400', reason: 'not finite' },
      {
        path: ['objects', 2, 'x', 'y'],
        written: '123456789012345678901',
        reason: 'integer beyond 2^53',
      },
      { path: ['z'], written: '-1e999', reason: 'not finite' },
    ]);
  });

  it('ignores digits inside strings', () => {
    expect(findInexactNumbers('{"a":"1e400","1e400":["99999999999999999999"]}')).toEqual([]);
  });

  it('accepts every double written the way JavaScript writes it', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(inexactReason(JSON.stringify(d))).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts every safe integer, and an integer beyond exactly when a double holds it', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), (b) => {
        const safe = b <= BigInt(Number.MAX_SAFE_INTEGER) && b >= -BigInt(Number.MAX_SAFE_INTEGER);
        // What stixgate writes back (shortest round-trip form) must denote b itself.
        const held = integerOf(String(Number(b))) === b;
        const reason = inexactReason(b.toString());
        expect(reason === undefined).toBe(held);
        if (safe) expect(reason).toBeUndefined();
        if (!held) expect(reason).toBe('integer beyond 2^53');
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a decimal exactly when the value written back differs from the value sent', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,25})?(e-?[0-9]{1,3})?$/),
        (token) => {
          const value = Number(token);
          const kept = inexactReason(token) === undefined;
          if (!Number.isFinite(value)) expect(inexactReason(token)).toBe('not finite');
          else expect(kept).toBe(sameValue(token, String(value)));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
