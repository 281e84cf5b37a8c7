// One pass over an untrusted JSON text before JSON.parse, answering both questions asked of a
// request body: does it nest deeper than the limit (json-depth.ts), and does it hold a number
// JSON.parse would change (json-numbers.ts)? Two full passes cost as much as a tenth of ingest;
// this one jumps over strings with indexOf (most of a STIX text is inside strings) and judges
// the common number, a short integer, without converting it. Where it finds a suspect number,
// the caller asks findInexactNumbers for the details, on the rare text that holds one. Pure.
import { inexactReason } from './json-numbers.js';

export type JsonTextScan =
  /** Brackets outside strings nest deeper than the limit (the same test as exceedsJsonDepth). */
  | { tooDeep: true }
  /** hasInexactNumber: some number would not survive parse and serialize unchanged. */
  | { tooDeep: false; hasInexactNumber: boolean };

/**
 * Integers of at most 15 digits are below 2^53 and print back digit for digit (JSON has no
 * leading zeros; -0 and 0 denote the same decimal): exact without asking inexactReason.
 */
const EXACT_INTEGER_DIGITS = 15;

export function scanJsonText(text: string, depthLimit: number): JsonTextScan {
  let depth = 0;
  let hasInexactNumber = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > depthLimit) return { tooDeep: true };
      i++;
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
      i++;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      let integer = true;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d >= 0x30 && d <= 0x39) continue;
        if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) integer = false;
        else break;
      }
      const digits = j - i - (c === 0x2d ? 1 : 0);
      if (!hasInexactNumber && !(integer && digits <= EXACT_INTEGER_DIGITS))
        hasInexactNumber = inexactReason(text.slice(i, j)) !== undefined;
      i = j;
    } else i++;
  }
  return { tooDeep: false, hasInexactNumber };
}

/**
 * Index just past the closing quote of the string opening at `start` (the text's length when
 * it never closes). A quote ends the string unless an odd run of backslashes precedes it.
 */
function stringEnd(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote >= 0) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}
