// parseFilter / parseVersionSelector: TAXII 2.1 §3.4 and §3.4.1 semantics.
import { describe, expect, it } from 'vitest';
import { InvalidFilterError } from '../../../src/errors.js';
import {
  DEFAULT_SPEC_VERSIONS,
  effectiveLimit,
  ENDPOINT_PARAMS,
  normalizeFilter,
  parseFilter,
  parseVersionSelector,
} from '../../../src/taxii/filter.js';

const params = (entries: Record<string, string>): Map<string, string> =>
  new Map(Object.entries(entries));
const T1 = Date.UTC(2026, 0, 1) * 1000;

describe('parseVersionSelector', () => {
  it('parses last, first and all', () => {
    expect(parseVersionSelector('last')).toEqual({
      kind: 'some',
      first: false,
      last: true,
      versions: [],
    });
    expect(parseVersionSelector('first')).toEqual({
      kind: 'some',
      first: true,
      last: false,
      versions: [],
    });
    expect(parseVersionSelector('all')).toEqual({ kind: 'all' });
  });

  it('ORs first, last and timestamps, sorted and deduplicated', () => {
    expect(
      parseVersionSelector(
        '2026-01-01T00:00:01Z,first,2026-01-01T00:00:00.000000Z,last,2026-01-01T00:00:00Z',
      ),
    ).toEqual({
      kind: 'some',
      first: true,
      last: true,
      versions: ['2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:01.000000Z'],
    });
  });

  it('keeps microseconds', () => {
    expect(parseVersionSelector('2026-01-01T00:00:00.000001Z')).toEqual({
      kind: 'some',
      first: false,
      last: false,
      versions: ['2026-01-01T00:00:00.000001Z'],
    });
  });

  it('keeps every microsecond of the far future, in chronological order', () => {
    expect(
      parseVersionSelector(
        '9999-12-31T23:59:59.999999Z,3000-01-01T00:00:00.000003Z,3000-01-01T00:00:00.000001Z,0001-01-01T00:00:00Z',
      ),
    ).toEqual({
      kind: 'some',
      first: false,
      last: false,
      versions: [
        '0001-01-01T00:00:00.000000Z',
        '3000-01-01T00:00:00.000001Z',
        '3000-01-01T00:00:00.000003Z',
        '9999-12-31T23:59:59.999999Z',
      ],
    });
  });

  it.each([
    'all,last',
    'first,all',
    'latest',
    '',
    'last,',
    '2026-01-01',
    '2026-01-01T00:00:00+01:00',
  ])('refuses %j', (value) => {
    expect(() => parseVersionSelector(value)).toThrow(InvalidFilterError);
  });
});

describe('parseFilter', () => {
  it('defaults to the last version of spec_version 2.1 and no other restriction', () => {
    expect(parseFilter(params({}), ENDPOINT_PARAMS.objects)).toEqual({
      versions: { kind: 'some', first: false, last: true, versions: [] },
      hasVersionMatch: false,
      specVersions: ['2.1'],
    });
  });

  it('reads every objects parameter', () => {
    const filter = parseFilter(
      params({
        added_after: '2026-01-01T00:00:00Z',
        limit: '10',
        next: 'abc',
        'match[id]': 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
        'match[type]': 'indicator,x-custom',
        'match[version]': 'all',
        'match[spec_version]': '2.0,2.1',
      }),
      ENDPOINT_PARAMS.objects,
    );
    expect(filter).toEqual({
      addedAfter: T1,
      limit: 10,
      next: 'abc',
      ids: ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
      types: ['indicator', 'x-custom'],
      versions: { kind: 'all' },
      hasVersionMatch: true,
      specVersions: ['2.0', '2.1'],
    });
  });

  it.each([
    ['objects', 'foo'],
    ['object', 'match[type]'],
    ['object', 'match[id]'],
    ['versions', 'match[version]'],
    ['objectDelete', 'limit'],
    ['objectDelete', 'added_after'],
    ['none', 'limit'],
  ] as const)('refuses on %s the parameter %s', (endpoint, key) => {
    expect(() => parseFilter(params({ [key]: '1' }), ENDPOINT_PARAMS[endpoint])).toThrow(
      InvalidFilterError,
    );
  });

  it.each(['0', '-1', '1.5', '01', 'ten', '', '9999999999'])('refuses limit=%j', (limit) => {
    expect(() => parseFilter(params({ limit }), ENDPOINT_PARAMS.objects)).toThrow(
      InvalidFilterError,
    );
  });

  it.each(['INDICATOR', 'a', 'bad_type', 'x--y'])('refuses match[type]=%j', (type) => {
    expect(() => parseFilter(params({ 'match[type]': type }), ENDPOINT_PARAMS.objects)).toThrow(
      InvalidFilterError,
    );
  });
});

describe('effectiveLimit', () => {
  it('uses the default when absent and caps at the maximum', () => {
    const limits = { defaultLimit: 3, maxLimit: 5 };
    expect(
      effectiveLimit(
        { versions: { kind: 'all' }, hasVersionMatch: false, specVersions: DEFAULT_SPEC_VERSIONS },
        limits,
      ),
    ).toBe(3);
    expect(
      effectiveLimit(
        {
          versions: { kind: 'all' },
          hasVersionMatch: false,
          specVersions: DEFAULT_SPEC_VERSIONS,
          limit: 4,
        },
        limits,
      ),
    ).toBe(4);
    expect(
      effectiveLimit(
        {
          versions: { kind: 'all' },
          hasVersionMatch: false,
          specVersions: DEFAULT_SPEC_VERSIONS,
          limit: 500,
        },
        limits,
      ),
    ).toBe(5);
  });
});

describe('normalizeFilter', () => {
  it('ignores limit, next and list order', () => {
    const a = parseFilter(
      params({ 'match[type]': 'indicator,malware', limit: '1' }),
      ENDPOINT_PARAMS.objects,
    );
    const b = parseFilter(
      params({ 'match[type]': 'malware,indicator', next: 'x' }),
      ENDPOINT_PARAMS.objects,
    );
    expect(normalizeFilter(a)).toBe(normalizeFilter(b));
  });

  it('gives the default spec_version the same scope as before it was explicit', () => {
    const absent = parseFilter(params({}), ENDPOINT_PARAMS.objects);
    const explicit = parseFilter(params({ 'match[spec_version]': '2.1' }), ENDPOINT_PARAMS.objects);
    expect(normalizeFilter(absent)).toContain('sv=-');
    expect(normalizeFilter(explicit)).toContain('sv=2.1');
  });

  it('distinguishes different selections', () => {
    const a = parseFilter(params({ 'match[version]': 'first' }), ENDPOINT_PARAMS.objects);
    const b = parseFilter(params({ 'match[version]': 'last' }), ENDPOINT_PARAMS.objects);
    expect(normalizeFilter(a)).not.toBe(normalizeFilter(b));
  });
});
