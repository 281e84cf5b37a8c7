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
 * instant in this representation. Past the year 2255 the value exceeds 2^53 and loses exactness.
 */
export function parseStixTimestamp(s: string): Micros | undefined {
  // Hand-rolled rather than a RegExp: this runs for every timestamp of every object written.
  if (typeof s !== 'string') return undefined;
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
  return (
    daysFromCivil(year, month, day) * US_PER_DAY +
    ((hour * 60 + minute) * 60 + second) * US_PER_SECOND +
    fraction
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

/** TAXII 2.1 §3.2 form with exactly six fractional digits: `YYYY-MM-DDTHH:MM:SS.ssssssZ`. */
export function formatTaxiiTimestamp(micros: Micros): string {
  if (!Number.isFinite(micros)) throw new RangeError('timestamp out of range');
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
