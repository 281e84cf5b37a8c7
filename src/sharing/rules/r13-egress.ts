// R13 Egress: the serialized bytes of what is about to leave are scanned again with R6's
// scanner; a hit withholds the object (and the caller raises an alert). Every string of the
// parsed bytes is checked, keys included, whether or not R6 looked at it (ids, references,
// timestamps, patterns, generated text). Exported for the HTTP layer too.
import { collectScannable, type ScannableString } from '../redaction/redact-text.js';
import type { ScanOptions, TextHit, TextScanner } from '../ports.js';

export function hasEgressLeak(json: string, scanner: TextScanner): boolean {
  return scanner.containsProtected(json);
}

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
      const strings: ScannableString[] = [];
      collectScannable(parsed, strings);
      return strings.some((s) => scan(s.text, { allowOpaque: s.digest }).length > 0);
    },
  };
}
