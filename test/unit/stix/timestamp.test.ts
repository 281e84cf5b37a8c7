import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import {
  MAX_TIMESTAMP_MICROS,
  MIN_TIMESTAMP_MICROS,
  formatTaxiiTimestamp,
  formatTaxiiTimestampExact,
  isStixTimestamp,
  parseStixTimestamp,
  parseStixTimestampExact,
  parseStixTimestampForClock,
  compareVersionKeys,
  versionKeyFromExact,
  versionKeyFromMicros,
  versionKeyMicros,
  versionKeyOf,
} from '../../../src/stix/timestamp.js';

describe('parseStixTimestamp', () => {
  it('parses a timestamp without fraction', () => {
    expect(parseStixTimestamp('2016-04-06T20:03:48Z')).toBe(Date.UTC(2016, 3, 6, 20, 3, 48) * 1000);
  });

  it('keeps milliseconds and microseconds', () => {
    expect(parseStixTimestamp('2016-04-06T20:03:48.123Z')).toBe(
      Date.UTC(2016, 3, 6, 20, 3, 48, 123) * 1000,
    );
    expect(parseStixTimestamp('2016-04-06T20:03:48.123456Z')).toBe(
      Date.UTC(2016, 3, 6, 20, 3, 48, 123) * 1000 + 456,
    );
  });

  it('truncates digits beyond the microsecond', () => {
    expect(parseStixTimestamp('2016-04-06T20:03:48.1234569Z')).toBe(
      parseStixTimestamp('2016-04-06T20:03:48.123456Z'),
    );
  });

  it('handles dates before the epoch', () => {
    expect(parseStixTimestamp('1969-12-31T23:59:59.999999Z')).toBe(-1);
  });

  it('refuses timestamps without Z', () => {
    expect(parseStixTimestamp('2016-04-06T20:03:48+00:00')).toBeUndefined();
    expect(parseStixTimestamp('2016-04-06T20:03:48')).toBeUndefined();
    expect(parseStixTimestamp('2016-04-06T20:03:48z')).toBeUndefined();
  });

  it('refuses impossible dates and times', () => {
    expect(parseStixTimestamp('2016-02-30T00:00:00Z')).toBeUndefined();
    expect(parseStixTimestamp('2015-02-29T00:00:00Z')).toBeUndefined();
    expect(parseStixTimestamp('2016-13-01T00:00:00Z')).toBeUndefined();
    expect(parseStixTimestamp('2016-01-01T24:00:00Z')).toBeUndefined();
    expect(parseStixTimestamp('2016-01-01T00:60:00Z')).toBeUndefined();
    expect(parseStixTimestamp('2016-01-01T00:00:60Z')).toBeUndefined();
  });

  it('accepts 29 February of a leap year', () => {
    expect(parseStixTimestamp('2000-02-29T00:00:00Z')).toBe(Date.UTC(2000, 1, 29) * 1000);
  });

  it('refuses an empty fraction and a date-only value', () => {
    expect(parseStixTimestamp('2016-01-01T00:00:00.Z')).toBeUndefined();
    expect(parseStixTimestamp('2016-01-01')).toBeUndefined();
  });

  it('refuses stray characters', () => {
    for (const bad of [
      '2016-01-01T00:00:00.1a2Z',
      '+2016-01-01T00:00:00Z',
      '2016-01-01T00:00:00ZZ',
      '2016-01-01 00:00:00Z',
      '2016-1-01T00:00:00Z',
      ' 2016-01-01T00:00:00Z',
    ]) {
      expect(parseStixTimestamp(bad)).toBeUndefined();
    }
  });

  it('agrees with Date for every millisecond instant between years 0 and 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        expect(parseStixTimestamp(new Date(ms).toISOString())).toBe(ms * 1000);
      }),
    );
  });

  it('isStixTimestamp answers false for non-strings', () => {
    expect(isStixTimestamp(12)).toBe(false);
    expect(isStixTimestamp('2016-01-01T00:00:00Z')).toBe(true);
  });
});

describe('formatTaxiiTimestamp', () => {
  it('always writes six fractional digits', () => {
    expect(formatTaxiiTimestamp(Date.UTC(2016, 3, 6, 20, 3, 48) * 1000)).toBe(
      '2016-04-06T20:03:48.000000Z',
    );
    expect(formatTaxiiTimestamp(Date.UTC(2016, 3, 6, 20, 3, 48, 123) * 1000 + 4)).toBe(
      '2016-04-06T20:03:48.123004Z',
    );
  });

  it('round-trips with parseStixTimestamp', () => {
    for (const s of [
      '1970-01-01T00:00:00.000000Z',
      '1969-12-31T23:59:59.999999Z',
      '2024-02-29T12:34:56.789012Z',
      '0001-01-01T00:00:00.000000Z',
      '2199-12-31T23:59:59.999999Z',
    ]) {
      const micros = parseStixTimestamp(s);
      expect(micros).toBeDefined();
      expect(formatTaxiiTimestamp(micros as number)).toBe(s);
    }
  });

  it('throws on non-finite input', () => {
    expect(() => formatTaxiiTimestamp(Number.NaN)).toThrow(RangeError);
  });
});

describe('exact timestamp codec (BigInt microseconds)', () => {
  const instant = fc.bigInt({ min: MIN_TIMESTAMP_MICROS, max: MAX_TIMESTAMP_MICROS });

  it('round-trips every microsecond of years 0000–9999', () => {
    fc.assert(
      fc.property(instant, (us) => {
        const text = formatTaxiiTimestampExact(us);
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
        expect(parseStixTimestampExact(text)).toBe(us);
      }),
      { numRuns: 5000 },
    );
  });

  it('orders like the text it formats (fixed width)', () => {
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const [ta, tb] = [formatTaxiiTimestampExact(a), formatTaxiiTimestampExact(b)];
        expect(Math.sign(Number(a - b))).toBe(ta < tb ? -1 : ta > tb ? 1 : 0);
      }),
      { numRuns: 3000 },
    );
  });

  it('holds the bounds and the cases doubles round', () => {
    expect(formatTaxiiTimestampExact(MAX_TIMESTAMP_MICROS)).toBe('9999-12-31T23:59:59.999999Z');
    expect(formatTaxiiTimestampExact(MIN_TIMESTAMP_MICROS)).toBe('0000-01-01T00:00:00.000000Z');
    expect(parseStixTimestampExact('0001-01-01T00:00:00.000000Z')).toBe(-62_135_596_800_000_000n);
    const a = parseStixTimestampExact('3000-01-01T00:00:00.000001Z')!;
    const b = parseStixTimestampExact('3000-01-01T00:00:00.000003Z')!;
    expect(b - a).toBe(2n);
    expect(() => formatTaxiiTimestampExact(MAX_TIMESTAMP_MICROS + 1n)).toThrow(RangeError);
  });

  it('formats any double without throwing (a read never fails on one stored value)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (d) => {
        expect(formatTaxiiTimestamp(d)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('version keys (fixed-width text of exact microseconds)', () => {
  const instant = fc.bigInt({ min: MIN_TIMESTAMP_MICROS, max: MAX_TIMESTAMP_MICROS });
  const KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

  it('round-trips every microsecond of years 0000–9999', () => {
    fc.assert(
      fc.property(instant, (us) => {
        const key = versionKeyFromExact(us);
        expect(key).toMatch(KEY);
        expect(versionKeyOf(key)).toBe(key);
        expect(versionKeyMicros(key)).toBe(us);
      }),
      { numRuns: 5000 },
    );
  });

  it('is the same key for every spelling of an instant (0 to 9 fractional digits, digits past the microsecond dropped)', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 6 }),
        fc.stringMatching(/^[0-9]{0,3}$/),
        (us, digits, extra) => {
          const full = formatTaxiiTimestampExact(us);
          const fraction = full.slice(20, 20 + digits) + (digits === 6 ? extra : '');
          const text =
            fraction.length === 0 ? `${full.slice(0, 19)}Z` : `${full.slice(0, 20)}${fraction}Z`;
          const key = versionKeyOf(text);
          expect(key).toBe(versionKeyFromExact(parseStixTimestampExact(text)!));
          expect(key).toMatch(KEY);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('orders keys as strings exactly like their instants, 1 µs apart included', () => {
    const near = fc.tuple(instant, fc.bigInt({ min: -3n, max: 3n })).map(([a, d]) => {
      const b = a + d;
      return [a, b < MIN_TIMESTAMP_MICROS || b > MAX_TIMESTAMP_MICROS ? a : b] as const;
    });
    fc.assert(
      fc.property(fc.oneof(fc.tuple(instant, instant), near), ([a, b]) => {
        const [ka, kb] = [versionKeyFromExact(a), versionKeyFromExact(b)];
        expect(compareVersionKeys(ka, kb)).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(ka < kb).toBe(a < b);
        expect(ka === kb).toBe(a === b);
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps the instants a double rounds apart', () => {
    expect(versionKeyOf('3000-01-01T00:00:00.000001Z')).toBe('3000-01-01T00:00:00.000001Z');
    expect(versionKeyOf('3000-01-01T00:00:00.000003Z')).toBe('3000-01-01T00:00:00.000003Z');
    expect(versionKeyOf('9999-12-31T23:59:59.999991Z')).toBe('9999-12-31T23:59:59.999991Z');
    expect(versionKeyOf('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000000Z');
    expect(versionKeyOf('2016-04-06T20:03:48.1Z')).toBe('2016-04-06T20:03:48.100000Z');
  });

  it('refuses what is not a STIX timestamp, as the parser does', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        expect(versionKeyOf(s) === undefined).toBe(parseStixTimestamp(s) === undefined);
      }),
      { numRuns: 2000 },
    );
    expect(versionKeyOf('2016-01-01T00:00:00.Z')).toBeUndefined();
    expect(versionKeyOf('10000-01-01T00:00:00Z')).toBeUndefined();
  });

  it('makes the key of a server clock value, and refuses a value that is not exact', () => {
    expect(versionKeyFromMicros(0)).toBe('1970-01-01T00:00:00.000000Z');
    expect(versionKeyFromMicros(Date.UTC(2026, 0, 1) * 1000 + 7)).toBe(
      '2026-01-01T00:00:00.000007Z',
    );
    expect(() => versionKeyFromMicros(2 ** 60)).toThrow(RangeError);
    expect(() => versionKeyFromMicros(0.5)).toThrow(RangeError);
  });
});

describe('client timestamps compared with server clocks (added_after)', () => {
  const instant = fc.bigInt({ min: MIN_TIMESTAMP_MICROS, max: MAX_TIMESTAMP_MICROS });
  // Server clocks (date_added, audit) are near now: anywhere in 1970–2200 is more than enough.
  const clock = fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) * 1000 });

  it('answers `clock > instant` exactly over the whole range, clamped or not', () => {
    const edge = fc.constantFrom(
      MIN_TIMESTAMP_MICROS,
      MAX_TIMESTAMP_MICROS,
      BigInt(Number.MAX_SAFE_INTEGER),
      BigInt(Number.MAX_SAFE_INTEGER) + 1n,
      -BigInt(Number.MAX_SAFE_INTEGER) - 1n,
    );
    fc.assert(
      fc.property(fc.oneof(instant, edge), clock, (us, c) => {
        const text = formatTaxiiTimestampExact(us);
        const clamped = parseStixTimestampForClock(text)!;
        expect(Number.isSafeInteger(clamped)).toBe(true);
        expect(c > clamped).toBe(BigInt(c) > us);
        expect(c >= clamped).toBe(BigInt(c) >= us);
      }),
      { numRuns: 5000 },
    );
  });

  it('is exact where every microsecond is a safe integer, clamped beyond', () => {
    expect(parseStixTimestampForClock('2026-01-01T00:00:00.000001Z')).toBe(
      Date.UTC(2026, 0, 1) * 1000 + 1,
    );
    expect(parseStixTimestampForClock('9999-12-31T23:59:59.999999Z')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseStixTimestampForClock('0001-01-01T00:00:00Z')).toBe(-Number.MAX_SAFE_INTEGER);
    expect(parseStixTimestampForClock('not a timestamp')).toBeUndefined();
  });
});
