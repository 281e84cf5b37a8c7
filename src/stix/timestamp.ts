// STIX 2.1 §3.2 timestamps <-> integer microseconds since the Unix epoch. Pure: no clock here.

/** Integer microseconds since the Unix epoch (same meaning as store/types.ts `Micros`; stix/ may not import store/). */
export type Micros = number;

// STIX 2.1 §3.2: RFC 3339 `YYYY-MM-DDTHH:MM:SS[.s+]Z`; the timezone MUST be UTC, marked by "Z".

const US_PER_SECOND = 1_000_000;
const US_PER_DAY = 86_400 * US_PER_SECOND;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/**
 * Parses a STIX 2.1 timestamp into microseconds; `undefined` if it is not one. Any number of
 * fractional digits is accepted; digits beyond the microsecond are truncated (TAXII 2.1 §3.2
 * timestamps carry at most microseconds). A leap second (`:60`) is refused: it has no distinct
 * instant in this representation. Before 1684 and after 2255 a double no longer holds every
 * microsecond: object versions use versionKeyOf, client instants compared with server clocks
 * parseStixTimestampForClock, and parseStixTimestampExact is exact everywhere.
 */
export function parseStixTimestamp(s: string): Micros | undefined {
  if (typeof s !== 'string') return undefined;
  // One object's timestamps are read several times in a row (the schema's format check, the
  // ordering rules, its version key) and are often the same text (created = modified): the
  // last answer is kept. A pure function of the text, so the memo changes no result.
  if (s === lastParsed.text) return lastParsed.micros;
  const micros = parseTimestampText(s);
  lastParsed.text = s;
  lastParsed.micros = micros;
  return micros;
}

const lastParsed: { text: string | undefined; micros: Micros | undefined } = {
  text: undefined,
  micros: undefined,
};

function parseTimestampText(s: string): Micros | undefined {
  // Hand-rolled rather than a RegExp: this runs for every timestamp of every object written.
  const n = s.length;
  if (n < 20 || n > 64) return undefined;
  if (
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(n - 1) !== 90
  ) {
    return undefined; // '-', '-', 'T', ':', ':', 'Z'
  }
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return undefined;
  let fraction = 0;
  if (n > 20) {
    // `.` then at least one digit before the final `Z`; only the first six digits count.
    if (s.charCodeAt(19) !== 46 || n === 21) return undefined;
    for (let i = 20; i < n - 1; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return undefined;
      if (i < 26) fraction = fraction * 10 + d;
    }
    for (let i = Math.min(n - 1, 26); i < 26; i++) fraction *= 10;
  }
  // One rounding at most: the day part and the in-day part are each exact, so their sum is the
  // instant whenever a double can hold it.
  return (
    daysFromCivil(year, month, day) * US_PER_DAY +
    (((hour * 60 + minute) * 60 + second) * US_PER_SECOND + fraction)
  );
}

/** The non-negative integer written by `count` ASCII digits at `start`, or -1. */
function digitsAt(s: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

export function isStixTimestamp(s: unknown): s is string {
  return typeof s === 'string' && parseStixTimestamp(s) !== undefined;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `0000-01-01T00:00:00.000000Z` and `9999-12-31T23:59:59.999999Z` in microseconds. */
export const MIN_TIMESTAMP_MICROS = -62_167_219_200_000_000n;
export const MAX_TIMESTAMP_MICROS = 253_402_300_799_999_999n;

const US_PER_DAY_BIG = 86_400_000_000n;

/**
 * Exact microseconds of a STIX timestamp as a BigInt (every instant of years 0000–9999), or
 * undefined. Same grammar as parseStixTimestamp, without the double's rounding.
 */
export function parseStixTimestampExact(s: string): bigint | undefined {
  const approx = parseStixTimestamp(s);
  if (approx === undefined) return undefined;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const inDay =
    (digitsAt(s, 11, 2) * 3600 + digitsAt(s, 14, 2) * 60 + digitsAt(s, 17, 2)) * US_PER_SECOND;
  let fraction = 0;
  if (s.length > 21) {
    const digits = s.slice(20, Math.min(26, s.length - 1));
    fraction = Number(digits.padEnd(6, '0'));
  }
  // Day counts and in-day microseconds are exact doubles; only their sum needs BigInt.
  return (
    BigInt(daysFromCivil(year, month, day)) * US_PER_DAY_BIG + BigInt(inDay) + BigInt(fraction)
  );
}

/** TAXII 2.1 §3.2 form of exact microseconds; RangeError outside years 0000–9999. */
export function formatTaxiiTimestampExact(micros: bigint): string {
  if (micros < MIN_TIMESTAMP_MICROS || micros > MAX_TIMESTAMP_MICROS)
    throw new RangeError('timestamp out of range');
  let days = micros / US_PER_DAY_BIG;
  let inDay = micros % US_PER_DAY_BIG;
  if (inDay < 0n) {
    inDay += US_PER_DAY_BIG;
    days -= 1n;
  }
  const [year, month, day] = civilFromDays(Number(days));
  const us = Number(inDay);
  const seconds = Math.floor(us / US_PER_SECOND);
  const fraction = us - seconds * US_PER_SECOND;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor((seconds % 3600) / 60), 2)}:${pad(seconds % 60, 2)}.${pad(fraction, 6)}Z`;
}

declare const versionKeyBrand: unique symbol;

/**
 * A version timestamp in its canonical fixed-width form `YYYY-MM-DDTHH:MM:SS.ffffffZ` (27
 * characters, always six fractional digits). It names every microsecond of years 0000–9999
 * exactly, it is already the TAXII 2.1 §3.2 form that manifests, versions lists and statuses
 * print, and because every field has a fixed width, comparing two keys as strings (UTF-16 code
 * units in JS, bytes under SQLite's BINARY collation and in MongoDB) orders them like the
 * instants they name. Object versions and version filters use it; server clocks stay `Micros`.
 */
export type VersionKey = string & { readonly [versionKeyBrand]: true };

/**
 * The version key of a STIX timestamp, or undefined if it is not one. Digits beyond the
 * microsecond are dropped, as parseStixTimestamp does; no arithmetic, so nothing rounds.
 */
export function versionKeyOf(s: string): VersionKey | undefined {
  if (parseStixTimestamp(s) === undefined) return undefined;
  const fraction = s.length > 21 ? s.slice(20, Math.min(26, s.length - 1)) : '';
  return `${s.slice(0, 19)}.${fraction.padEnd(6, '0')}Z` as VersionKey;
}

/** The key of exact microseconds; RangeError outside years 0000–9999. */
export function versionKeyFromExact(micros: bigint): VersionKey {
  return formatTaxiiTimestampExact(micros) as VersionKey;
}

/**
 * The key of a server clock value (an unversioned object is versioned by its date_added). Such
 * values are near now, so always safe integers; anything else is a programming error.
 */
export function versionKeyFromMicros(micros: Micros): VersionKey {
  if (!Number.isSafeInteger(micros)) throw new RangeError('not an exact microsecond count');
  return formatTaxiiTimestampExact(BigInt(micros)) as VersionKey;
}

/** Exact microseconds of a key. */
export function versionKeyMicros(key: VersionKey): bigint {
  return parseStixTimestampExact(key) as bigint;
}

/** String order of keys, which is their chronological order. */
export function compareVersionKeys(a: VersionKey, b: VersionKey): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A client-supplied timestamp as a Micros value for comparing with server clocks (added_after
 * against date_added, audit since/until against `at`): exact from 1684 to 2255, where every
 * microsecond is a safe integer, and clamped to ±Number.MAX_SAFE_INTEGER outside. Server clock
 * values are always near now, far inside that range, so `clock > clamped` answers exactly what
 * `clock > instant` would.
 */
export function parseStixTimestampForClock(s: string): Micros | undefined {
  const exact = parseStixTimestampExact(s);
  if (exact === undefined) return undefined;
  if (exact > MAX_SAFE) return Number.MAX_SAFE_INTEGER;
  if (exact < -MAX_SAFE) return -Number.MAX_SAFE_INTEGER;
  return Number(exact);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * TAXII 2.1 §3.2 form with exactly six fractional digits: `YYYY-MM-DDTHH:MM:SS.ssssssZ`.
 * For server clock values (date_added, statuses, audit). Total, so that no read fails on one
 * stored value: a value outside years 0000–9999 is written as the nearest bound.
 */
export function formatTaxiiTimestamp(micros: Micros): string {
  if (Number.isNaN(micros)) throw new RangeError('timestamp out of range');
  if (micros > Number(MAX_TIMESTAMP_MICROS) || micros === Infinity)
    return formatTaxiiTimestampExact(MAX_TIMESTAMP_MICROS);
  if (micros < Number(MIN_TIMESTAMP_MICROS)) return formatTaxiiTimestampExact(MIN_TIMESTAMP_MICROS);
  if (!Number.isSafeInteger(micros)) {
    const exact = BigInt(Math.floor(micros));
    return formatTaxiiTimestampExact(exact > MAX_TIMESTAMP_MICROS ? MAX_TIMESTAMP_MICROS : exact);
  }
  const whole = Math.floor(micros);
  const days = Math.floor(whole / US_PER_DAY);
  const inDay = whole - days * US_PER_DAY;
  const [year, month, day] = civilFromDays(days);
  if (year < 0 || year > 9999) throw new RangeError('timestamp out of range');
  const seconds = Math.floor(inDay / US_PER_SECOND);
  const fraction = inDay - seconds * US_PER_SECOND;
  const hour = Math.floor(seconds / 3600);
  const minute = Math.floor((seconds % 3600) / 60);
  const second = seconds % 60;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(fraction, 6)}Z`;
}
