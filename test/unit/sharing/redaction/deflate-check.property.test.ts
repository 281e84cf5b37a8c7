// Property: rawDeflateFails only ever says "fails" for bytes that zlib's raw inflate refuses,
// whatever they are: random bytes, real deflate streams (fixed, dynamic and stored blocks),
// their truncations and bit flips. And it never refuses a complete stream.
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawDeflateFails } from '../../../../src/sharing/redaction/deflate-check.js';

function zlibRefuses(bytes: Uint8Array): boolean {
  try {
    inflateRawSync(bytes, { maxOutputLength: 1 << 20 });
    return false;
  } catch {
    return true;
  }
}

const texts = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.stringMatching(/^[a-z ]{0,300}$/),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
);
const strategies = [constants.Z_DEFAULT_STRATEGY, constants.Z_FIXED, constants.Z_HUFFMAN_ONLY];

function streamOf(text: string, level: number, strategy: number): Buffer {
  return deflateRawSync(Buffer.from(text, 'utf8'), { level, strategy });
}

describe('rawDeflateFails', () => {
  it('says "fails" only where zlib refuses: random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), (bytes) => {
        if (rawDeflateFails(bytes)) expect(zlibRefuses(bytes)).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it('never refuses a complete stream, and is right on every truncation and bit flip', () => {
    fc.assert(
      fc.property(
        texts,
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom(...strategies),
        fc.nat(),
        (text, level, strategy, flip) => {
          const stream = streamOf(text, level, strategy);
          expect(rawDeflateFails(stream)).toBe(false);
          for (let n = 0; n < stream.length; n++) {
            const cut = stream.subarray(0, n);
            if (rawDeflateFails(cut)) expect(zlibRefuses(cut)).toBe(true);
          }
          const flipped = Buffer.from(stream);
          const bit = flip % (8 * flipped.length);
          flipped[bit >> 3]! ^= 1 << (bit & 7);
          if (rawDeflateFails(flipped)) expect(zlibRefuses(flipped)).toBe(true);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('refuses the usual non-streams without zlib: base64 of ordinary words', () => {
    const words = ['infrastructure', 'detections', 'behaviour', 'operators', 'Technique'];
    let refused = 0;
    for (const w of words) {
      for (let k = 0; k < 4; k++) {
        const bytes = Buffer.from(w.slice(k), 'base64');
        if (!rawDeflateFails(bytes)) continue;
        expect(zlibRefuses(bytes)).toBe(true);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });
});
