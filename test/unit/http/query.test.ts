// parseTaxiiQuery: flat, decoded, never nested or repeated.
import { describe, expect, it } from 'vitest';
import { InvalidFilterError } from '../../../src/errors.js';
import { parseTaxiiQuery } from '../../../src/http/query.js';

describe('parseTaxiiQuery', () => {
  it('answers an empty map for an empty query', () => {
    expect(parseTaxiiQuery('').size).toBe(0);
  });

  it('decodes TAXII parameters into a flat map', () => {
    const params = parseTaxiiQuery(
      'added_after=2026-01-01T00%3A00%3A00Z&match%5Btype%5D=indicator,malware&limit=5',
    );
    expect([...params]).toEqual([
      ['added_after', '2026-01-01T00:00:00Z'],
      ['match[type]', 'indicator,malware'],
      ['limit', '5'],
    ]);
  });

  it('reads a key without "=" as an empty value', () => {
    expect(parseTaxiiQuery('next').get('next')).toBe('');
  });

  it('ignores empty segments', () => {
    expect([...parseTaxiiQuery('&limit=1&&')]).toEqual([['limit', '1']]);
  });

  it('turns + into a space', () => {
    expect(parseTaxiiQuery('next=a+b').get('next')).toBe('a b');
  });

  it.each([
    ['nested operator', 'match[id][$ne]=x'],
    ['encoded nested operator', 'match%5Bid%5D%5B%24ne%5D=x'],
    ['array suffix', 'match[type][]=a'],
    ['repeated field', 'match[type]=a&match[type]=b'],
    ['repeated plain key', 'limit=1&limit=1'],
    ['prototype pollution', '__proto__[polluted]=1'],
    ['upper-case key', 'LIMIT=1'],
    ['dotted key', 'match.type=a'],
    ['empty key', '=x'],
    ['bad percent-encoding', 'limit=%zz'],
    ['bad percent-encoding in a key', 'li%mit=1'],
  ])('refuses %s', (_what, query) => {
    expect(() => parseTaxiiQuery(query)).toThrow(InvalidFilterError);
  });

  it('refuses an overlong query string', () => {
    expect(() => parseTaxiiQuery(`next=${'a'.repeat(9000)}`)).toThrow(InvalidFilterError);
  });

  it('refuses too many parameters', () => {
    const query = Array.from({ length: 20 }, (_, i) => `k${String.fromCharCode(97 + i)}=1`).join(
      '&',
    );
    expect(() => parseTaxiiQuery(query)).toThrow(InvalidFilterError);
  });

  it('never echoes control characters of a bad key', () => {
    try {
      parseTaxiiQuery('%0d%0aSet-Cookie:x=1');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toMatch(/[\r\n]/);
    }
  });

  it('returns no prototype-derived values', () => {
    const params = parseTaxiiQuery('limit=1');
    expect(params.get('constructor')).toBeUndefined();
    expect(params.get('__proto__')).toBeUndefined();
  });
});
