// The next-cursor codec: sealed, bound to its scope, stateless.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidFilterError } from '../../../src/errors.js';
import { createCursorCodec, type CursorScope } from '../../../src/taxii/cursor.js';

const secret = randomBytes(32);
const codec = createCursorCodec(secret);
const scope: CursorScope = {
  resource: 'objects',
  collectionId: 'c1',
  filter: 'aa=-|id=-',
  subject: 'alice',
};

describe('cursor codec', () => {
  it('round-trips a position', () => {
    expect(codec.decode(codec.encode(1_767_225_600_123_456, scope), scope)).toBe(
      1_767_225_600_123_456,
    );
  });

  it('round-trips any safe non-negative position', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        (position) => codec.decode(codec.encode(position, scope), scope) === position,
      ),
    );
  });

  it('hands out one token per position and scope, and still refuses it under another scope after a use', () => {
    const token = codec.encode(7_000_001, scope);
    expect(codec.encode(7_000_001, scope)).toBe(token);
    expect(codec.encode(7_000_001, { ...scope, subject: 'bob' })).not.toBe(token);
    expect(codec.decode(token, scope)).toBe(7_000_001);
    // A remembered answer is keyed on the scope too: another caller or query still gets a 400.
    for (const other of [
      { ...scope, subject: 'bob' },
      { ...scope, filter: 'aa=1|id=-' },
      { ...scope, collectionId: 'c2' },
      { ...scope, resource: 'manifest' },
    ])
      expect(() => codec.decode(token, other)).toThrow(InvalidFilterError);
    expect(codec.decode(token, scope)).toBe(7_000_001);
  });

  it('keeps working past its memory bound', () => {
    const tokens = Array.from({ length: 5000 }, (_, i) => codec.encode(i, scope));
    tokens.forEach((token, i) => expect(codec.decode(token, scope)).toBe(i));
    expect(codec.decode(codec.encode(0, scope), scope)).toBe(0);
  });

  it('is valid on another instance with the same secret', () => {
    const other = createCursorCodec(Buffer.from(secret));
    expect(other.decode(codec.encode(42, scope), scope)).toBe(42);
  });

  it('is URL-safe and does not show the position', () => {
    const token = codec.encode(1_767_225_600_123_456, scope);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).not.toContain((1_767_225_600_123_456).toString(36));
  });

  it.each([
    ['another resource', { ...scope, resource: 'manifest' }],
    ['another collection', { ...scope, collectionId: 'c2' }],
    ['another filter', { ...scope, filter: 'aa=1|id=-' }],
    ['another caller', { ...scope, subject: 'mallory' }],
  ])('refuses a cursor used for %s', (_what, otherScope) => {
    expect(() => codec.decode(codec.encode(1, scope), otherScope)).toThrow(InvalidFilterError);
  });

  it('refuses a cursor sealed with another secret', () => {
    const foreign = createCursorCodec(randomBytes(32)).encode(1, scope);
    expect(() => codec.decode(foreign, scope)).toThrow(InvalidFilterError);
  });

  it('refuses any single-character change', () => {
    const token = codec.encode(123456, scope);
    for (let i = 0; i < token.length; i += 1) {
      const c = token[i] === 'A' ? 'B' : 'A';
      const tampered = token.slice(0, i) + c + token.slice(i + 1);
      expect(() => codec.decode(tampered, scope)).toThrow(InvalidFilterError);
    }
  });

  it.each(['', 'abc', '....', 'A'.repeat(80), 'not base64!', '%00'])(
    'refuses garbage %j',
    (token) => {
      expect(() => codec.decode(token, scope)).toThrow(InvalidFilterError);
    },
  );

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => createCursorCodec(Buffer.alloc(16))).toThrow(RangeError);
  });
});
