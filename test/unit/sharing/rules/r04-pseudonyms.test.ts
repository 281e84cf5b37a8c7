import { describe, expect, it } from 'vitest';
import { pseudonymizeId } from '../../../../src/sharing/pseudonym.js';
import {
  isPseudonymizedById,
  originalsOfPseudonyms,
  servedId,
  typeOfId,
} from '../../../../src/sharing/rules/r04-pseudonyms.js';
import { CERT_ID, KEY, KIAN_IDENTITY, MITRE_ID, env } from '../support.js';

describe('R4 pseudonymous ids', () => {
  it('pseudonymizes every identity but the CERT and the allow-listed ones, by id alone', () => {
    expect(isPseudonymizedById(KIAN_IDENTITY, env())).toBe(true);
    expect(isPseudonymizedById('identity--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', env())).toBe(true);
    expect(isPseudonymizedById(CERT_ID, env())).toBe(false);
    expect(isPseudonymizedById(MITRE_ID, env())).toBe(false);
  });

  it('pseudonymizes locations that are not allow-listed', () => {
    expect(isPseudonymizedById('location--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', env())).toBe(true);
  });

  it('keeps other ids unless the derivation pseudonymized the object', () => {
    const m = 'malware--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
    expect(servedId(m, false, env())).toBe(m);
    expect(servedId(m, true, env())).toBe(pseudonymizeId(KEY, m));
    expect(servedId(KIAN_IDENTITY, false, env())).toBe(pseudonymizeId(KEY, KIAN_IDENTITY));
  });

  it('reads the type of an id', () => {
    expect(typeOfId('ipv4-addr--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d')).toBe('ipv4-addr');
    expect(typeOfId('nonsense')).toBe('');
  });

  it('finds the stored original of a requested pseudonym, and nothing for a guess', () => {
    const found = originalsOfPseudonyms(
      [pseudonymizeId(KEY, KIAN_IDENTITY), KIAN_IDENTITY],
      [MITRE_ID, KIAN_IDENTITY],
      KEY,
    );
    expect([...found]).toEqual([[pseudonymizeId(KEY, KIAN_IDENTITY), KIAN_IDENTITY]]);
  });
});
