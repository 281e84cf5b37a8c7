// R13 Egress: what is about to leave is scanned again with R6's scanner; a hit withholds the
// object (and the caller raises an alert). Every string is checked, keys included, whether or
// not R6 looked at it (ids, references, timestamps, patterns, generated text). A freshly
// derived object is scanned as a value, before it is serialized; bytes from the cache are
// scanned as bytes.
import { someScannable } from '../redaction/redact-text.js';
import type { ScanOptions, TextHit, TextScanner } from '../ports.js';

/** R13 over serialized bytes (cached output): every string of the JSON, escapes decoded. */
export function hasEgressLeak(json: string, scanner: TextScanner): boolean {
  return scanner.containsProtected(json);
}

/**
 * R13 over a JSON value before it is serialized: the strings JSON.stringify would write (keys
 * included, values under `hashes` as digests; properties holding `undefined` are not written,
 * so not scanned), each through `scanner.scan`. The verdict equals scanning the serialized
 * bytes, without serializing and parsing them again.
 */
export function hasEgressLeakInValue(value: unknown, scanner: TextScanner): boolean {
  return someScannable(
    value,
    (text, digest) => scanner.scan(text, digest ? DIGEST : PLAIN).length > 0,
  );
}

const PLAIN: ScanOptions = Object.freeze({ allowOpaque: false });
const DIGEST: ScanOptions = Object.freeze({ allowOpaque: true });

/**
 * A scanner that remembers its answers for the duration of one derive call: the same string
 * (a label, a vocabulary value, a name shared by versions) is scanned once. The scanner is a
 * pure function of its input, so this changes nothing but the cost. Its egress check parses
 * the JSON and scans every string in it through the same memo.
 */
export function memoizeScanner(scanner: TextScanner): TextScanner {
  const memo = new Map<string, TextHit[]>();
  const digestMemo = new Map<string, TextHit[]>();
  const scan = (text: string, options: ScanOptions = {}): TextHit[] => {
    const table = options.allowOpaque === true ? digestMemo : memo;
    let hits = table.get(text);
    if (hits === undefined) {
      hits = scanner.scan(text, options);
      table.set(text, hits);
    }
    return hits;
  };
  return {
    scan,
    containsProtected(json) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch {
        return scanner.containsProtected(json);
      }
      return hasEgressLeakInValue(parsed, { scan, containsProtected: () => false });
    },
  };
}
