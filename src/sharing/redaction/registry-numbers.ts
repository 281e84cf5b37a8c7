// Numbers the registry lists for an entity (national ids, phone numbers, postal codes, AS
// numbers), found in the detector view whatever their checksum or format: a typo in the
// source data is still the victim's number, so the registry value itself is the test, not
// a detector's idea of a valid one.

export type RegistryNumberKind = 'national-id' | 'phone' | 'postal-code' | 'asn';

export interface RegistryNumbers {
  readonly nationalIds: readonly string[];
  readonly phones: readonly string[];
  readonly postalCodes: readonly string[];
  readonly asNumbers: readonly number[];
}

export interface RegistryNumberHit {
  readonly kind: RegistryNumberKind;
  readonly start: number;
  readonly end: number;
}

/** Digits with the separators numbers are written with (space, . - / ( ) +), at most two at a time. */
const NUMBER_RUN = /\+?[0-9](?:[\s.\-/()]{0,2}[0-9])*/g;

// `AS64500`, `AS 64500`, `ASN64500`, `AS-64500`, `ASN: 64500`, `AS#64500` and asdot `AS3.10`.
const AS_NUMBER =
  /(?<![\p{L}\p{N}_])AS(?:N)?(?:\s?[-:#_]?\s?)([0-9]{1,10})(?:\.([0-9]{1,5}))?(?![\p{N}])/giu;

function withoutLeadingZeros(digits: string): string {
  return digits.replace(/^0+/, '');
}

export interface RegistryNumberMatcher {
  find(text: string): RegistryNumberHit[];
}

export function createRegistryNumberMatcher(numbers: RegistryNumbers): RegistryNumberMatcher {
  const exact = new Map<string, RegistryNumberKind>();
  for (const v of numbers.nationalIds) {
    const d = v.replace(/[^0-9]/g, '');
    if (d.length >= 4) exact.set(d, 'national-id');
  }
  for (const v of numbers.postalCodes) {
    const d = v.replace(/[^0-9]/g, '');
    if (d.length >= 4 && !exact.has(d)) exact.set(d, 'postal-code');
  }
  // Phones are compared without trunk/international prefixes: the registry's
  // `+98 21 8877 6655` is the text's `021-88776655`, `0098 21…` or the local `88776655`.
  const phones = numbers.phones
    .map((p) => withoutLeadingZeros(p.replace(/[^0-9]/g, '')))
    .filter((d) => d.length >= 7);
  const asns = new Set(numbers.asNumbers);
  const exactLengths = [...new Set([...exact.keys()].map((k) => k.length))];
  const empty = exact.size === 0 && phones.length === 0 && asns.size === 0;

  const find = (text: string): RegistryNumberHit[] => {
    if (empty) return [];
    const hits: RegistryNumberHit[] = [];
    if (asns.size > 0 && /as/i.test(text)) {
      AS_NUMBER.lastIndex = 0;
      for (let m = AS_NUMBER.exec(text); m !== null; m = AS_NUMBER.exec(text)) {
        const high = Number(m[1]);
        const value = m[2] === undefined ? high : high * 65536 + Number(m[2]);
        const plain = Number(m[1]);
        if (asns.has(value) || asns.has(plain)) {
          hits.push({ kind: 'asn', start: m.index, end: m.index + m[0].length });
        }
      }
    }
    if (exact.size === 0 && phones.length === 0) return hits;
    NUMBER_RUN.lastIndex = 0;
    for (let m = NUMBER_RUN.exec(text); m !== null; m = NUMBER_RUN.exec(text)) {
      const run = m[0];
      // Digit positions (in text) of the run, so that a match maps back to its span.
      const pos: number[] = [];
      let digits = '';
      for (let k = 0; k < run.length; k++) {
        const c = run.charCodeAt(k);
        if (c >= 0x30 && c <= 0x39) {
          pos.push(m.index + k);
          digits += run[k];
        }
      }
      if (digits.length < 4) continue;
      // Exact values: a group of the run (bounded by separators or the run's ends).
      for (const len of exactLengths) {
        for (let k = 0; k + len <= digits.length; k++) {
          const kind = exact.get(digits.slice(k, k + len));
          if (kind === undefined) continue;
          const startsGroup = k === 0 || pos[k]! - pos[k - 1]! > 1;
          const endsGroup = k + len === digits.length || pos[k + len]! - pos[k + len - 1]! > 1;
          if (startsGroup && endsGroup)
            hits.push({ kind, start: pos[k]!, end: pos[k + len - 1]! + 1 });
        }
      }
      const a = withoutLeadingZeros(digits);
      if (a.length >= 7 && phones.some((b) => b.endsWith(a) || a.endsWith(b))) {
        hits.push({ kind: 'phone', start: m.index, end: m.index + run.length });
      }
    }
    return hits;
  };
  return { find };
}
