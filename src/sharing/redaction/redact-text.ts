// Text redaction of R6: registry terms (names, aliases, acronyms, person names, domains) in
// any spelling via the normalizer and one Aho–Corasick pass, plus the detectors. Emails,
// URLs, domains and IPs are redacted only when they belong to a protected entity, so the
// attacker's indicators stay intact; phone numbers and national ids always are.
//
// Which terms must match on word edges (decided here, documented in the report):
// - acronyms, person names and domains/hostnames: always whole-word (both ends on a
//   boundary: separator, script change, camel-case edge, start/end of text);
// - names and aliases: whole-word when their compacted skeleton is shorter than
//   `minSubstringLength` (default 7), otherwise also inside longer tokens, which catches
//   Persian clitics written without space ("بوزارت‌نیرو", "وزارتنیروی") and names glued into
//   hosts or paths ("ministryofenergy-portal").
// Inside a term, separators never matter: "وزارت نیرو", "وزارت‌نیرو" and "وزارتنیرو" are
// the same skeleton (see normalize-text.ts).

import { createAhoCorasick } from './aho-corasick.js';
import type { AcTerm } from './aho-corasick.js';
import { detectNetworkValues, detectPersonalNumbers } from './detectors.js';
import type { DetectorHit } from './detectors.js';
import { createCidrMatcher, parseCidr, parseIp } from './ip-ranges.js';
import { normalizeTerm, normalizeText } from './normalize-text.js';
import { createRegistryNumberMatcher } from './registry-numbers.js';
import { expandForms } from './decode-forms.js';
import { domainToUnicodeLoose } from './punycode.js';

export type TextHitKind =
  | 'entity'
  | 'email'
  | 'url'
  | 'ip'
  | 'phone'
  | 'national-id'
  | 'domain'
  | 'asn'
  | 'postal-code'
  /** A span that decodes (base64, hex, compression…) to text with a protected hit: redacted whole. */
  | 'encoded'
  /** A long blob that cannot be decoded to text with certainty: removed (fail closed). */
  | 'opaque';

/** Which registry field a term hit came from (for audits: never the matched text). */
export type TermSource = 'name' | 'alias' | 'acronym' | 'person' | 'domain';

export interface TextHit {
  readonly kind: TextHitKind;
  /** The protected entity this span belongs to (terms, and network values in the registry). */
  readonly entityId?: string;
  /** For term hits: the registry field that matched. */
  readonly source?: TermSource;
  /** Offsets in the ORIGINAL string (UTF-16 units), end exclusive. */
  readonly start: number;
  readonly end: number;
}

export interface RedactionEntity {
  readonly id: string;
  readonly names: readonly string[];
  readonly aliases?: readonly string[];
  readonly acronyms?: readonly string[];
  readonly domains?: readonly string[];
  readonly emailDomains?: readonly string[];
  readonly hostnames?: readonly string[];
  readonly personNames?: readonly string[];
  /** Protected networks (IPv4/IPv6 CIDR or single addresses). */
  readonly cidrs?: readonly string[];
  /** Matched in text in their common spellings (`AS64500`, `ASN 64500`, `AS-64500`). */
  readonly asNumbers?: readonly number[];
  /** Matched as digits whatever their checksum or grouping. */
  readonly nationalIds?: readonly string[];
  readonly phones?: readonly string[];
  readonly postalCodes?: readonly string[];
}

export interface RedactionRegistry {
  readonly entities: readonly RedactionEntity[];
  /**
   * Terms that may appear as they are (the CERT itself, vendors, actor personas): a term hit
   * lying entirely inside an occurrence of an allow term is not reported.
   */
  readonly allowTerms?: readonly string[];
}

export interface TextRedactorOptions {
  /** Names/aliases with a skeleton at least this long also match inside longer words. */
  readonly minSubstringLength?: number;
  /**
   * Spans of the original text matching one of these (global or not) are never reported,
   * e.g. the engine's own pseudonym labels `/Victim-[A-Z2-7]{8}/` during the egress re-scan.
   */
  readonly ignorePatterns?: readonly RegExp[];
}

export interface ScanOptions {
  /**
   * Digests and fuzzy hashes (`hashes` values) are random by nature: opaque blobs there are
   * not reported (encoded text still is).
   */
  readonly allowOpaque?: boolean;
}

/** A registry term that could not be compiled (too short to match safely). */
export interface RejectedTerm {
  readonly entityId: string;
  readonly source: TermSource;
  readonly reason: string;
}

export interface RedactionResult {
  readonly text: string;
  readonly hits: TextHit[];
}

export interface TextRedactor {
  /** Non-overlapping protected spans of `text`, ordered by start. */
  scan(text: string, options?: ScanOptions): TextHit[];
  /**
   * `text` with every hit replaced: entity terms by `labelFor(hit)` (the entity's pseudonym
   * label), everything else by `[REDACTED:<kind>]`. All other characters stay byte-identical.
   */
  redact(text: string, labelFor: (hit: TextHit) => string): RedactionResult;
  /**
   * R13 egress re-scan of serialized JSON (a string or its UTF-8 bytes): true when any
   * string in it (keys included) has a hit. JSON is parsed so `\u0648`-escaped text is seen
   * decoded; text that is not JSON is scanned after decoding JSON string escapes.
   */
  containsProtected(json: string | Uint8Array): boolean;
  /** Terms ignored at build time; the configuration layer should refuse or warn. */
  readonly rejected: readonly RejectedTerm[];
  /** CIDR strings that did not parse; the configuration layer should refuse them. */
  readonly invalidCidrs: readonly string[];
}

interface TermMeta {
  readonly kind: 'entity' | 'domain' | 'allow';
  readonly entityId?: string;
  readonly source?: TermSource;
}

const DEFAULT_MIN_SUBSTRING_LENGTH = 7;
/** Characters of the texts scanPlain remembers (see plainHits), and the longest one it remembers. */
const MAX_PLAIN_MEMO_CHARS = 512 * 1024;
const MAX_PLAIN_MEMO_TEXT = 512;
const WORD_SPLIT = /[\s\p{P}\p{S}\u200b\u200c]+/u;
const MAX_VARIANTS = 16;

/**
 * Skeletons of a term: the term itself, plus the spellings where a word-final ت is written
 * ه and vice versa, because Persian writes Arabic ة-words either way (وزارت/وزارة→وزاره,
 * شرکت/شركة→شرکه). Only Arabic-script words of 3+ letters get the alternative.
 */
function termVariants(raw: string): string[] {
  const base = normalizeTerm(raw);
  const words = raw
    .split(WORD_SPLIT)
    .map(normalizeTerm)
    .filter((w) => w.length > 0);
  let variants = [''];
  for (const w of words) {
    const last = w.charAt(w.length - 1);
    const alt =
      w.length >= 3 && (last === '\u062a' || last === '\u0647')
        ? w.slice(0, -1) + (last === '\u062a' ? '\u0647' : '\u062a')
        : null;
    const next: string[] = [];
    for (const v of variants) {
      next.push(v + w);
      if (alt !== null && next.length < MAX_VARIANTS) next.push(v + alt);
    }
    variants = next;
  }
  return [...new Set([base, ...variants])].filter((v) => v.length > 0);
}

function canonicalDomain(domain: string): string {
  // Fast path: the detectors hand over lower-case ASCII names.
  if (/^[a-z0-9._-]*$/.test(domain) && !domain.includes('xn--') && !domain.endsWith('.')) {
    return domain;
  }
  const d = domain.normalize('NFKC').trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
  return domainToUnicodeLoose(d);
}

function decodeJsonEscapes(text: string): string {
  return text.replace(/\\(["\\/bfnrt])/g, (_m, c: string) => {
    const map: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    return map[c] ?? c;
  });
}

/** A string of a JSON value to scan, and whether it is a digest (a `hashes` value). */
export interface ScannableString {
  readonly text: string;
  readonly digest: boolean;
}

/** Every string of a JSON value, keys included; values of `hashes` dictionaries are digests. */
export function collectScannable(value: unknown, out: ScannableString[], digest = false): void {
  if (typeof value === 'string') out.push({ text: value, digest });
  else if (Array.isArray(value)) for (const v of value) collectScannable(v, out, digest);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      // Not serialized, so not scanned (a parsed value never holds undefined).
      if (v === undefined) continue;
      out.push({ text: k, digest: false });
      collectScannable(v, out, k === 'hashes' && v !== null && typeof v === 'object');
    }
  }
}

/**
 * Whether `test` holds for one of the strings collectScannable lists, tried in its order and
 * without building the list (stops at the first).
 */
export function someScannable(
  value: unknown,
  test: (text: string, digest: boolean) => boolean,
  digest = false,
): boolean {
  if (typeof value === 'string') return test(value, digest);
  if (Array.isArray(value)) {
    for (const v of value) if (someScannable(v, test, digest)) return true;
    return false;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      if (test(k, false)) return true;
      if (someScannable(v, test, k === 'hashes' && v !== null && typeof v === 'object'))
        return true;
    }
  }
  return false;
}

const UUID_SHAPE = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * Whether [start, end) lies inside a hash-like hex run (16+ hex digits, some of them
 * decimal) or a UUID. An acronym made of the letters a–f ("CAFE", "FDA") occurs by chance in
 * hashes and STIX ids; those are indicators and identifiers, not mentions, and redacting
 * them would corrupt the indicator or withhold every object whose id happens to contain it.
 */
function isInsideHexToken(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (!isHexDigit(text.charCodeAt(k))) return false;
  let s = start;
  while (s > 0 && isHexDigit(text.charCodeAt(s - 1))) s--;
  let e = end;
  while (e < text.length && isHexDigit(text.charCodeAt(e))) e++;
  if (e - s >= 16 && /[0-9]/.test(text.slice(s, e))) return true;
  const from = Math.max(0, start - 36);
  const window = text.slice(from, Math.min(text.length, end + 36));
  UUID_SHAPE.lastIndex = 0;
  for (let m = UUID_SHAPE.exec(window); m !== null; m = UUID_SHAPE.exec(window)) {
    if (from + m.index <= start && end <= from + m.index + m[0].length) return true;
  }
  return false;
}

/** Sorts spans by start, for `isInsideAny`. */
function sortSpans(spans: [number, number][]): [number, number][] {
  return spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
}

/**
 * Whether [start, end) lies inside one of `spans` (sorted by start). Binary search for the
 * last span starting at or before `start`, then a look back over the few that may still
 * reach `end` (spans seldom nest).
 */
function isInsideAny(spans: readonly [number, number][], start: number, end: number): boolean {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((spans[mid]?.[0] ?? 0) <= start) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo - 1, seen = 0; k >= 0 && seen < 64; k--, seen++) {
    const span = spans[k];
    if (span !== undefined && span[1] >= end) return true;
  }
  return false;
}

const HIT_PRIORITY: Readonly<Record<TextHitKind, number>> = {
  url: 0,
  email: 1,
  domain: 2,
  ip: 3,
  entity: 4,
  phone: 5,
  'national-id': 6,
  asn: 7,
  'postal-code': 8,
  encoded: 9,
  opaque: 10,
};

/**
 * Merges overlapping hits into their union so nothing of either leaks; the merged hit takes
 * the kind (and entity) of its longest part, ties broken by HIT_PRIORITY.
 */
function resolveOverlaps(hits: TextHit[]): TextHit[] {
  hits.sort(
    (a, b) =>
      a.start - b.start ||
      b.end - a.end ||
      HIT_PRIORITY[a.kind] - HIT_PRIORITY[b.kind] ||
      // Plain code-unit order, not localeCompare: the result must not depend on the locale.
      ((a.entityId ?? '') < (b.entityId ?? '')
        ? -1
        : (a.entityId ?? '') > (b.entityId ?? '')
          ? 1
          : 0),
  );
  const out: TextHit[] = [];
  let cur: TextHit | undefined;
  let curBest: TextHit | undefined;
  for (const h of hits) {
    if (cur !== undefined && curBest !== undefined && h.start < cur.end) {
      const hLen = h.end - h.start;
      const bLen = curBest.end - curBest.start;
      if (hLen > bLen || (hLen === bLen && HIT_PRIORITY[h.kind] < HIT_PRIORITY[curBest.kind])) {
        curBest = h;
      }
      cur = { ...curBest, start: cur.start, end: Math.max(cur.end, h.end) };
      continue;
    }
    if (cur !== undefined) out.push(cur);
    cur = h;
    curBest = h;
  }
  if (cur !== undefined) out.push(cur);
  return out;
}

export function createTextRedactor(
  registry: RedactionRegistry,
  options: TextRedactorOptions = {},
): TextRedactor {
  const minSubstring = options.minSubstringLength ?? DEFAULT_MIN_SUBSTRING_LENGTH;
  const acTerms: AcTerm[] = [];
  const metas: TermMeta[] = [];
  const rejected: RejectedTerm[] = [];
  const domainOwners = new Map<string, string>();
  const cidrEntries: { cidr: string; owner: string }[] = [];

  const addTerm = (raw: string, meta: TermMeta, alwaysWholeWord: boolean): void => {
    const variants = termVariants(raw).filter((text) => text.length >= 2);
    if (variants.length === 0) {
      // A term that normalizes to less than two characters would match almost anywhere.
      if (meta.entityId !== undefined && meta.source !== undefined) {
        rejected.push({
          entityId: meta.entityId,
          source: meta.source,
          reason: 'shorter than 2 letters or digits once normalized',
        });
      }
      return;
    }
    for (const text of variants) {
      acTerms.push({ text, wholeWord: alwaysWholeWord || text.length < minSubstring });
      metas.push(meta);
    }
  };

  for (const e of registry.entities) {
    const entityId = e.id;
    for (const n of e.names) addTerm(n, { kind: 'entity', entityId, source: 'name' }, false);
    for (const n of e.aliases ?? [])
      addTerm(n, { kind: 'entity', entityId, source: 'alias' }, false);
    for (const n of e.acronyms ?? [])
      addTerm(n, { kind: 'entity', entityId, source: 'acronym' }, true);
    for (const n of e.personNames ?? [])
      addTerm(n, { kind: 'entity', entityId, source: 'person' }, true);
    for (const d of [...(e.domains ?? []), ...(e.emailDomains ?? []), ...(e.hostnames ?? [])]) {
      const canonical = canonicalDomain(d);
      if (canonical.length === 0) continue;
      if (!domainOwners.has(canonical)) domainOwners.set(canonical, entityId);
      addTerm(canonical, { kind: 'domain', entityId, source: 'domain' }, true);
    }
    for (const c of e.cidrs ?? []) cidrEntries.push({ cidr: c, owner: entityId });
  }
  const registryNumbers = createRegistryNumberMatcher({
    nationalIds: registry.entities.flatMap((e) => e.nationalIds ?? []),
    phones: registry.entities.flatMap((e) => e.phones ?? []),
    postalCodes: registry.entities.flatMap((e) => e.postalCodes ?? []),
    asNumbers: registry.entities.flatMap((e) => e.asNumbers ?? []),
  });
  for (const t of registry.allowTerms ?? []) addTerm(t, { kind: 'allow' }, false);

  const automaton = createAhoCorasick(acTerms);
  const { matcher: cidrs, invalid: invalidCidrs } = createCidrMatcher(cidrEntries);
  const ignorePatterns = (options.ignorePatterns ?? []).map(
    (re) => new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`),
  );

  const domainOwner = (name: string): string | undefined => {
    let n = canonicalDomain(name);
    for (;;) {
      const owner = domainOwners.get(n);
      if (owner !== undefined) return owner;
      const dot = n.indexOf('.');
      if (dot < 0) return undefined;
      n = n.slice(dot + 1);
    }
  };

  // An address, a network (`addr/n`) or a range (`first-last`): protected when it shares
  // any address with a protected network.
  const ownerOfAddressText = (value: string): string | undefined => {
    const dash = value.indexOf('-');
    if (dash > 0) {
      const first = parseIp(value.slice(0, dash));
      const last = parseIp(value.slice(dash + 1));
      if (first === null || last === null || first.version !== last.version) return undefined;
      const [lo, hi] = first.value <= last.value ? [first, last] : [last, first];
      return cidrs.overlapping(lo.version, lo.value, hi.value) ?? cidrs.lookup(lo);
    }
    if (value.includes('/')) {
      const net = parseCidr(value);
      if (net === null) return cidrs.lookup(value.slice(0, value.indexOf('/')));
      const size = 1n << BigInt((net.version === 4 ? 32 : 128) - net.prefix);
      return cidrs.overlapping(net.version, net.base, net.base + size - 1n);
    }
    return cidrs.lookup(value);
  };

  const ownerOfNetworkValue = (h: DetectorHit): string | undefined => {
    switch (h.kind) {
      case 'ip':
        return ownerOfAddressText(h.value);
      case 'url': {
        const ip = parseIp(h.value);
        return ip !== null ? cidrs.lookup(ip) : domainOwner(h.value);
      }
      default:
        return domainOwner(h.value);
    }
  };

  const scanPlain = (text: string): TextHit[] => {
    if (text.length === 0) return [];
    const { detector, match } = normalizeText(text, true);
    const hits: TextHit[] = [];
    const toOriginal = (start: number, end: number): [number, number] => [
      detector.starts[start] ?? 0,
      detector.ends[end - 1] ?? 0,
    ];
    // Spans of addresses that are not protected: a term found inside one is chance
    // (2001:db8:cafe::1 and the acronym CAFE), not a mention.
    const addresses: [number, number][] = [];
    for (const h of detectNetworkValues(detector.text)) {
      const owner = ownerOfNetworkValue(h);
      const [start, end] = toOriginal(h.start, h.end);
      if (owner !== undefined) hits.push({ kind: h.kind, entityId: owner, start, end });
      else if (h.kind === 'ip') addresses.push([start, end]);
    }
    for (const h of detectPersonalNumbers(detector.text)) {
      const [start, end] = toOriginal(h.start, h.end);
      hits.push({ kind: h.kind, start, end });
    }
    for (const h of registryNumbers.find(detector.text)) {
      const [start, end] = toOriginal(h.start, h.end);
      hits.push({ kind: h.kind, start, end });
    }
    const allowed: [number, number][] = [];
    const termHits: TextHit[] = [];
    for (const m of automaton.scan(match.text, match.boundaries)) {
      const meta = metas[m.term];
      if (meta === undefined) continue;
      const start = match.starts[m.start] ?? 0;
      const end = match.ends[m.end - 1] ?? 0;
      if (meta.kind === 'allow') allowed.push([start, end]);
      else
        termHits.push({
          kind: meta.kind,
          entityId: meta.entityId,
          source: meta.source,
          start,
          end,
        });
    }
    sortSpans(allowed);
    sortSpans(addresses);
    for (const h of termHits) {
      if (isInsideAny(allowed, h.start, h.end)) continue;
      if (isInsideHexToken(text, h.start, h.end)) continue;
      if (isInsideAny(addresses, h.start, h.end)) continue;
      hits.push(h);
    }
    let result = hits;
    if (ignorePatterns.length > 0 && hits.length > 0) {
      const ignored: [number, number][] = [];
      for (const re of ignorePatterns) {
        re.lastIndex = 0;
        for (let m = re.exec(text); m !== null; m = re.exec(text)) {
          if (m[0].length === 0) re.lastIndex++;
          else ignored.push([m.index, m.index + m[0].length]);
        }
      }
      sortSpans(ignored);
      result = hits.filter((h) => !isInsideAny(ignored, h.start, h.end));
    }
    return resolveOverlaps(result);
  };

  // Every decoded form is judged like the text itself (decode-forms.ts). A hit in an
  // in-place form keeps its own span; a hit in a block form covers the whole block.
  // scanPlain answers for the text alone, and the same texts come back: vocabulary values,
  // words, and the decoded forms of words (a word read as base64 is a form of every text
  // that holds it). Remembered per redactor, bounded by the characters of the texts held
  // (emptied when full); callers get copies of the arrays.
  const plainMemo = new Map<string, TextHit[]>();
  let plainMemoChars = 0;
  const plainHits = (text: string): TextHit[] => {
    if (text.length > MAX_PLAIN_MEMO_TEXT) return scanPlain(text);
    let hits = plainMemo.get(text);
    if (hits === undefined) {
      hits = scanPlain(text);
      if (plainMemoChars + text.length > MAX_PLAIN_MEMO_CHARS) {
        plainMemo.clear();
        plainMemoChars = 0;
      }
      plainMemo.set(text, hits);
      plainMemoChars += text.length;
    }
    return hits;
  };

  const scan = (text: string, scanOptions: ScanOptions = {}): TextHit[] => {
    const hits = plainHits(text);
    const { forms, opaque } = expandForms(text);
    if (forms.length === 0 && opaque.length === 0) return [...hits];
    const all = [...hits];
    for (const form of forms) {
      for (const h of plainHits(form.text)) {
        const start = form.starts[h.start] ?? 0;
        const end = form.ends[h.end - 1] ?? 0;
        all.push(form.block ? { kind: 'encoded', start, end } : { ...h, start, end });
      }
    }
    if (scanOptions.allowOpaque !== true) {
      for (const [start, end] of opaque) all.push({ kind: 'opaque', start, end });
    }
    return all.length === hits.length ? all : resolveOverlaps(all);
  };

  const redact = (text: string, labelFor: (hit: TextHit) => string): RedactionResult => {
    const hits = scan(text);
    if (hits.length === 0) return { text, hits };
    let out = '';
    let last = 0;
    for (const h of hits) {
      out += text.slice(last, h.start);
      out += h.kind === 'entity' ? labelFor(h) : `[REDACTED:${h.kind}]`;
      last = h.end;
    }
    out += text.slice(last);
    return { text: out, hits };
  };

  const utf8 = new TextDecoder('utf-8');
  const containsProtected = (json: string | Uint8Array): boolean => {
    const text = typeof json === 'string' ? json : utf8.decode(json);
    const first = text.trimStart().charAt(0);
    if (first === '{' || first === '[' || first === '"') {
      let parsed: unknown;
      let ok = true;
      try {
        parsed = JSON.parse(text);
      } catch {
        ok = false;
      }
      if (ok) {
        const strings: ScannableString[] = [];
        collectScannable(parsed, strings);
        return strings.some((s) => scan(s.text, { allowOpaque: s.digest }).length > 0);
      }
    }
    return scan(decodeJsonEscapes(text)).length > 0;
  };

  return { scan, redact, containsProtected, rejected, invalidCidrs };
}
