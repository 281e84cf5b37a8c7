// The multilingual normalizer of rule R6 (docs/sharing.md), with an offset map back to the
// original string. Three views are derived, each mapped to original offsets:
//
//   decoded   percent-encoding, HTML/`\u` escapes, defanged forms and punycode labels
//             decoded, so that `%D9%88…`, `xn--…` and `moe[.]gov[.]example` read as text;
//   detector  `decoded` + NFKC, format/bidi controls, ZWNJ/ZWJ, soft hyphen and tatweel
//             removed, the digits of every script (\p{Nd}) and the number separators
//             of Arabic/Persian and ideographic text as ASCII. Case, spaces and
//             punctuation are kept: the email/URL/IP/phone/national-id detectors run here;
//   match     `detector` folded to a skeleton for Aho–Corasick: case-folded, diacritics
//             (Arabic harakat and Latin accents) removed, Arabic letter forms folded to
//             Persian ones, common Cyrillic/Greek look-alikes mapped to Latin, and every
//             separator (space, punctuation, symbol, ZWNJ) REMOVED. What was a separator is
//             remembered as a word boundary instead (see `MatchText.boundaries`).
//
// Why separators are removed: Persian writes the same compound with a space, a ZWNJ or
// nothing ("وزارت نفت", "وزارت‌نفت", "وزارتنفت"); English names appear as "Ministry of
// Energy", "ministry-of-energy", "Ministry_Of_Energy" or inside URLs and paths. Matching on
// the compacted skeleton makes all of these equal to the compacted term, while the
// boundary flags still let acronyms and short names require a word edge on both sides
// (so "NIOC" does not match inside "UNIOCX"). See redact-text.ts for which terms are
// whole-word.

import { MappedBuilder, identityMapped, originalSpan, replaceMapped } from './mapped-text.js';
import type { MappedText } from './mapped-text.js';
import { decodePunycode } from './punycode.js';

// ---------------------------------------------------------------------------------------
// Decoding layers

const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

function hexByte(text: string, at: number): number {
  return parseInt(text.slice(at + 1, at + 3), 16);
}

/** Length of the UTF-8 sequence starting with `lead`, or 0 if `lead` cannot start one. */
function utf8Length(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Decodes runs of `%XX` that form valid UTF-8; each decoded character maps to the span of
 * its own `%XX` triples. Bytes that are not valid UTF-8 stay as they were.
 */
function decodePercent(src: MappedText): MappedText {
  PERCENT_RUN.lastIndex = 0;
  let builder: MappedBuilder | null = null;
  let last = 0;
  for (let m = PERCENT_RUN.exec(src.text); m !== null; m = PERCENT_RUN.exec(src.text)) {
    builder ??= new MappedBuilder(src.text.length);
    builder.copy(src, last, m.index);
    const runEnd = m.index + m[0].length;
    let p = m.index;
    while (p < runEnd) {
      const lead = hexByte(src.text, p);
      const len = utf8Length(lead);
      let cp = -1;
      if (len > 0 && p + 3 * len <= runEnd) {
        cp = len === 1 ? lead : lead & (0xff >> (len + 1));
        for (let k = 1; k < len; k++) {
          const b = hexByte(src.text, p + 3 * k);
          if ((b & 0xc0) !== 0x80) {
            cp = -1;
            break;
          }
          cp = (cp << 6) | (b & 0x3f);
        }
        // Reject overlong forms and surrogates, which valid UTF-8 never contains.
        const min = [0, 0, 0x80, 0x800, 0x10000][len] ?? 0;
        if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) cp = -1;
      }
      if (cp >= 0) {
        const [s, e] = originalSpan(src, p, p + 3 * len);
        builder.push(String.fromCodePoint(cp), s, e);
        p += 3 * len;
      } else {
        builder.copy(src, p, p + 3);
        p += 3;
      }
    }
    last = runEnd;
  }
  if (builder === null) return src;
  builder.copy(src, last, src.text.length);
  return builder.build();
}

function codePointOrNull(value: number): string | null {
  if (!Number.isFinite(value) || value <= 0 || value > 0x10ffff) return null;
  if (value >= 0xd800 && value <= 0xdfff) return null;
  return String.fromCodePoint(value);
}

// `&#1608;`, `&#x648;` and `\u0648` (a surrogate pair as two escapes) as seen in HTML
// exports, scripts and JSON pasted into descriptions. Single-letter backslash escapes
// (`\n`) are NOT decoded: they collide with Windows paths such as `C:\Users\nioc`.
const CHAR_REFERENCE = /&#(?:[xX]([0-9A-Fa-f]{1,6})|([0-9]{1,7}));/g;
const UNICODE_ESCAPE =
  /\\u([dD][89abAB][0-9A-Fa-f]{2})\\u([dD][c-fC-F][0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})/g;

// Defanged indicators (the conventions of CERT reports, IOC feeds and ioc-fanger):
// `x[.]gov[.]ir`, `x(dot)ir`, `a[at]b`, `hxxp://`, `[:]//`, `fxp`.
const DEFANG =
  /(\s?[[({]\s?(?:\.|dot)\s?[\])}]\s?)|(\s?[[({]\s?(?:@|at)\s?[\])}]\s?)|\[(:\/\/|:|\/\/|\/)\]|\b(?:h(?:xx|\*\*|xt|tx)p(s?)|(fxp))(?=\b|\[)/gi;
const MAYBE_DEFANGED = /[[({]|h[x*]|fxp/i;

function refang(m: RegExpExecArray): string | null {
  if (m[1] !== undefined) return '.';
  if (m[2] !== undefined) return '@';
  if (m[3] !== undefined) return m[3];
  return m[5] !== undefined ? 'ftp' : `http${m[4] ?? ''}`;
}

const PUNYCODE_LABEL = /(?<![A-Za-z0-9-])[xX][nN]--[A-Za-z0-9-]+/g;

/** The decoding layers, in order: percent (twice, for double encoding), escapes, defang, punycode. */
export function decodeLayers(text: string): MappedText {
  let m = identityMapped(text);
  if (text.includes('%')) {
    m = decodePercent(m);
    if (m.text !== text && PERCENT_RUN.test(m.text)) m = decodePercent(m);
  }
  if (text.includes('&#')) {
    m = replaceMapped(m, CHAR_REFERENCE, (x) =>
      codePointOrNull(x[1] !== undefined ? parseInt(x[1], 16) : Number(x[2])),
    );
  }
  if (m.text.includes('\\u') || m.text.includes('\\U')) {
    m = replaceMapped(m, UNICODE_ESCAPE, (x) => {
      if (x[3] !== undefined) {
        const unit = parseInt(x[3], 16);
        return unit >= 0xd800 && unit <= 0xdfff ? null : String.fromCharCode(unit);
      }
      return String.fromCharCode(parseInt(x[1] ?? '', 16), parseInt(x[2] ?? '', 16));
    });
  }
  if (MAYBE_DEFANGED.test(m.text)) m = replaceMapped(m, DEFANG, refang);
  if (/xn--/i.test(m.text)) {
    m = replaceMapped(m, PUNYCODE_LABEL, (x) => decodePunycode(x[0].slice(4).toLowerCase()));
  }
  return m;
}

// ---------------------------------------------------------------------------------------
// Character classes

const MARK = /^\p{M}$/u;
const LETTER_OR_NUMBER = /^[\p{L}\p{N}]+$/u;
const FORMAT = /\p{Cf}/gu;

/** Script classes used for word boundaries in the match view. */
export const CharClass = { Latin: 1, Digit: 2, Arabic: 3, Other: 4 } as const;
export type CharClass = (typeof CharClass)[keyof typeof CharClass];

function classOf(code: number): CharClass {
  if (code >= 0x61 && code <= 0x7a) return CharClass.Latin;
  if (code >= 0x30 && code <= 0x39) return CharClass.Digit;
  if (
    (code >= 0x0600 && code <= 0x06ff) ||
    (code >= 0x0750 && code <= 0x077f) ||
    (code >= 0x08a0 && code <= 0x08ff) ||
    (code >= 0xfb50 && code <= 0xfdff) ||
    (code >= 0xfe70 && code <= 0xfeff)
  ) {
    return CharClass.Arabic;
  }
  if (code >= 0x41 && code <= 0x5a) return CharClass.Latin;
  if (code < 0x250) return CharClass.Latin;
  return CharClass.Other;
}

// ---------------------------------------------------------------------------------------
// Detector view

/**
 * Removed from every view. Format characters (\p{Cf}) cover the bidi controls
 * (U+200E/F, U+202A–202E, U+2066–2069, U+061C ALM), ZWNJ/ZWJ, ZWSP, the word joiner, the
 * BOM and the soft hyphen; U+0640 tatweel is a letter (Lm) used only to stretch words.
 */
const TATWEEL = /\u0640/g;

/** Removing these marks a word break: ZWNJ (Persian half-space) and ZWSP. */
const SOFT_BREAKS = new Set([0x200c, 0x200b]);

const DECIMAL_DIGIT = /^\p{Nd}$/u;

/**
 * The ASCII digit of a decimal digit of any script (\p{Nd}), or null. Unicode encodes every
 * decimal digit set as ten consecutive code points from zero to nine, and adjacent sets
 * follow one another, so a digit's value is its distance from the start of its run, mod 10.
 */
function asciiDigitOf(cp: number): string | null {
  if (cp < 0x80 || !DECIMAL_DIGIT.test(String.fromCodePoint(cp))) return null;
  let k = 0;
  while (k < 200 && DECIMAL_DIGIT.test(String.fromCodePoint(cp - k - 1))) k++;
  return String.fromCharCode(0x30 + (k % 10));
}

/**
 * Number separators of other scripts, as the ASCII a reader would see: Arabic/Persian
 * decimal (U+066B), thousands (U+066C) and percent (U+066A) signs and the Arabic comma;
 * ideographic full stop and comma (and their halfwidth forms, which NFKC leaves as the
 * ideographic ones). Fullwidth ．，％ already fold under NFKC. Without this, an address
 * written ۱۸۵٫۵۱٫۲۰۰٫۷ is no dotted quad to the detectors.
 */
const SEPARATOR_FOLDS: Readonly<Record<string, string>> = {
  '\u066b': '.',
  '\u066c': ',',
  '\u066a': '%',
  '\u060c': ',',
  '\u3002': '.',
  '\u3001': ',',
  '\uff61': '.',
  '\uff64': ',',
  '\u2e30': '.',
};

function foldNumberForms(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    out += SEPARATOR_FOLDS[ch] ?? asciiDigitOf(cp) ?? ch;
  }
  return out;
}

const detectorFolds = new Map<number, string>();
// Per BMP code unit: 0 not yet known, 1 unchanged in the detector view, 2 changed or removed.
const detectorStable = new Uint8Array(0x10000);

function foldCodePointForDetectors(cp: number): string {
  const cached = detectorFolds.get(cp);
  if (cached !== undefined) return cached;
  let folded = String.fromCodePoint(cp).normalize('NFKC').replace(FORMAT, '').replace(TATWEEL, '');
  folded = foldNumberForms(folded);
  // Bounded: input chooses the code points (BMP results also live in detectorStable).
  if (detectorFolds.size >= 100_000) detectorFolds.clear();
  detectorFolds.set(cp, folded);
  return folded;
}

function isStableForDetectors(c: number): boolean {
  let v = detectorStable[c];
  if (v === 0) {
    v = foldCodePointForDetectors(c) === String.fromCharCode(c) ? 1 : 2;
    detectorStable[c] = v;
  }
  return v === 1;
}

export interface DetectorText extends MappedText {
  /** Indices of units of `text` before which a ZWNJ/ZWSP was removed (ascending). */
  readonly softBreaks: readonly number[];
}

/**
 * The detector view of an already decoded text. NFKC is applied per code point, so every
 * output character maps to the span of the one it came from; canonical composition
 * across code points (e + U+0301 → é) is not needed because the match view decomposes
 * again and drops the marks. Runs of unchanged characters are copied in bulk.
 */
export function foldForDetectors(src: MappedText): DetectorText {
  const text = src.text;
  const n = text.length;
  // Most text (ASCII, ordinary Persian letters) is already in detector form.
  let first = 0;
  while (first < n) {
    const c = text.charCodeAt(first);
    if (c < 0x80 || ((c < 0xd800 || c > 0xdfff) && isStableForDetectors(c))) first++;
    else break;
  }
  if (first === n) return { ...src, softBreaks: [] };
  const out = new MappedBuilder(n);
  const softBreaks: number[] = [];
  out.copy(src, 0, first);
  let i = first;
  while (i < n) {
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c < 0x80 || ((c < 0xd800 || c > 0xdfff) && isStableForDetectors(c))) j++;
      else break;
    }
    if (j > i) {
      out.copy(src, i, j);
      i = j;
      continue;
    }
    const cp = text.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    const folded = foldCodePointForDetectors(cp);
    if (folded.length === 0) {
      if (SOFT_BREAKS.has(cp)) softBreaks.push(out.size);
    } else {
      const [s, e] = originalSpan(src, i, i + width);
      out.push(folded, s, e);
    }
    i += width;
  }
  return { ...out.build(), softBreaks };
}

// ---------------------------------------------------------------------------------------
// Match view

/**
 * Look-alikes mapped to the Latin letter they imitate (a subset of Unicode's confusables
 * for the letters used in Latin names and acronyms). Applied on the original case, before
 * case folding, because Greek/Cyrillic capitals imitate different letters than their
 * small forms (Η looks like H, η like n). Small Cyrillic м, т, н, к, в are left out: they
 * only imitate small capitals, and mapping them would turn ordinary Russian words such as
 * "мое" into Latin acronyms.
 */
const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic capitals
  А: 'a',
  В: 'b',
  Е: 'e',
  К: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  С: 'c',
  Т: 't',
  Х: 'x',
  У: 'y',
  Ѕ: 's',
  І: 'i',
  Ј: 'j',
  Ԛ: 'q',
  Ԝ: 'w',
  Ү: 'y',
  Һ: 'h',
  Ӏ: 'l',
  // Cyrillic small letters
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ј: 'j',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  ү: 'y',
  ё: 'e',
  ї: 'i',
  // Greek capitals
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ζ: 'z',
  Η: 'h',
  Ι: 'i',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
  // Greek small letters
  α: 'a',
  ο: 'o',
  ρ: 'p',
  ν: 'v',
  ι: 'i',
  υ: 'u',
  κ: 'k',
  χ: 'x',
  // Latin and Armenian look-alikes that NFKD keeps
  ı: 'i',
  ɡ: 'g',
  ɑ: 'a',
  ɩ: 'i',
  օ: 'o',
  ս: 'u',
};

/**
 * Letter folds applied after NFKD and mark removal. Decomposition already turns آ أ إ into
 * ا, ؤ into و, ئ into ي and ۀ into ە (the mark carrying the hamza or madda is dropped).
 * - ي (Arabic yeh) and ى (alef maksura) → ی (Persian yeh): Arabic keyboards and texts
 *   produce them for the Persian letter; dotless final forms are the same letter.
 * - ك (Arabic kaf) → ک (Persian keheh): same letter, different code point.
 * - ة (teh marbuta) → ه: its pausal pronunciation and the usual Persian spelling in names
 *   (علامة/علامه). Persian also writes many such words with ت (وزارة/وزارت, شركة/شرکت):
 *   redact-text.ts adds word-final ت/ه variants of each term for that case.
 * - ە ۀ ۂ ۃ ہ ھ (ae, heh with yeh, heh goal, Urdu/Kurdish heh forms) → ه.
 * - ٱ ٲ ٳ (alef wasla, alef with wavy hamza) → ا; ۍ ێ ې (Pashto/Kurdish yeh forms) → ی.
 * - ڪ (swash kaf) → ک. ß → ss and ς → σ complete the case folding.
 */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  '\u064a': '\u06cc',
  '\u0649': '\u06cc',
  '\u06cd': '\u06cc',
  '\u06ce': '\u06cc',
  '\u06d0': '\u06cc',
  '\u0643': '\u06a9',
  '\u06aa': '\u06a9',
  '\u0629': '\u0647',
  '\u06d5': '\u0647',
  '\u06c0': '\u0647',
  '\u06c1': '\u0647',
  '\u06c2': '\u0647',
  '\u06c3': '\u0647',
  '\u06be': '\u0647',
  '\u0671': '\u0627',
  '\u0672': '\u0627',
  '\u0673': '\u0627',
  ß: 'ss',
  ς: 'σ',
};

const SEPARATOR = 0;
const DROP = 1;
type MatchFold = { out: string; cls: CharClass } | typeof SEPARATOR | typeof DROP;

const matchCache = new Map<number, MatchFold>();

function foldCodePointForMatch(cp: number): MatchFold {
  const cached = matchCache.get(cp);
  if (cached !== undefined) return cached;
  const ch = String.fromCodePoint(cp);
  let result: MatchFold;
  const confusable = CONFUSABLES[ch];
  if (confusable !== undefined) {
    result = { out: confusable, cls: CharClass.Latin };
  } else {
    let out = '';
    for (const part of ch.toLowerCase().normalize('NFKD')) {
      if (MARK.test(part)) continue;
      out += LETTER_FOLDS[part] ?? CONFUSABLES[part] ?? part;
    }
    if (out.length === 0) result = DROP;
    else if (!LETTER_OR_NUMBER.test(out)) result = SEPARATOR;
    else result = { out, cls: classOf(out.charCodeAt(0)) };
  }
  if (matchCache.size >= 100_000) matchCache.clear();
  matchCache.set(cp, result);
  return result;
}

export interface MatchText extends MappedText {
  /**
   * boundaries[p] (0 ≤ p ≤ text.length) is 1 when position p, between units p-1 and p, is
   * a word edge: start or end of text, a removed separator (space, punctuation, symbol,
   * ZWNJ), a change of script class (Latin/digit/Arabic-script/other) or a camel-case
   * transition ("userNioc", "NIOCPortal").
   */
  readonly boundaries: Uint8Array;
}

// ASCII: 0 separator, 1 lower, 2 upper, 3 digit.
const ASCII_KIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= 0x61 && c <= 0x7a) ASCII_KIND[c] = 1;
  else if (c >= 0x41 && c <= 0x5a) ASCII_KIND[c] = 2;
  else if (c >= 0x30 && c <= 0x39) ASCII_KIND[c] = 3;
}

// Per BMP code unit, filled on first sight: 0 not yet known, -1 separator, -2 dropped
// (marks), -3 folds to several units (see matchFolds), else the folded unit + 1.
const matchUnit = new Int32Array(0x10000);
const matchClass = new Uint8Array(0x10000);
const UNIT_SEPARATOR = -1;
const UNIT_DROP = -2;
const UNIT_COMPLEX = -3;

function lookupMatchUnit(c: number): number {
  let v = matchUnit[c] ?? 0;
  if (v !== 0) return v;
  const f = foldCodePointForMatch(c);
  if (f === SEPARATOR) v = UNIT_SEPARATOR;
  else if (f === DROP) v = UNIT_DROP;
  else if (f.out.length === 1) {
    v = f.out.charCodeAt(0) + 1;
    matchClass[c] = f.cls;
  } else v = UNIT_COMPLEX;
  matchUnit[c] = v;
  return v;
}

const SCRATCH_LIMIT = 1 << 17;
let scratchCodes = new Uint16Array(0);
let scratchStarts = new Int32Array(0);
let scratchEnds = new Int32Array(0);
let scratchBoundaries = new Uint8Array(1);

function growScratch(size: number): void {
  scratchCodes = new Uint16Array(size);
  scratchStarts = new Int32Array(size);
  scratchEnds = new Int32Array(size);
  scratchBoundaries = new Uint8Array(size + 1);
}

/** The match view (compacted skeleton with word-boundary flags) of a detector view. */
export function foldForMatching(src: DetectorText, copy = true): MatchText {
  const text = src.text;
  const n = text.length;
  // Scratch buffers shared across calls (the function is not re-entrant); results are copies.
  // Texts beyond SCRATCH_LIMIT get buffers of their own so a huge string does not keep
  // its buffers alive after the call.
  const shared = n + 16 <= SCRATCH_LIMIT;
  if (shared && scratchCodes.length < n + 16) growScratch(Math.min(SCRATCH_LIMIT, (n + 16) * 2));
  let cap = shared ? scratchCodes.length : n + 16;
  let codes = shared ? scratchCodes : new Uint16Array(cap);
  let starts = shared ? scratchStarts : new Int32Array(cap);
  let ends = shared ? scratchEnds : new Int32Array(cap);
  let boundaries = shared ? scratchBoundaries : new Uint8Array(cap + 1);
  boundaries.fill(0, 0, n + 17);
  let len = 0;
  let pending = true;
  let prevCls = 0;
  // Case of the last two emitted ASCII letters (0 none/other, 1 lower, 2 upper).
  let prevCase = 0;
  let prevPrevCase = 0;
  let softPtr = 0;
  const soft = src.softBreaks;
  const srcStarts = src.starts;
  const srcEnds = src.ends;

  for (let i = 0; i < n;) {
    while (softPtr < soft.length && (soft[softPtr] ?? 0) <= i) {
      pending = true;
      softPtr++;
    }
    const c = text.charCodeAt(i);
    let out: string | null = null;
    let outCode = 0;
    let cls: number;
    let caseKind = 0;
    let width = 1;
    if (c < 0x80) {
      const kind = ASCII_KIND[c] ?? 0;
      if (kind === 0) {
        pending = true;
        prevCase = 0;
        prevPrevCase = 0;
        i++;
        continue;
      }
      outCode = kind === 2 ? c + 32 : c;
      cls = kind === 3 ? CharClass.Digit : CharClass.Latin;
      caseKind = kind === 3 ? 0 : kind;
    } else {
      let v: number;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const cp = text.codePointAt(i) ?? c;
        width = cp > 0xffff ? 2 : 1;
        const f = foldCodePointForMatch(cp);
        if (f === SEPARATOR) v = UNIT_SEPARATOR;
        else if (f === DROP) v = UNIT_DROP;
        else {
          v = UNIT_COMPLEX;
          out = f.out;
        }
        cls = f === SEPARATOR || f === DROP ? 0 : f.cls;
      } else {
        v = lookupMatchUnit(c);
        cls = matchClass[c] ?? 0;
        if (v === UNIT_COMPLEX) {
          const f = foldCodePointForMatch(c);
          if (f !== SEPARATOR && f !== DROP) {
            out = f.out;
            cls = f.cls;
          }
        }
      }
      if (v === UNIT_DROP) {
        // A dropped mark belongs to the letter before it: extend that letter's span so a
        // redacted name takes its diacritics along.
        if (!pending && len > 0) ends[len - 1] = srcEnds[i + width - 1] ?? 0;
        i += width;
        continue;
      }
      if (v === UNIT_SEPARATOR) {
        pending = true;
        prevCase = 0;
        prevPrevCase = 0;
        i += width;
        continue;
      }
      if (v > 0) outCode = v - 1;
    }
    const outLen = out === null ? 1 : out.length;
    if (len + outLen + 1 >= cap) {
      // Grown inline: a closure here would move the hot loop's variables to the heap.
      cap = (len + outLen + 1) * 2;
      const c2 = new Uint16Array(cap);
      c2.set(codes);
      codes = c2;
      const s2 = new Int32Array(cap);
      s2.set(starts);
      starts = s2;
      const e2 = new Int32Array(cap);
      e2.set(ends);
      ends = e2;
      const b2 = new Uint8Array(cap + 1);
      b2.set(boundaries);
      boundaries = b2;
      if (shared && cap <= SCRATCH_LIMIT) {
        scratchCodes = codes;
        scratchStarts = starts;
        scratchEnds = ends;
        scratchBoundaries = boundaries;
      }
    }
    let edge = pending || cls !== prevCls;
    if (caseKind === 2 && prevCase === 1) edge = true; // userNioc
    if (caseKind === 1 && prevCase === 2 && prevPrevCase === 2) boundaries[len - 1] = 1; // NIOCPortal
    if (edge) boundaries[len] = 1;
    const s = srcStarts[i] ?? 0;
    const e = srcEnds[i + width - 1] ?? 0;
    if (out === null) {
      codes[len] = outCode;
      starts[len] = s;
      ends[len] = e;
      len++;
    } else {
      for (let k = 0; k < out.length; k++) {
        codes[len] = out.charCodeAt(k);
        starts[len] = s;
        ends[len] = e;
        len++;
      }
    }
    prevPrevCase = prevCase;
    prevCase = caseKind;
    prevCls = cls;
    pending = false;
    i += width;
  }
  boundaries[len] = 1;
  let outText = '';
  for (let k = 0; k < len; k += 8192) {
    const chunk = codes.subarray(k, Math.min(len, k + 8192));
    outText += String.fromCharCode.apply(null, chunk as unknown as number[]);
  }
  // Views into the scratch buffers are valid only until the next call (scan() uses them
  // at once); callers that keep the result get copies.
  return copy
    ? {
        text: outText,
        starts: starts.slice(0, len),
        ends: ends.slice(0, len),
        boundaries: boundaries.slice(0, len + 1),
      }
    : {
        text: outText,
        starts: starts.subarray(0, len),
        ends: ends.subarray(0, len),
        boundaries: boundaries.subarray(0, len + 1),
      };
}

export interface NormalizedText {
  readonly original: string;
  readonly detector: DetectorText;
  readonly match: MatchText;
}

/**
 * All views of `text`, each with offsets into `text`. With `transient`, the match view's
 * arrays are views of buffers the next call overwrites (for scan(), which is done with them
 * before it returns).
 */
export function normalizeText(text: string, transient = false): NormalizedText {
  const detector = foldForDetectors(decodeLayers(text));
  return { original: text, detector, match: foldForMatching(detector, !transient) };
}

/** The compacted match skeleton of a term (what Aho–Corasick compares). */
export function normalizeTerm(term: string): string {
  return normalizeText(term).match.text;
}
