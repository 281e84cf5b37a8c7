// Properties of the parsers that meet hostile input first: whatever they are given they never
// throw anything but their own typed refusal, and they never accept what they must refuse.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCompactToken } from '../../src/auth/token-parser.js';
import { InvalidFilterError } from '../../src/errors.js';
import { parseTaxiiQuery } from '../../src/http/query.js';
import { createStixValidator } from '../../src/stix/validate.js';
import { createCursorCodec } from '../../src/taxii/cursor.js';
import { ENDPOINT_PARAMS, parseFilter } from '../../src/taxii/filter.js';
import { mintToken } from '../support/tokens.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hostileText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom('.', '=', '&', '%', '[', ']', '-', '_'),
        fc.string({ maxLength: 8 }),
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join('')),
);

describe('token parser', () => {
  it('never throws, and accepts only three base64url parts whose header is an object with a string alg', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const parsed = parseCompactToken(text);
        if (parsed.ok) {
          expect(text.split('.')).toHaveLength(3);
          expect(typeof parsed.token.header.alg).toBe('string');
          expect(parsed.token.header.crit).toBeUndefined();
        } else expect(parsed.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on structurally plausible tokens with arbitrary JSON parts', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.string({ maxLength: 20 }), (h, p, sig) => {
        const parsed = parseCompactToken(
          `${b64(h)}.${b64(p)}.${Buffer.from(sig).toString('base64url')}`,
        );
        const objectHeader = typeof h === 'object' && h !== null && !Array.isArray(h);
        const objectPayload = typeof p === 'object' && p !== null && !Array.isArray(p);
        if (!objectHeader || !objectPayload) expect(parsed.ok).toBe(false);
        if (objectHeader && 'crit' in h) expect(parsed.ok).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back the claims of every token it was given whole', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (sub) => {
        const parsed = parseCompactToken(mintToken({ sub }));
        expect(parsed.ok && parsed.token.claims.sub).toBe(sub);
      }),
      { numRuns: 300 },
    );
  });
});

describe('query parser and filters', () => {
  it('never throws anything but InvalidFilterError, for every endpoint', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        let params: Map<string, string>;
        try {
          params = parseTaxiiQuery(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidFilterError);
          return;
        }
        for (const allowed of Object.values(ENDPOINT_PARAMS)) {
          try {
            parseFilter(params, allowed);
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidFilterError);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses every repeated parameter', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('limit', 'match[id]', 'added_after', 'next'),
        fc.string({ maxLength: 10 }),
        (key, value) => {
          const v = encodeURIComponent(value);
          expect(() => parseTaxiiQuery(`${key}=${v}&${key}=${v}`)).toThrow(InvalidFilterError);
        },
      ),
    );
  });
});

describe('cursor decoder', () => {
  const codec = createCursorCodec(Buffer.alloc(32, 7));
  const scope = {
    resource: 'objects',
    apiRoot: 'api1',
    collectionId: 'c',
    filter: 'f',
    subject: 's',
  };

  it('round-trips every position', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (position) => {
        expect(codec.decode(codec.encode(position, scope), scope)).toBe(position);
      }),
    );
  });

  it('refuses, with InvalidFilterError only, any other text, any altered cursor and any other scope', () => {
    const issued = codec.encode(1_700_000_000_000_000, scope);
    fc.assert(
      fc.property(
        hostileText,
        fc.nat({ max: issued.length - 1 }),
        fc.constantFrom('A', 'B', '-', '_'),
        (text, at, c) => {
          expect(() => codec.decode(text, scope)).toThrow(InvalidFilterError);
          const altered = `${issued.slice(0, at)}${c}${issued.slice(at + 1)}`;
          if (altered !== issued)
            expect(() => codec.decode(altered, scope)).toThrow(InvalidFilterError);
          expect(() => codec.decode(issued, { ...scope, subject: `${text}x` })).toThrow(
            InvalidFilterError,
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('envelope parser', () => {
  it('never throws, and accepts only an object whose objects (if any) is a list', async () => {
    const validator = await createStixValidator();
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (body) => {
        const result = validator.validateEnvelope(body);
        const shaped =
          typeof body === 'object' &&
          body !== null &&
          !Array.isArray(body) &&
          ((body as Record<string, unknown>).objects === undefined ||
            Array.isArray((body as Record<string, unknown>).objects));
        if (!shaped) expect(result.ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
