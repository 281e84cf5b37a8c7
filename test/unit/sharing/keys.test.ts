import { describe, expect, it } from 'vitest';
import { deriveAudienceKey, deriveGroupKey } from '../../../src/sharing/keys.js';
import {
  entityLabel,
  pseudonymLabel,
  pseudonymUuid,
  pseudonymizeId,
} from '../../../src/sharing/pseudonym.js';
import { MASTER } from './support.js';

const ID = 'identity--5a0e8c1f-2b3d-4e5f-8a9b-0c1d2e3f4a5b';

describe('per-audience keys (HKDF)', () => {
  it('gives the same key for the same group and epoch', () => {
    expect(deriveGroupKey(MASTER, 'g1', 1).key.equals(deriveGroupKey(MASTER, 'g1', 1).key)).toBe(
      true,
    );
  });

  it('gives different keys for another group or another epoch', () => {
    const a = deriveGroupKey(MASTER, 'g1', 1).key;
    expect(a.equals(deriveGroupKey(MASTER, 'g2', 1).key)).toBe(false);
    expect(a.equals(deriveGroupKey(MASTER, 'g1', 2).key)).toBe(false);
  });

  it('does not confuse (ab, 1) with (a, b1)', () => {
    expect(
      deriveGroupKey(MASTER, 'ab', 1).key.equals(deriveGroupKey(MASTER, 'a', Number('1')).key),
    ).toBe(false);
  });

  it('refuses a master secret shorter than 32 bytes', () => {
    expect(() => deriveGroupKey(Buffer.alloc(16), 'g1', 1)).toThrow(RangeError);
  });

  it('derives a combined audience key independent of group order', () => {
    const a = deriveAudienceKey(MASTER, [
      { groupId: 'x', epoch: 1 },
      { groupId: 'y', epoch: 2 },
    ]);
    const b = deriveAudienceKey(MASTER, [
      { groupId: 'y', epoch: 2 },
      { groupId: 'x', epoch: 1 },
    ]);
    expect(a.key.equals(b.key)).toBe(true);
    expect(a.audienceId).toBe('x+y');
    expect(a.key.equals(deriveGroupKey(MASTER, 'x', 1).key)).toBe(false);
  });
});

describe('pseudonyms (R4)', () => {
  const k1 = deriveGroupKey(MASTER, 'g1', 1);
  const k2 = deriveGroupKey(MASTER, 'g2', 1);

  it('formats ids as UUIDv4 with the RFC 4122 variant', () => {
    expect(pseudonymUuid(k1, 'id', 'x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('keeps the object type of a pseudonymized id', () => {
    expect(pseudonymizeId(k1, ID)).toMatch(/^identity--/);
    expect(pseudonymizeId(k1, ID)).not.toBe(ID);
  });

  it('is stable for a group and different across groups', () => {
    expect(pseudonymizeId(k1, ID)).toBe(pseudonymizeId(k1, ID));
    expect(pseudonymizeId(k1, ID)).not.toBe(pseudonymizeId(k2, ID));
    expect(entityLabel(k1, 'kian-power')).not.toBe(entityLabel(k2, 'kian-power'));
  });

  it('makes labels of 8 base32 characters', () => {
    expect(pseudonymLabel(k1, 'entity', 'kian-power')).toMatch(/^[A-Z2-7]{8}$/);
    expect(entityLabel(k1, 'kian-power')).toMatch(/^Victim-[A-Z2-7]{8}$/);
  });

  it('separates namespaces: the same text as id and as label differs', () => {
    expect(pseudonymUuid(k1, 'id', 'a').slice(0, 8)).not.toBe(
      pseudonymUuid(k1, 'entity', 'a').slice(0, 8),
    );
  });
});
