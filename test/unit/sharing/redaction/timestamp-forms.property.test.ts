// Property: the forms of a STIX timestamp (answered once per hour, see decode-forms.ts) are
// the forms expandForms finds in it on its own: the same forms at the same offsets, the same
// opaque spans, whatever the date, time and fractional digits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandForms } from '../../../../src/sharing/redaction/decode-forms.js';

const digits = (n: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''));

const timestamp = fc
  .tuple(
    digits(4),
    digits(2),
    digits(2),
    digits(2),
    digits(2),
    digits(2),
    fc.integer({ min: 0, max: 6 }),
    digits(6),
  )
  .map(
    ([y, mo, d, h, mi, s, n, f]) =>
      `${y}-${mo}-${d}T${h}:${mi}:${s}${n > 0 ? `.${f.slice(0, n)}` : ''}Z`,
  );

describe('forms of STIX timestamps', () => {
  it('are what the decoders find in the timestamp itself', () => {
    fc.assert(
      fc.property(timestamp, (text) => {
        // Another budget (ample for a 9-byte block) bypasses the per-hour answer.
        const own = expandForms(text, 4097);
        expect(expandForms(text)).toEqual(own);
      }),
      { numRuns: 5000 },
    );
  });

  it('answers the timestamps of one hour alike, offsets included', () => {
    const a = expandForms('2025-01-01T00:07:00.000Z');
    const b = expandForms('2025-01-01T00:59:59Z');
    expect(b).toEqual(a);
    expect(expandForms('2025-01-01T00:59:59Z', 4097)).toEqual(a);
  });
});
