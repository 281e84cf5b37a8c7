// Pattern detectors of R6, run on the detector view (decoded, NFKC, ASCII digits, case and
// punctuation kept). They only find candidates: whether an email, URL, domain or IP is
// protected is decided by redact-text.ts against the registry; phone numbers and national
// ids are always redacted.

import { formatIpv4, parseIpv4, parseIpv4Loose, parseIpv6 } from './ip-ranges.js';

export type DetectorKind = 'email' | 'url' | 'domain' | 'ip' | 'phone' | 'national-id';

export interface DetectorHit {
  readonly kind: DetectorKind;
  /** Offsets in the scanned (detector-view) text. */
  readonly start: number;
  readonly end: number;
  /**
   * What protection is decided on: the domain of an email, the host of a URL (a name or
   * an IP), the domain itself, the IP itself; the digits of a phone number or id.
   */
  readonly value: string;
}

// Hosts, emails and IPs are found from their anchors ('.', '@', ':') outward instead of by
// whole-text regexes with a leading lookbehind, which V8 evaluates at every position.

const URL_SCHEMES = new Set(['http', 'https', 'ftp', 'ftps', 'sftp', 'ws', 'wss']);
const URL_END = /[\s<>"'`]/;
const HOST_SHAPE =
  /^[\p{L}\p{N}](?:[\p{L}\p{N}_-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}_-]*[\p{L}\p{N}])?)+$/u;
const IPV4_SHAPE = /^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$/;
const IPV4_INSIDE = /(?<![0-9.])[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?![0-9]|\.[0-9])/g;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Per BMP code unit: 0 unknown, 1 letter or number, 2 other.
const letterOrNumber = new Uint8Array(0x10000);
const LN = /^[\p{L}\p{N}]$/u;

function isLetterOrNumber(c: number): boolean {
  if (c < 0x80) {
    return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  }
  if (c >= 0xd800 && c <= 0xdfff) return false;
  let v = letterOrNumber[c];
  if (v === 0) {
    v = LN.test(String.fromCharCode(c)) ? 1 : 2;
    letterOrNumber[c] = v;
  }
  return v === 1;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Inside a host label: letters, numbers, `-` and `_`. */
function isLabelChar(c: number): boolean {
  return c === 0x2d || c === 0x5f || isLetterOrNumber(c);
}

/** A dot between two label characters (so "a.b", not "end. Next" or "a..b"). */
function isInnerDot(text: string, k: number): boolean {
  return (
    text.charCodeAt(k) === 0x2e &&
    isLetterOrNumber(text.charCodeAt(k - 1)) &&
    isLetterOrNumber(text.charCodeAt(k + 1))
  );
}

/** Expands a host around position `at` (a label character or an inner dot): [start, end). */
function hostAround(text: string, at: number): [number, number] {
  let s = at;
  while (s > 0 && (isLabelChar(text.charCodeAt(s - 1)) || isInnerDot(text, s - 1))) s--;
  let e = at;
  while (e < text.length && (isLabelChar(text.charCodeAt(e)) || isInnerDot(text, e))) e++;
  // Hyphens and underscores do not start or end a host name.
  while (s < e && (text.charCodeAt(s) === 0x2d || text.charCodeAt(s) === 0x5f)) s++;
  while (e > s && (text.charCodeAt(e - 1) === 0x2d || text.charCodeAt(e - 1) === 0x5f)) e--;
  return [s, e];
}

const LOCAL_PART_PUNCT = new Set([0x2e, 0x5f, 0x25, 0x2b, 0x2d]); // . _ % + -

const EDGE_BEFORE = String.raw`(?<![\p{L}\p{N}_])`;
const EDGE_AFTER = String.raw`(?![\p{L}\p{N}_])`;
const SEP = String.raw`[\s.\-]?`;
const PHONES: readonly RegExp[] = [
  // Iranian mobile: 09121234567, 0912 123 4567, +98 912 123 4567, (+98) 912-123-4567,
  // 0098 9121234567 and the bare 9121234567.
  new RegExp(
    String.raw`${EDGE_BEFORE}(?:\(?(?:\+|00)98\)?${SEP}|0)?9[0-9]{2}${SEP}[0-9]{3}${SEP}[0-9]{4}${EDGE_AFTER}`,
    'gu',
  ),
  // Iranian landline: 021-88776655, (021) 8877 6655, +98 21 8877 6655 (area code, 8 digits).
  new RegExp(
    String.raw`${EDGE_BEFORE}(?:\(?(?:\+|00)98\)?${SEP}\(?|\(?0)[1-8][0-9]\)?${SEP}(?:[0-9]${SEP}){7}[0-9]${EDGE_AFTER}`,
    'gu',
  ),
  // International with a +: +44 20 7946 0958, +1 (202) 555-0143, +49-30-1234567.
  new RegExp(
    String.raw`(?<![\p{L}\p{N}_+])\+[1-9][0-9]{0,2}(?:[\s.\-]?\(?[0-9]{1,4}\)?){2,6}${EDGE_AFTER}`,
    'gu',
  ),
  // North American without a country code: (202) 555-0143.
  new RegExp(String.raw`${EDGE_BEFORE}\([0-9]{3}\)\s?[0-9]{3}[\s.\-][0-9]{4}${EDGE_AFTER}`, 'gu'),
];
const NATIONAL_ID = new RegExp(
  String.raw`${EDGE_BEFORE}[0-9]{3}[\-\s]?[0-9]{6}[\-\s]?[0-9]${EDGE_AFTER}`,
  'gu',
);

function digitsOf(s: string): string {
  return s.replace(/[^0-9]/g, '');
}

/** Iranian national id (کد ملی): 10 digits, the last a mod-11 check digit. */
export function isValidIranianNationalId(digits: string): boolean {
  if (!/^[0-9]{10}$/.test(digits)) return false;
  // All-equal sequences pass the checksum but are not issued.
  if (/^(\d)\1{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const r = sum % 11;
  const check = Number(digits[9]);
  return r < 2 ? check === r : check === 11 - r;
}

/** Part of a dotted number (version, IP, decimal) rather than a standalone number. */
function isInDottedNumber(text: string, start: number, end: number): boolean {
  const before = text.charCodeAt(start - 1);
  const before2 = text.charCodeAt(start - 2);
  const after = text.charCodeAt(end);
  const after2 = text.charCodeAt(end + 1);
  const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
  return (before === 0x2e && isDigit(before2)) || (after === 0x2e && isDigit(after2));
}

function trimUrl(url: string): string {
  let u = url;
  for (;;) {
    const last = u.charAt(u.length - 1);
    if ('.,;:!?\'"'.includes(last)) u = u.slice(0, -1);
    else if (last === ')' && !u.includes('(')) u = u.slice(0, -1);
    else if (last === ']' && !u.includes('[')) u = u.slice(0, -1);
    else return u;
  }
}

/** The host of a URL (lower case, brackets of an IPv6 literal removed), or '' if none. */
export function hostOfUrl(url: string): string {
  const afterScheme = url.slice(url.indexOf('://') + 3);
  const authority = afterScheme.split(/[/?#\\]/, 1)[0] ?? '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    return (close < 0 ? hostPort.slice(1) : hostPort.slice(1, close)).toLowerCase();
  }
  return hostPort
    .replace(/:[0-9]*$/, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** Emails, URLs, domains and IPs: candidates whose protection the caller decides. */
export function detectNetworkValues(text: string): DetectorHit[] {
  const hits: DetectorHit[] = [];
  const n = text.length;
  // Emails: from each '@', the local part to the left and a host with a dot to the right.
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let s = at;
    while (s > 0) {
      const c = text.charCodeAt(s - 1);
      if (isLetterOrNumber(c) || LOCAL_PART_PUNCT.has(c)) s--;
      else break;
    }
    if (s === at || at + 1 >= n || !isLetterOrNumber(text.charCodeAt(at + 1))) continue;
    const [hs, he] = hostAround(text, at + 1);
    if (hs !== at + 1) continue;
    const host = text.slice(hs, he);
    if (!HOST_SHAPE.test(host)) continue;
    hits.push({ kind: 'email', start: s, end: he, value: host.toLowerCase() });
  }
  // URLs: from each '://', the scheme to the left and everything up to a space or quote.
  for (let sep = text.indexOf('://'); sep >= 0; sep = text.indexOf('://', sep + 3)) {
    let s = sep;
    while (s > 0 && isAsciiLetter(text.charCodeAt(s - 1))) s--;
    if (
      !URL_SCHEMES.has(text.slice(s, sep).toLowerCase()) ||
      isLetterOrNumber(text.charCodeAt(s - 1))
    ) {
      continue;
    }
    let e = sep + 3;
    while (e < n && !URL_END.test(text.charAt(e))) e++;
    const url = trimUrl(text.slice(s, e));
    const host = hostOfUrl(url);
    if (host !== '') hits.push({ kind: 'url', start: s, end: s + url.length, value: host });
  }
  // Hosts and IPv4: from each inner dot, the whole dotted token around it.
  for (let dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', dot + 1)) {
    if (!isInnerDot(text, dot)) continue;
    const [s, e] = hostAround(text, dot);
    dot = e;
    const token = text.slice(s, e);
    if (IPV4_SHAPE.test(token)) {
      if (parseIpv4(token) !== null) hits.push({ kind: 'ip', start: s, end: e, value: token });
      continue;
    }
    IPV4_INSIDE.lastIndex = 0;
    if (/[0-9]\.[0-9]/.test(token))
      for (let m = IPV4_INSIDE.exec(token); m !== null; m = IPV4_INSIDE.exec(token)) {
        if (parseIpv4(m[0]) !== null) {
          hits.push({
            kind: 'ip',
            start: s + m.index,
            end: s + m.index + m[0].length,
            value: m[0],
          });
        }
      }
    // The domain of an email is judged as the email.
    if (text.charCodeAt(s - 1) === 0x40 || !HOST_SHAPE.test(token)) continue;
    hits.push({ kind: 'domain', start: s, end: e, value: token.toLowerCase() });
  }
  // IPv6: from each ':', the token of hex digits, colons and dots around it.
  for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    let s = colon;
    while (s > 0 && isIpv6Char(text.charCodeAt(s - 1))) s--;
    let e = colon + 1;
    while (e < n && isIpv6Char(text.charCodeAt(e))) e++;
    colon = e;
    while (e > s && text.charCodeAt(e - 1) === 0x2e) e--;
    const token = text.slice(s, e);
    if (token.split(':').length < 3) continue;
    // Not part of a longer word (std::map) or of a longer colon-separated value.
    if (isLetterOrNumber(text.charCodeAt(s - 1)) || isLetterOrNumber(text.charCodeAt(e))) continue;
    if (parseIpv6(token) !== null) hits.push({ kind: 'ip', start: s, end: e, value: token });
  }
  addAddressForms(text, hits);
  return hits;
}

const LOOSE_IPV4 =
  /(?<![\p{L}\p{N}_.])(?:0[xX][0-9a-fA-F]+|[0-9]+)(?:\.(?:0[xX][0-9a-fA-F]+|[0-9]+)){0,3}(?![\p{L}\p{N}_]|\.[\p{L}\p{N}])/gu;
const ANY_DIGIT = /[0-9]/;
const CIDR_SUFFIX = /^\/([0-9]{1,3})(?![0-9])/;
const RANGE_JOINER = /^\s*(?:-|\u2013|\u2014|\.\.|to|\u062a\u0627)\s*$/i;

/**
 * Address forms beyond the dotted quad, as IPv4 readers accept them (integer, hex, octal,
 * fewer parts; see parseIpv4Loose), networks written after an address (`/n`, judged by
 * overlap) and `a.b.c.d - e.f.g.h` ranges (judged by overlap). Values: `a.b.c.d`,
 * `addr/n` or `first-last`.
 */
function addAddressForms(text: string, hits: DetectorHit[]): void {
  LOOSE_IPV4.lastIndex = 0;
  // Every address form holds a digit: text without one is not searched position by position.
  const search = ANY_DIGIT.test(text);
  for (let m = search ? LOOSE_IPV4.exec(text) : null; m !== null; m = LOOSE_IPV4.exec(text)) {
    const token = m[0];
    const parts = token.split('.');
    const plain = IPV4_SHAPE.test(token) && !parts.some((p) => p.length > 1 && p.startsWith('0'));
    if (plain) continue;
    if (parts.length === 1) {
      // A lone number reads as an address only when it is big enough to be one.
      const hex = /^0[xX]/.test(token);
      if (hex ? token.length < 9 : token.length < 8) continue;
    }
    const value = parseIpv4Loose(token);
    if (value === null) continue;
    hits.push({
      kind: 'ip',
      start: m.index,
      end: m.index + token.length,
      value: formatIpv4(value),
    });
  }
  const ips = hits.filter((h) => h.kind === 'ip').sort((a, b) => a.start - b.start);
  for (const h of ips) {
    const suffix = CIDR_SUFFIX.exec(text.slice(h.end, h.end + 4));
    if (suffix !== null) {
      hits.push({ ...h, end: h.end + suffix[0].length, value: `${h.value}/${suffix[1]}` });
    }
  }
  for (let k = 0; k + 1 < ips.length; k++) {
    const a = ips[k]!;
    const b = ips[k + 1]!;
    if (a.end > b.start || a.value.includes(':') !== b.value.includes(':')) continue;
    if (!RANGE_JOINER.test(text.slice(a.end, b.start))) continue;
    hits.push({ kind: 'ip', start: a.start, end: b.end, value: `${a.value}-${b.value}` });
  }
}

function isIpv6Char(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x3a) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66) || c === 0x2e
  );
}

/** Whether [start, end) lies inside a UUID (STIX ids are full of digit runs). */
function isInUuid(text: string, start: number, end: number): boolean {
  const isUuidChar = (c: number): boolean =>
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66) || c === 0x2d;
  let s = start;
  while (s > 0 && isUuidChar(text.charCodeAt(s - 1))) s--;
  let e = end;
  while (e < text.length && isUuidChar(text.charCodeAt(e))) e++;
  const token = text.slice(s, e);
  if (token.length < 36) return false;
  // The run may hold the UUID after a `--` (indicator--<uuid>) or other hex.
  for (let k = 0; k + 36 <= token.length; k++) {
    if (k <= start - s && start - s < k + 36 && UUID_SHAPE.test(token.slice(k, k + 36)))
      return true;
  }
  return false;
}

// Stretches of digits and the punctuation phone numbers and ids are written with; the
// precise patterns run only inside them.
const NUMBER_WINDOW = /[+(]*[0-9][0-9\s().+-]*[0-9]\)?/g;

/** Phone numbers and Iranian national ids: always redacted. */
export function detectPersonalNumbers(text: string): DetectorHit[] {
  const hits: DetectorHit[] = [];
  const phones: DetectorHit[] = [];
  const ids: DetectorHit[] = [];
  NUMBER_WINDOW.lastIndex = 0;
  for (let w = NUMBER_WINDOW.exec(text); w !== null; w = NUMBER_WINDOW.exec(text)) {
    let digitCount = 0;
    for (let k = 0; k < w[0].length && digitCount < 7; k++) {
      const c = w[0].charCodeAt(k);
      if (c >= 0x30 && c <= 0x39) digitCount++;
    }
    if (digitCount < 7) continue;
    // Two characters of context on each side for the lookarounds and the dotted check.
    const from = Math.max(0, w.index - 2);
    const to = Math.min(text.length, w.index + w[0].length + 2);
    const windowText = text.slice(from, to);
    const inWindow = (m: RegExpExecArray): boolean =>
      from + m.index >= w!.index && from + m.index + m[0].length <= w!.index + w![0].length;
    const keep = (m: RegExpExecArray, min: number, max: number): string | null => {
      if (!inWindow(m)) return null;
      const digits = digitsOf(m[0]);
      if (digits.length < min || digits.length > max) return null;
      const start = from + m.index;
      const end = start + m[0].length;
      if (isInDottedNumber(text, start, end) || isInUuid(text, start, end)) return null;
      return digits;
    };
    for (const re of PHONES) {
      re.lastIndex = 0;
      for (let m = re.exec(windowText); m !== null; m = re.exec(windowText)) {
        const digits = keep(m, 7, 15);
        if (digits !== null) {
          phones.push({
            kind: 'phone',
            start: from + m.index,
            end: from + m.index + m[0].length,
            value: digits,
          });
        }
      }
    }
    NATIONAL_ID.lastIndex = 0;
    for (let m = NATIONAL_ID.exec(windowText); m !== null; m = NATIONAL_ID.exec(windowText)) {
      const digits = keep(m, 10, 10);
      if (digits !== null && isValidIranianNationalId(digits)) {
        ids.push({
          kind: 'national-id',
          start: from + m.index,
          end: from + m.index + m[0].length,
          value: digits,
        });
      }
    }
  }
  // The formats overlap ("+98 21 …" is landline and international): keep the unions.
  phones.sort((a, b) => a.start - b.start || b.end - a.end);
  for (const p of phones) {
    const last = hits[hits.length - 1];
    if (last !== undefined && p.start < last.end) {
      if (p.end > last.end) {
        hits[hits.length - 1] = {
          ...last,
          end: p.end,
          value: digitsOf(text.slice(last.start, p.end)),
        };
      }
    } else {
      hits.push(p);
    }
  }
  return [...hits, ...ids];
}
