// Decode before judging (R6): every form a reader could decode a string to, each mapped back
// to the original, so that the same detectors judge them all. Two kinds of form:
//
//   in place  character-level encodings decoded where they stand, each character keeping
//             the span of its own escape (a hit redacts exactly its escapes): `\xHH` and
//             `%XX` and `=XX` (quoted-printable) byte runs read as UTF-8, percent encoding
//             repeated until stable, `\u{…}`, `\UXXXXXXXX`, `%uXXXX`, `&#…;` and named
//             HTML entities (also `&amp;`-escaped), char-code calls and arrays
//             (`[char]77`, `chr(77)`, `String.fromCharCode(77,79)`), string concatenation
//             (`'Ki'+'an'`), markup tags (`<b>Ki</b>an`) and quoted-printable soft breaks;
//   block     a span that decodes as a whole: base64 (standard, URL-safe, MIME line-
//             wrapped, at any alignment; inside PowerShell -enc, FromBase64String(…),
//             data: URIs or anywhere), hex (`4b69…`, `4b 69 …`, `0x4b,0x69,…`), RFC 2047
//             encoded words, decimal code lists (`[75,105,97,110]`); bytes read as
//             UTF-8, UTF-16LE or UTF-16BE, after gzip/zlib/raw-deflate inflation when they
//             are compressed. Every character of a block form maps to the whole block:
//             base64 cannot be re-encoded around a cut, so a hit redacts the whole span.
//
// Forms are expanded again (nesting) up to MAX_DEPTH and within a size budget. A block that
// decodes to no text and is long and random-looking is *opaque*: the caller removes it
// (fail closed), as it does when the budget runs out.
import { TextDecoder } from 'node:util';
import { sharedFormsMemo as formsMemo } from './forms-memo.js';
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { rawDeflateFails } from './deflate-check.js';
import {
  MappedBuilder,
  identityMapped,
  originalSpan,
  replaceMapped,
  type MappedText,
} from './mapped-text.js';

export interface DecodedForm extends MappedText {
  /** True when some step was a block decoding (hits then cover whole blocks). */
  readonly block: boolean;
}

export interface ExpandedForms {
  readonly forms: DecodedForm[];
  /** Original spans that could not be decoded to text with certainty. */
  readonly opaque: [number, number][];
}

const MAX_DEPTH = 6;
/** Minimum base64 run (characters) considered at all: 8 characters are 6 bytes (`1.2.3.4` is 12). */
const MIN_BASE64 = 8;
/** Base64-looking runs at least this long that decode to no text are opaque. */
const MIN_OPAQUE_BASE64 = 24;
/** Hex that decodes to no text is a digest or an identifier up to this many bytes. */
const MAX_DIGEST_BYTES = 64;
const MAX_INFLATED = 1 << 20;

// ---------------------------------------------------------------------------------------
// Bytes → text

// Buffer decoding: malformed input decodes to U+FFFD, which isReadableText refuses (and it
// is much cheaper than TextDecoder on short inputs, where an undecodable digest is common).
type Decoder = (bytes: Uint8Array) => string;
const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const utf8: Decoder = (bytes) => asBuffer(bytes).toString('utf8');
const utf16le: Decoder = (bytes) => asBuffer(bytes).toString('utf16le');
const utf16be: Decoder = (bytes) => Buffer.from(bytes).swap16().toString('utf16le');
const TEXT_CHAR = /[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}\t\r\n\u200c\u200d]/u;

/** Text a person would read: no NUL or other controls, at least 90% letters, digits, punctuation and spaces. */
export function isReadableText(text: string): boolean {
  if (text.length === 0) return false;
  let good = 0;
  let total = 0;
  for (const ch of text) {
    total++;
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0 || c === 0xfffd) return false;
    if (c < 0x80) {
      if ((c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d) good++;
    } else if (TEXT_CHAR.test(ch)) good++;
  }
  return good >= 0.9 * total;
}

function tryDecode(decoder: Decoder, bytes: Uint8Array): string | null {
  const text = decoder(bytes);
  return isReadableText(text) ? text : null;
}

function inflated(bytes: Uint8Array, raw: boolean): Uint8Array | null {
  // Most blocks tried are not compressed, and zlib refuses them with an Error whose stack trace
  // cost more than the attempt itself: no stack is taken, as the error is only caught.
  const stackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return inflatedOnce(bytes, raw);
  } finally {
    Error.stackTraceLimit = stackLimit;
  }
}

function inflatedOnce(bytes: Uint8Array, raw: boolean): Uint8Array | null {
  const opts = { maxOutputLength: MAX_INFLATED };
  const b0 = bytes[0] ?? 0;
  const b1 = bytes[1] ?? 0;
  try {
    if (b0 === 0x1f && b1 === 0x8b) return gunzipSync(bytes, opts);
    if ((b0 & 0x0f) === 8 && ((b0 << 8) | b1) % 31 === 0) {
      // The zlib wrapper's deflate data starts after its two header bytes.
      return rawDeflateFails(bytes.subarray(2)) ? null : inflateSync(bytes, opts);
    }
  } catch {
    return null;
  }
  // Raw deflate has no signature; a first block of type 3 is invalid, and a stored block
  // (type 0) carries its length twice, the second time inverted (RFC 1951 §3.2.4).
  if (!raw || (b0 & 0x06) === 0x06) return null;
  if ((b0 & 0x06) === 0 && !isStoredBlockHeader(bytes)) return null;
  // Most candidates are words read as base64: refused here without setting up a stream.
  if (rawDeflateFails(bytes)) return null;
  try {
    return inflateRawSync(bytes, opts);
  } catch {
    return null;
  }
}

function isStoredBlockHeader(bytes: Uint8Array): boolean {
  if (bytes.length < 5) return false;
  const len = bytes[1]! | (bytes[2]! << 8);
  const nlen = bytes[3]! | (bytes[4]! << 8);
  return (len ^ nlen) === 0xffff;
}

/**
 * UTF-16 text uses few 256-character blocks (ASCII, Arabic, Cyrillic…): random bytes read
 * as UTF-16 scatter over hundreds. Three blocks must cover 85% of the units.
 */
function isFewBlocks(text: string): boolean {
  const counts = new Map<number, number>();
  for (let k = 0; k < text.length; k++) {
    const high = text.charCodeAt(k) >> 8;
    counts.set(high, (counts.get(high) ?? 0) + 1);
  }
  const top = [...counts.values()].sort((a, b) => b - a).slice(0, 3);
  return top.reduce((a, b) => a + b, 0) >= 0.85 * text.length;
}

function tryUtf16(bytes: Uint8Array): string | null {
  if (bytes.length % 2 !== 0) return null;
  // The byte order whose high bytes hold the zeros of ASCII (and Arabic's 06) goes first.
  let evenZeros = 0;
  let oddZeros = 0;
  for (let k = 0; k < bytes.length; k++) {
    if ((bytes[k] ?? 1) === 0) {
      if (k % 2 === 0) evenZeros++;
      else oddZeros++;
    }
  }
  const order = evenZeros > oddZeros ? [utf16be, utf16le] : [utf16le, utf16be];
  for (const decoder of order) {
    const text = tryDecode(decoder, bytes);
    if (text !== null && isFewBlocks(text)) return text;
  }
  return null;
}

/** The text `bytes` stand for, or null when they are not text (after inflation, if compressed). */
export function bytesToText(bytes: Uint8Array, depth = 0, raw = true): string | null {
  if (bytes.length === 0) return null;
  const direct = tryDecode(utf8, bytes) ?? tryUtf16(bytes);
  if (direct !== null) return direct;
  if (depth >= 2) return null;
  const out = inflated(bytes, raw);
  return out !== null && out.length > 0 ? bytesToText(out, depth + 1) : null;
}

/** Byte lengths of the common digests (MD5 … SHA-512): hex of these is not tried as raw deflate. */
const DIGEST_LENGTHS = new Set([16, 20, 28, 32, 48, 64]);

// ---------------------------------------------------------------------------------------
// In-place decodings

/** Replaces runs of byte tokens (`%XX`, `\xHH`, `=XX`) that form UTF-8 by the characters. */
function decodeByteRuns(src: MappedText, token: RegExp, width: number): MappedText {
  const text = src.text;
  token.lastIndex = 0;
  let builder: MappedBuilder | null = null;
  let last = 0;
  for (let m = token.exec(text); m !== null;) {
    const runStart = m.index;
    const bytes: number[] = [];
    const at: number[] = [];
    let end = runStart;
    while (m !== null && m.index === end) {
      bytes.push(parseInt(m[1] ?? '', 16));
      at.push(m.index);
      end = m.index + width;
      m = token.exec(text);
    }
    // Decode character by character so each maps to its own tokens.
    let k = 0;
    let emitted = false;
    const local = new MappedBuilder(bytes.length);
    while (k < bytes.length) {
      const lead = bytes[k] ?? 0;
      const len = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead < 0xf0 ? 3 : 4;
      const chunk = Uint8Array.from(bytes.slice(k, k + len));
      let ch: string | null = null;
      if (k + len <= bytes.length && lead >= 0x09) {
        ch = utf8(chunk);
        if (ch.includes('\ufffd')) ch = null;
      }
      const from = at[k] ?? 0;
      if (ch !== null) {
        const to = (at[k + len - 1] ?? 0) + width;
        const [s, e] = originalSpan(src, from, to);
        local.push(ch, s, e);
        emitted = true;
        k += len;
      } else {
        local.copy(src, from, from + width);
        k += 1;
      }
    }
    if (emitted) {
      builder ??= new MappedBuilder(text.length);
      builder.copy(src, last, runStart);
      const part = local.build();
      builder.copy(part, 0, part.text.length);
      last = end;
    }
  }
  if (builder === null) return src;
  builder.copy(src, last, text.length);
  return builder.build();
}

function codePoint(value: number): string | null {
  if (!Number.isInteger(value) || value < 0x09 || value > 0x10ffff) return null;
  if (value >= 0xd800 && value <= 0xdfff) return null;
  return String.fromCodePoint(value);
}

function numberOf(text: string): number {
  const t = text.trim().toLowerCase();
  if (t.startsWith('0x')) return parseInt(t.slice(2), 16);
  if (t.startsWith('&h')) return parseInt(t.slice(2), 16);
  return Number(t);
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  shy: '\u00ad',
  zwnj: '\u200c',
  zwj: '\u200d',
  lrm: '\u200e',
  rlm: '\u200f',
  period: '.',
  commat: '@',
  colon: ':',
  sol: '/',
};

const PERCENT_BYTE = /%([0-9A-Fa-f]{2})/g;
const HEX_ESCAPE_BYTE = /\\x([0-9A-Fa-f]{2})/g;
const QP_BYTE = /=([0-9A-F]{2})/g;
const QP_SOFT_BREAK = /=\r?\n/g;
const WIDE_ESCAPE = /\\u\{([0-9A-Fa-f]{1,6})\}|\\U([0-9A-Fa-f]{8})|%u([0-9A-Fa-f]{4})/g;
const SURROGATE_PAIR =
  /\\u([dD][89abAB][0-9A-Fa-f]{2})\\u([dD][c-fC-F][0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})/g;
const CHAR_REFERENCE = /&(?:amp;)?#(?:[xX]([0-9A-Fa-f]{1,6})|([0-9]{1,7}));?/g;
const NAMED_REFERENCE = /&(?:amp;)?([a-zA-Z]{2,6});/g;
const MARKUP_TAG = /<\/?[a-zA-Z][^<>]{0,200}>|<!--[\s\S]{0,400}?-->/g;
const CHAR_CALL =
  /(?:\[char\]\s*(?:\(\s*)?((?:0x|&h)?[0-9a-fA-F]+)(?:\s*\))?|\b(?:chrw?|char|chr\$)\s*\(\s*((?:0x|&h)?[0-9a-fA-F]+)\s*\))/gi;
const FROM_CHAR_CODE =
  /(?:\bString\s*\.\s*)?fromCharCode\s*\(\s*((?:(?:0x)?[0-9a-fA-F]+\s*,\s*)*(?:0x)?[0-9a-fA-F]+)\s*\)|\(\s*((?:(?:0x)?[0-9a-fA-F]+\s*,\s*)+(?:0x)?[0-9a-fA-F]+)\s*\)\s*(?:\|\s*%\s*\{\s*\[char\]\s*\$_\s*\}|-join)/gi;
const CALL_MARK = '\ue000';
const CHAR_JOINER = /(?<=\ue000)\s*(?:\+|&|\.|,)\s*(?=\ue000)/g;
const STRING_JOINER = /(['"])\s*(?:\+|&|\.\.?)\s*\1/g;

const IN_PLACE_HINT =
  /%[0-9A-Fa-f]{2}|%u[0-9A-Fa-f]{4}|\\[xuU]|&(?:amp;)?#|&[a-zA-Z]{2,6};|=[0-9A-F]{2}|=\r?\n|<[a-zA-Z!/]|\[char\]|\bchr[w$]?\s*\(|\bchar\s*\(|fromCharCode|['"]\s*(?:\+|&|\.\.?)\s*['"]/i;

/** The in-place decoded form of `src`, or `src` itself when nothing decodes. */
export function decodeInPlace(src: MappedText): MappedText {
  if (!IN_PLACE_HINT.test(src.text)) return src;
  let m = src;
  // Byte escapes applied several times (`%2525…`, `=3D34…`, one inside another) decode
  // layer by layer until nothing changes.
  for (let k = 0; k < 6; k++) {
    const before = m;
    if (m.text.includes('%')) m = decodeByteRuns(m, PERCENT_BYTE, 3);
    if (m.text.includes('\\x')) m = decodeByteRuns(m, HEX_ESCAPE_BYTE, 4);
    if (m.text.includes('=')) {
      m = replaceMapped(m, QP_SOFT_BREAK, () => '');
      m = decodeByteRuns(m, QP_BYTE, 3);
    }
    if (m === before) break;
  }
  m = replaceMapped(m, WIDE_ESCAPE, (x) => codePoint(parseInt(x[1] ?? x[2] ?? x[3] ?? '', 16)));
  m = replaceMapped(m, SURROGATE_PAIR, (x) => {
    if (x[3] !== undefined) return codePoint(parseInt(x[3], 16));
    return String.fromCharCode(parseInt(x[1] ?? '', 16), parseInt(x[2] ?? '', 16));
  });
  for (let k = 0; k < 2; k++) {
    m = replaceMapped(m, CHAR_REFERENCE, (x) =>
      codePoint(x[1] !== undefined ? parseInt(x[1], 16) : Number(x[2])),
    );
    m = replaceMapped(
      m,
      NAMED_REFERENCE,
      (x) => NAMED_ENTITIES[(x[1] ?? '').toLowerCase()] ?? null,
    );
  }
  m = replaceMapped(m, MARKUP_TAG, () => '');
  m = replaceMapped(m, FROM_CHAR_CODE, (x) => {
    const list = (x[1] ?? x[2] ?? '').split(',').map((v) => codePoint(numberOf(v)));
    return list.every((c) => c !== null) ? list.join('') : null;
  });
  // `[char]75+[char]105`, `chr(75) & chr(105)`: each call becomes its character, marked
  // with a private-use mark so that the joiners between two of them can be removed, then unmarked.
  const calls = replaceMapped(m, CHAR_CALL, (x) => {
    const c = codePoint(numberOf(x[1] ?? x[2] ?? ''));
    return c === null ? null : `${CALL_MARK}${c}${CALL_MARK}`;
  });
  if (calls !== m) {
    m = replaceMapped(
      replaceMapped(calls, CHAR_JOINER, () => ''),
      /\ue000/g,
      () => '',
    );
  }
  m = replaceMapped(m, STRING_JOINER, () => '');
  return m;
}

// ---------------------------------------------------------------------------------------
// Block decodings

const UUID_LIKE = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;
/** Base64 (either alphabet), possibly MIME-wrapped (line breaks and indentation inside). */
const BASE64_RUN = /[A-Za-z0-9+/_-]{4,}(?:[ \t]*\r?\n[ \t]*[A-Za-z0-9+/_-]{4,})*={0,2}/g;
const HEX_RUN = /(?<![0-9A-Za-z])(?:0x)?(?:[0-9a-fA-F]{2}){4,}(?![0-9A-Za-z])/g;
const HEX_SPACED = /(?<![0-9A-Za-z])(?:[0-9a-fA-F]{2}[ :-]){3,}[0-9a-fA-F]{2}(?![0-9A-Za-z])/g;
const HEX_LIST = /(?:0x[0-9a-fA-F]{1,2}\s*,\s*){3,}0x[0-9a-fA-F]{1,2}/g;
const DECIMAL_LIST = /(?<![\d.])(?:\d{2,7}\s*,\s*){3,}\d{2,7}(?![\d.])/g;
const ENCODED_WORD = /=\?([A-Za-z0-9_-]{1,40})\?([BbQq])\?([^?\s]{1,2000})\?=/g;
// Digests and fuzzy hashes are indicators, never opaque: ssdeep (`96:abc…:def…`) and TLSH.
const FUZZY_HASH = /^T1[0-9A-Fa-f]{70}$/;
const SSDEEP = /(?<![A-Za-z0-9])\d{1,8}:[A-Za-z0-9+/]{3,}:[A-Za-z0-9+/]{2,}(?![A-Za-z0-9+/])/g;

/** Spans where `text` has the shape of an id (masked before looking for blocks). */
function masked(text: string): string {
  let out = text;
  if (out.includes('-')) out = out.replace(UUID_LIKE, (u) => ' '.repeat(u.length));
  if (out.includes(':')) out = out.replace(SSDEEP, (u) => ' '.repeat(u.length));
  return out;
}

function base64Bytes(run: string): Uint8Array | null {
  let s = run.replace(/\s+/g, '').replace(/=+$/, '');
  if (/[-_]/.test(s) && /[+/]/.test(s)) return null;
  s = s.replace(/-/g, '+').replace(/_/g, '/');
  if (s.length % 4 === 1) s = s.slice(0, -1);
  if (s.length < 4) return null;
  return Buffer.from(s, 'base64');
}

/**
 * Share of the run that reads like words or path segments: short pieces between `/ + - _`
 * (random base64 has one of those about every 32 characters, paths every few), and inside
 * longer pieces the word-like parts (`Kian`, `power`, `HTTP`, `2026`).
 */
function wordCoverage(run: string): number {
  let covered = 0;
  for (const piece of run.split(/[/+_-]/)) {
    if (piece.length < 8) {
      covered += piece.length;
      continue;
    }
    for (const m of piece.matchAll(/[A-Z]?[a-z]{3,}|[A-Z]{3,}(?![a-z])|[0-9]{3,}/g)) {
      covered += m[0].length;
    }
  }
  return covered / run.length;
}

/** A base64-alphabet run that decoded to no text: opaque when long and random-looking. */
function looksOpaque(run: string): boolean {
  const body = run.replace(/\s+/g, '').replace(/=+$/, '');
  if (body.length < MIN_OPAQUE_BASE64) return false;
  if (/^[0-9a-fA-F]+$/.test(body) || FUZZY_HASH.test(body)) return false;
  if (/^[a-z]+$/.test(body) || /^[A-Z]+$/.test(body) || /^[0-9]+$/.test(body)) return false;
  // Path- and identifier-like runs are made of words; random bytes in base64 are not.
  return wordCoverage(body) < 0.6;
}

interface Block {
  start: number;
  end: number;
  text: string | null;
  opaque: boolean;
}

/**
 * The runs of a match: one when its lines are MIME/PEM-wrapped text (every line but the last
 * of one length, at least 40, decoding to text together), else each line on its own.
 */
function base64Runs(match: string, at: number): { run: string; index: number }[] {
  if (!match.includes('\n')) return [{ run: match, index: at }];
  const lines: { run: string; index: number }[] = [];
  for (const l of match.matchAll(/[A-Za-z0-9+/_=-]+/g))
    lines.push({ run: l[0], index: at + l.index });
  const width = lines[0]?.run.length ?? 0;
  const wrapped =
    width >= 40 &&
    lines.slice(0, -1).every((l) => l.run.length === width) &&
    (lines[lines.length - 1]?.run.length ?? 0) <= width;
  if (wrapped) {
    const bytes = base64Bytes(match);
    if (bytes !== null && bytesToText(bytes) !== null) return [{ run: match, index: at }];
  }
  // Not wrapped text: each line is judged on its own (a digest above a word is no blob).
  return lines;
}

function base64Blocks(text: string, view: string, out: Block[]): void {
  BASE64_RUN.lastIndex = 0;
  for (let m = BASE64_RUN.exec(view); m !== null; m = BASE64_RUN.exec(view)) {
    // A one-line run (no whitespace in it) shorter than MIN_BASE64 is no block: most words.
    if (m[0].length < MIN_BASE64 && !m[0].includes('\n')) continue;
    for (const { run, index } of base64Runs(m[0], m.index)) base64Block(text, run, index, out);
  }
}

/**
 * What a base64 body decodes to, remembered by body: the same runs (words, path segments,
 * the date and hour of timestamps) recur across texts that are each new to the forms memo.
 * Bounded by the characters held (bodies and decoded texts, about 1 MiB); emptied when full
 * (answers are a function of the body alone).
 */
const base64Decoded = new Map<string, string | null>();
const MAX_BASE64_DECODED_CHARS = 512 * 1024;
let base64DecodedChars = 0;
/** Longer bodies are decoded every time: they seldom recur and would fill the map. */
const MAX_BASE64_DECODED_BODY = 256;

function decodeBase64Body(body: string): string | null {
  // Glued to a prefix (`-encJAB…`, `cmd/c…`): try every alignment before giving up.
  let decoded: string | null = null;
  for (let k = 0; k < 4 && decoded === null; k++) {
    const bytes = base64Bytes(body.slice(k));
    if (bytes !== null && bytes.length >= 4) decoded = bytesToText(bytes);
  }
  return decoded;
}

function base64BodyText(body: string): string | null {
  if (body.length > MAX_BASE64_DECODED_BODY) return decodeBase64Body(body);
  const known = base64Decoded.get(body);
  if (known !== undefined) return known;
  const decoded = decodeBase64Body(body);
  const chars = body.length + (decoded?.length ?? 0);
  if (base64DecodedChars + chars > MAX_BASE64_DECODED_CHARS) {
    base64Decoded.clear();
    base64DecodedChars = 0;
  }
  base64Decoded.set(body, decoded);
  base64DecodedChars += chars;
  return decoded;
}

function base64Block(text: string, run: string, index: number, out: Block[]): void {
  // Whitespace only comes with a line break (BASE64_RUN).
  const body = run.includes('\n') ? run.replace(/\s+/g, '') : run;
  if (body.replace(/=+$/, '').length < MIN_BASE64) return;
  if (/^[0-9a-fA-F]+$/.test(body)) return;
  const decoded = base64BodyText(body);
  out.push({
    start: index,
    end: index + run.length,
    text: decoded,
    opaque: decoded === null && looksOpaque(text.slice(index, index + run.length)),
  });
}

function hexBytes(run: string): Uint8Array {
  const hex = run.replace(/0x/gi, '').replace(/[^0-9a-fA-F]/g, '');
  return Buffer.from(hex.length % 2 === 0 ? hex : hex.slice(0, -1), 'hex');
}

function hexBlocks(view: string, out: Block[]): void {
  for (const re of [HEX_RUN, HEX_SPACED, HEX_LIST]) {
    re.lastIndex = 0;
    for (let m = re.exec(view); m !== null; m = re.exec(view)) {
      const bytes = hexBytes(m[0]);
      const text = bytesToText(bytes, 0, !DIGEST_LENGTHS.has(bytes.length));
      out.push({
        start: m.index,
        end: m.index + m[0].length,
        text,
        opaque: text === null && bytes.length > MAX_DIGEST_BYTES,
      });
    }
  }
  DECIMAL_LIST.lastIndex = 0;
  for (let m = DECIMAL_LIST.exec(view); m !== null; m = DECIMAL_LIST.exec(view)) {
    const chars = m[0].split(',').map((v) => codePoint(Number(v.trim())));
    if (chars.every((c) => c !== null)) {
      const text = chars.join('');
      if (isReadableText(text))
        out.push({ start: m.index, end: m.index + m[0].length, text, opaque: false });
    }
  }
}

function charsetDecode(charset: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(charset.toLowerCase(), { fatal: true }).decode(bytes);
  } catch {
    return bytesToText(bytes);
  }
}

function encodedWordBlocks(view: string, out: Block[]): void {
  if (!view.includes('=?')) return;
  ENCODED_WORD.lastIndex = 0;
  for (let m = ENCODED_WORD.exec(view); m !== null; m = ENCODED_WORD.exec(view)) {
    const payload = m[3] ?? '';
    let bytes: Uint8Array;
    if ((m[2] ?? '').toUpperCase() === 'B') {
      bytes = base64Bytes(payload) ?? new Uint8Array(0);
    } else {
      const q = payload.replace(/_/g, ' ');
      const list: number[] = [];
      for (let k = 0; k < q.length; k++) {
        if (q[k] === '=' && /^[0-9A-Fa-f]{2}$/.test(q.slice(k + 1, k + 3))) {
          list.push(parseInt(q.slice(k + 1, k + 3), 16));
          k += 2;
        } else list.push(q.charCodeAt(k) & 0xff);
      }
      bytes = Uint8Array.from(list);
    }
    const text = charsetDecode(m[1] ?? 'utf-8', bytes);
    const isBase64 = (m[2] ?? '').toUpperCase() === 'B' && /^[A-Za-z0-9+/=]+$/.test(payload);
    out.push({
      start: m.index,
      end: m.index + m[0].length,
      text,
      opaque: text === null && isBase64,
    });
  }
}

const STIX_ID = /^[a-z][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BLOCK_HINT =
  /(?:[0-9a-fA-F]{2}[ :-]){3}|[A-Za-z0-9+/_-]{8}|[0-9a-fA-F]{8}|0x[0-9a-fA-F]{1,2}\s*,|=\?|\d{2}\s*,\s*\d{2}/;

function findBlocks(text: string): Block[] {
  if (!BLOCK_HINT.test(text)) return [];
  const view = masked(text);
  const blocks: Block[] = [];
  base64Blocks(text, view, blocks);
  hexBlocks(view, blocks);
  encodedWordBlocks(view, blocks);
  return blocks;
}

/** A form whose every unit maps to the original span of units [start, end) of `src`. */
function blockForm(src: MappedText, start: number, end: number, text: string): MappedText {
  const [s, e] = originalSpan(src, start, end);
  const b = new MappedBuilder(text.length);
  b.push(text, s, e);
  return b.build();
}

// ---------------------------------------------------------------------------------------

/**
 * Every decoded form of `text` other than itself (in-place and block forms, nested), and the
 * spans that could not be decoded with certainty. `budget` bounds the total decoded length;
 * what does not fit is reported opaque.
 */
export function expandForms(text: string, budget = defaultBudget(text)): ExpandedForms {
  // Ids and timestamps (most strings of a STIX object) have no other form.
  if (STIX_ID.test(text) || (!BLOCK_HINT.test(text) && !IN_PLACE_HINT.test(text))) {
    return NO_FORMS;
  }
  // The memo answers for the default budget only: another budget is another question.
  if (budget !== defaultBudget(text)) return expandFormsOf(text, budget);
  if (TIMESTAMP_SHAPE.test(text)) return timestampForms(text, budget);
  return formsMemo.get(text, () => expandFormsOf(text, budget));
}

/**
 * A STIX timestamp with at most six fractional digits holds one block candidate, its first
 * 13 characters (`2025-01-01T00`: the base64 alphabet, as `:` ends it), and nothing else
 * the decoders look for (no run of 8 hex digits, no byte escape, no pair list; what follows
 * the hour is shorter than a block). Its forms are therefore those of that prefix, at the
 * same offsets: computed once per hour, not once per timestamp (they are a new text each).
 */
const TIMESTAMP_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;
const timestampMemo = new Map<string, ExpandedForms>();
const MAX_TIMESTAMP_MEMO = 10_000;

function timestampForms(text: string, budget: number): ExpandedForms {
  const hour = text.slice(0, 13);
  let forms = timestampMemo.get(hour);
  if (forms === undefined) {
    forms = expandFormsOf(text, budget);
    if (timestampMemo.size >= MAX_TIMESTAMP_MEMO) timestampMemo.clear();
    timestampMemo.set(hour, forms);
  }
  return forms;
}

function defaultBudget(text: string): number {
  return Math.max(4096, text.length * 8);
}

const NO_FORMS: ExpandedForms = Object.freeze({ forms: [], opaque: [] });

function expandFormsOf(text: string, budget: number): ExpandedForms {
  const forms: DecodedForm[] = [];
  const opaque: [number, number][] = [];
  let left = budget;
  const seen = new Set<string>([text]);
  const visit = (src: MappedText, block: boolean, depth: number): void => {
    const inPlace = decodeInPlace(src);
    if (inPlace !== src && !seen.has(inPlace.text)) {
      seen.add(inPlace.text);
      forms.push({ ...inPlace, block });
      // What one in-place layer reveals may be another encoding (`=3D…` in a char-code call).
      if (depth + 1 < MAX_DEPTH) visit(inPlace, block, depth + 1);
      else opaque.push(originalSpan(inPlace, 0, inPlace.text.length));
    }
    for (const view of [{ m: src, block }]) {
      for (const b of findBlocks(view.m.text)) {
        if (b.text === null) {
          if (b.opaque) opaque.push(originalSpan(view.m, b.start, b.end));
          continue;
        }
        if (seen.has(b.text)) continue;
        seen.add(b.text);
        left -= b.text.length;
        if (left < 0 || depth + 1 >= MAX_DEPTH) {
          opaque.push(originalSpan(view.m, b.start, b.end));
          continue;
        }
        const form = blockForm(view.m, b.start, b.end, b.text);
        forms.push({ ...form, block: true });
        visit(form, true, depth + 1);
      }
    }
  };
  visit(identityMapped(text), false, 0);
  return { forms, opaque };
}
