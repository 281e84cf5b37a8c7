// Checks on the contents of typed literals (b'…', h'…', t'…', MATCHES regexes). Each returns
// a reason string when the literal is invalid, undefined when it is fine.

// STIX 2.1 grammar, BinaryLiteral: base64 in groups of four, padding only at the end, not empty.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$/;
// HexLiteral: pairs of hex digits (possibly none).
const HEX = /^(?:[0-9A-Fa-f]{2})*$/;
// TimestampLiteral: RFC 3339 in UTC ('Z' only), optional fraction of any length, second 60
// allowed for leap seconds.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/;

export function checkBinary(body: string): string | undefined {
  return BASE64.test(body) ? undefined : 'binary literal must be non-empty, padded base64';
}

export function checkHex(body: string): string | undefined {
  return HEX.test(body) ? undefined : 'hex literal must be an even number of hex digits';
}

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function checkTimestamp(body: string): string | undefined {
  const m = TIMESTAMP.exec(body);
  const bad = 'timestamp must be RFC 3339 UTC like 2016-05-12T08:17:27.000Z';
  if (!m) return bad;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12) return `${bad} (month ${month})`;
  const days = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day < 1 || day > days) return `${bad} (day ${day})`;
  if (hour > 23 || minute > 59 || second > 60) return `${bad} (time of day)`;
  return undefined;
}

/**
 * Orders two valid timestamp bodies: negative when a < b. The fixed-width date-time part
 * sorts lexically; the fraction is compared digit by digit after padding.
 */
export function compareTimestamps(a: string, b: string): number {
  const head = (t: string): string => t.slice(0, 19);
  const frac = (t: string): string => {
    const dot = t.indexOf('.');
    return dot < 0 ? '' : t.slice(dot + 1, -1);
  };
  if (head(a) !== head(b)) return head(a) < head(b) ? -1 : 1;
  const fa = frac(a);
  const fb = frac(b);
  const width = Math.max(fa.length, fb.length);
  const pa = fa.padEnd(width, '0');
  const pb = fb.padEnd(width, '0');
  return pa === pb ? 0 : pa < pb ? -1 : 1;
}

/**
 * STIX 2.1 §9.5: MATCHES takes a PCRE regular expression. We check that it compiles as a
 * JavaScript RegExp; PCRE-only syntax common in the wild (inline flags `(?i)`, atomic groups
 * `(?>…)`, possessive quantifiers, `\A` `\Z` `\z`, Python-style `(?P<name>…)`) is rewritten to
 * its nearest JS form first, so that a producer's valid PCRE is not rejected. Remaining PCRE
 * constructs that JS lacks (recursion, conditionals, `\K`…) are rejected: we cannot check them.
 */
export function checkRegex(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch {
    // fall through to the PCRE rewrite
  }
  const rewritten = source
    .replace(/^\(\?[imsxU]+\)/, '') // leading inline flags
    .replace(/\(\?[imsxU]*-?[imsxU]*:/g, '(?:') // scoped flags
    .replace(/\(\?>/g, '(?:') // atomic group
    .replace(/\(\?P</g, '(?<') // Python named group
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>') // Python back-reference
    .replace(/([*+?}])\+/g, '$1') // possessive quantifiers
    .replace(/\\A/g, '^')
    .replace(/\\[zZ]/g, '$');
  try {
    new RegExp(rewritten);
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    // V8: "Invalid regular expression: /src/: reason"; keep the reason only.
    const reason = message.slice(message.lastIndexOf(': ') + 2).slice(0, 80);
    return `MATCHES needs a valid regular expression (${reason})`;
  }
}
