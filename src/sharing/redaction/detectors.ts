// Pattern detectors of R6, run on the detector view (decoded, NFKC, ASCII digits, case and
// punctuation kept). They only find candidates: whether an email, URL, domain or IP is
// protected is decided by redact-text.ts against the registry; phone numbers and national
// ids are always redacted.

import { parseIpv4, parseIpv6 } from './ip-ranges.js';

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

const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}_-]*[\p{L}\p{N}])?`;
const HOSTNAME = String.raw`(?:${LABEL}\.)+${LABEL}`;

const EMAIL = new RegExp(String.raw`(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@(${HOSTNAME})`, 'gu');
const URL_RE = /\b(?:https?|ftps?|sftp|wss?):\/\/[^\s<>"'`]+/giu;
const DOMAIN = new RegExp(
  String.raw`(?<![\p{L}\p{N}_@.-])${HOSTNAME}(?![\p{L}\p{N}_-]|\.[\p{L}\p{N}])`,
  'gu',
);
const IPV4 = /(?<![\p{N}.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![\p{N}]|\.[\p{N}])/gu;
const IPV6 =
  /(?<![\p{L}\p{N}:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:[0-9]{1,3}\.){3}[0-9]{1,3})?(?![\p{L}\p{N}:])/gu;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

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

function collect(
  text: string,
  re: RegExp,
  kind: DetectorKind,
  out: DetectorHit[],
  value: (m: RegExpExecArray) => string | null,
): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const v = value(m);
    if (v !== null) out.push({ kind, start: m.index, end: m.index + m[0].length, value: v });
  }
}

/** Emails, URLs, domains and IPs: candidates whose protection the caller decides. */
export function detectNetworkValues(text: string): DetectorHit[] {
  const hits: DetectorHit[] = [];
  if (text.includes('@')) collect(text, EMAIL, 'email', hits, (m) => (m[1] ?? '').toLowerCase());
  if (text.includes('://')) {
    URL_RE.lastIndex = 0;
    for (let m = URL_RE.exec(text); m !== null; m = URL_RE.exec(text)) {
      const url = trimUrl(m[0]);
      const host = hostOfUrl(url);
      if (host !== '')
        hits.push({ kind: 'url', start: m.index, end: m.index + url.length, value: host });
    }
  }
  if (text.includes('.')) {
    collect(text, DOMAIN, 'domain', hits, (m) => m[0].toLowerCase());
    collect(text, IPV4, 'ip', hits, (m) => (parseIpv4(m[0]) === null ? null : m[0]));
  }
  if (text.includes(':')) {
    collect(text, IPV6, 'ip', hits, (m) => (parseIpv6(m[0]) === null ? null : m[0]));
  }
  return hits;
}

/** Phone numbers and Iranian national ids: always redacted. */
export function detectPersonalNumbers(text: string): DetectorHit[] {
  const hits: DetectorHit[] = [];
  if (!/[0-9]{3}/.test(text) && !/[0-9][\s.\-()]?[0-9][\s.\-()]?[0-9]/.test(text)) return hits;
  const uuids: [number, number][] = [];
  UUID.lastIndex = 0;
  for (let m = UUID.exec(text); m !== null; m = UUID.exec(text)) {
    uuids.push([m.index, m.index + m[0].length]);
  }
  const inUuid = (s: number, e: number): boolean => uuids.some(([a, b]) => s < b && e > a);
  const keep = (m: RegExpExecArray, minDigits: number, maxDigits: number): string | null => {
    const digits = digitsOf(m[0]);
    if (digits.length < minDigits || digits.length > maxDigits) return null;
    const end = m.index + m[0].length;
    if (isInDottedNumber(text, m.index, end) || inUuid(m.index, end)) return null;
    return digits;
  };
  const phones: DetectorHit[] = [];
  PHONES.forEach((re) => collect(text, re, 'phone', phones, (m) => keep(m, 7, 15)));
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
  collect(text, NATIONAL_ID, 'national-id', hits, (m) => {
    const digits = keep(m, 10, 10);
    return digits !== null && isValidIranianNationalId(digits) ? digits : null;
  });
  return hits;
}
