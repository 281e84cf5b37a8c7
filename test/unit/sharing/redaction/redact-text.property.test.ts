import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodePunycode,
  normalizeTerm,
  normalizeText,
} from '../../../../src/sharing/redaction/index.js';
import type { TextHit } from '../../../../src/sharing/redaction/index.js';
import { MOE, PARSIA, labelFor, redactor } from './fixtures.js';

// ---------------------------------------------------------------------------------------
// Spelling generators: each takes a term as written in the registry and produces one of the
// spellings R6 must see through.

const ARABIC_LETTERS: Readonly<Record<string, readonly string[]>> = {
  ی: ['ی', 'ي', 'ى'],
  ک: ['ک', 'ك'],
  ا: ['ا', 'أ', 'إ', 'آ'],
  ه: ['ه', 'ة'],
};
const HARAKAT = ['\u064b', '\u064e', '\u064f', '\u0650', '\u0651', '\u0652', '\u0670'];
const INVISIBLES = [
  '\u200e',
  '\u200f',
  '\u202b',
  '\u202c',
  '\u2066',
  '\u2069',
  '\u061c',
  '\u200d',
  '\u00ad',
];
const CONFUSABLE_LOWER: Readonly<Record<string, string>> = {
  a: 'а',
  e: 'е',
  o: 'о',
  p: 'р',
  c: 'с',
  x: 'х',
  i: 'і',
  y: 'у',
  s: 'ѕ',
};
const CONFUSABLE_UPPER: Readonly<Record<string, string>> = {
  A: 'А',
  B: 'В',
  E: 'Е',
  K: 'К',
  M: 'М',
  H: 'Н',
  O: 'О',
  P: 'Р',
  C: 'С',
  T: 'Т',
  X: 'Х',
};

const isArabicScript = (s: string): boolean => /[\u0600-\u06ff]/.test(s);

/** A random spelling of a name, alias, acronym or person name. */
function spelling(term: string): fc.Arbitrary<string> {
  const words = term.split(' ');
  const arabic = isArabicScript(term);
  const gaps = arabic ? [' ', '\u200c', '', '  ', ' \u200c'] : [' ', '-', '_', '', '  ', '\n', '.'];
  // Invisible characters and tatweel go between letters: before the first or after the last
  // letter they are outside the name and stay in the text (harmlessly).
  const letter = (ch: string, inner: boolean): fc.Arbitrary<string> => {
    if (arabic) {
      const forms = ARABIC_LETTERS[ch] ?? [ch];
      return fc
        .tuple(
          fc.constantFrom(...forms),
          fc.option(fc.constantFrom(...HARAKAT), { freq: 4 }),
          fc.option(fc.constant('\u0640'), { freq: 6 }),
          fc.option(fc.constantFrom(...INVISIBLES), { freq: 8 }),
        )
        .map(([f, h, t, inv]) =>
          inner ? `${f}${h ?? ''}${t ?? ''}${inv ?? ''}` : `${f}${h ?? ''}`,
        );
    }
    return fc
      .tuple(
        fc.boolean(),
        fc.option(fc.constant(true), { freq: 4 }),
        fc.option(fc.constantFrom(...INVISIBLES), { freq: 10 }),
      )
      .map(([upper, confuse, inv]) => {
        const c = upper ? ch.toUpperCase() : ch.toLowerCase();
        const look = confuse ? (upper ? CONFUSABLE_UPPER[c] : CONFUSABLE_LOWER[c]) : undefined;
        return `${look ?? c}${inner ? (inv ?? '') : ''}`;
      });
  };
  const word = (w: string, last: boolean): fc.Arbitrary<string> => {
    const chars = Array.from(w);
    return fc
      .tuple(...chars.map((ch, k) => letter(ch, !last || k < chars.length - 1)))
      .map((ls) => ls.join(''));
  };
  const plain = fc
    .tuple(
      fc.tuple(...words.map((w, k) => word(w, k === words.length - 1))),
      fc.array(fc.constantFrom(...gaps), { minLength: words.length, maxLength: words.length }),
    )
    .map(([ws, gs]) => ws.map((w, k) => (k === 0 ? w : `${gs[k] ?? ' '}${w}`)).join(''));
  const encodings: fc.Arbitrary<string>[] = [
    plain,
    plain.map((s) => encodeURIComponent(s)),
    plain.map((s) =>
      Array.from(s, (c) => (c.charCodeAt(0) > 0x7f ? `&#${c.codePointAt(0)};` : c)).join(''),
    ),
  ];
  if (arabic) encodings.push(fc.constant(`xn--${encodePunycode(words.join(''))}`));
  return fc.oneof(...encodings);
}

/** A random spelling of a protected domain, inside a URL, an email or on its own. */
function domainSpelling(domain: string): fc.Arbitrary<string> {
  const dotted = fc
    .tuple(
      fc.array(fc.constantFrom('.', '[.]', '(.)', '[dot]', ' (dot) '), {
        minLength: 8,
        maxLength: 8,
      }),
      fc.boolean(),
      fc.option(fc.constantFrom('mail', 'vpn', 'a-b'), { freq: 2 }),
    )
    .map(([dots, upper, sub]) => {
      const labels = [...(sub === null ? [] : [sub]), ...domain.split('.')];
      const d = labels.map((l, k) => (k === 0 ? l : `${dots[k] ?? '.'}${l}`)).join('');
      return upper ? d.toUpperCase() : d;
    });
  return fc.oneof(
    dotted,
    dotted.map((d) => `hxxps[:]//${d}/login?u=1`),
    dotted.map((d) => `https://${d}:8443/owa`),
    dotted.map((d) => `hr[at]${d}`),
    dotted.map((d) => `ops@${d}`),
  );
}

const persianDigits = (s: string): string =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
const arabicDigits = (s: string): string =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));

const phone = fc
  .tuple(
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 9999999 }),
    fc.constantFrom('09', '+98 9', '0098 9'),
    fc.constantFrom(' ', '-', ''),
    fc.constantFrom((s: string) => s, persianDigits, arabicDigits),
  )
  .map(([a, b, prefix, sep, digits]) => {
    const rest = String(b).padStart(7, '0');
    return digits(
      `${prefix}${String(a).padStart(2, '0')}${sep}${rest.slice(0, 3)}${sep}${rest.slice(3)}`,
    );
  });

const planted = fc.oneof(
  ...[...MOE.names, ...MOE.aliases, ...MOE.acronyms, ...MOE.personNames].map(spelling),
  ...[...PARSIA.names, ...PARSIA.aliases, ...PARSIA.acronyms].map(spelling),
  ...[...MOE.domains, ...MOE.emailDomains, ...PARSIA.domains].map(domainSpelling),
  fc.constantFrom(
    '10.20.3.4',
    '10[.]20[.]255[.]1',
    '172.16.5.200',
    'fd00:20::1',
    'http://10.20.0.9/x',
  ),
  phone,
);

// Words, indicators and decoys that must come out unchanged (none contains a term).
const FILLER = [
  'حمله',
  'سرور',
  'بدافزار',
  'گزارش',
  'شبکه',
  'کاربر',
  'دسترسی',
  'امنیت',
  'نیروگاه',
  'پارس',
  'attack',
  'server',
  'malware',
  'report',
  'the',
  'was',
  'observed',
  'phishing',
  'campaign',
  'UPNOCX',
  'moebius',
  'MOEx',
  'energetic',
  'Moe Security Labs',
  'evil-c2.example',
  'hxxp://bad[.]example/gate.php',
  '203.0.113.77',
  '198.51.100.23',
  '2001:db8::7',
  'C:\\Users\\Public\\x.exe',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'indicator--a1b2c3d4-0912-4123-8123-091212345678',
  '2024-01-15T10:20:30Z',
  '۱۴۰۲/۱۰/۲۵',
];
const filler = fc.constantFrom(...FILLER);
const separator = fc.constantFrom(' ', ', ', '\n', ' - ', '; ', ' (', ') ', '\t');

type Piece = { text: string; planted: boolean };

function assemble(pieces: Piece[], seps: string[]): { text: string; spans: [number, number][] } {
  let text = '';
  const spans: [number, number][] = [];
  pieces.forEach((p, k) => {
    if (k > 0) text += seps[k % seps.length] ?? ' ';
    if (p.planted) spans.push([text.length, text.length + p.text.length]);
    text += p.text;
  });
  return { text, spans };
}

const document = fc
  .tuple(
    fc.array(
      fc.oneof(
        { weight: 3, arbitrary: filler.map((text) => ({ text, planted: false })) },
        { weight: 2, arbitrary: planted.map((text) => ({ text, planted: true })) },
      ),
      { minLength: 1, maxLength: 12 },
    ),
    fc.array(separator, { minLength: 1, maxLength: 12 }),
  )
  .map(([pieces, seps]) => assemble(pieces, seps));

const LONG_TERMS = [...MOE.names, ...MOE.aliases, ...PARSIA.names, ...PARSIA.aliases]
  .map(normalizeTerm)
  .filter((t) => t.length >= 7);

function assertWellFormed(text: string, hits: readonly TextHit[]): void {
  let last = 0;
  for (const h of hits) {
    expect(h.start).toBeGreaterThanOrEqual(last);
    expect(h.end).toBeGreaterThan(h.start);
    expect(h.end).toBeLessThanOrEqual(text.length);
    last = h.end;
  }
}

/** The text with each hit replaced as redact() does, to compare the untouched parts. */
function expectedRedaction(text: string, hits: readonly TextHit[]): string {
  let out = '';
  let last = 0;
  for (const h of hits) {
    out += text.slice(last, h.start) + (h.kind === 'entity' ? labelFor(h) : `[REDACTED:${h.kind}]`);
    last = h.end;
  }
  return out + text.slice(last);
}

describe('redaction properties', () => {
  it('covers every planted term in any spelling and leaves nothing to find', () => {
    fc.assert(
      fc.property(document, ({ text, spans }) => {
        const result = redactor.redact(text, labelFor);
        for (const [s, e] of spans) {
          expect(
            result.hits.some((h) => h.start <= s && e <= h.end),
            JSON.stringify(text.slice(s, e)),
          ).toBe(true);
        }
        expect(redactor.scan(result.text)).toEqual([]);
        const skeleton = normalizeText(result.text).match.text;
        for (const term of LONG_TERMS) expect(skeleton).not.toContain(term);
        expect(redactor.containsProtected(JSON.stringify({ description: result.text }))).toBe(
          false,
        );
      }),
      { numRuns: 400 },
    );
  });

  it('changes nothing but the hits, byte for byte', () => {
    fc.assert(
      fc.property(document, ({ text }) => {
        const result = redactor.redact(text, labelFor);
        assertWellFormed(text, result.hits);
        expect(result.text).toBe(expectedRedaction(text, result.hits));
      }),
      { numRuns: 200 },
    );
  });

  it('leaves text without protected terms unchanged', () => {
    const clean = fc
      .tuple(
        fc.array(filler, { minLength: 1, maxLength: 15 }),
        fc.array(separator, { minLength: 1, maxLength: 15 }),
      )
      .map(
        ([words, seps]) =>
          assemble(
            words.map((text) => ({ text, planted: false })),
            seps,
          ).text,
      );
    fc.assert(
      fc.property(clean, (text) => {
        expect(redactor.scan(text)).toEqual([]);
        expect(redactor.redact(text, labelFor).text).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('handles arbitrary Unicode: well-formed hits, identity when nothing is found', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (text) => {
        const result = redactor.redact(text, labelFor);
        assertWellFormed(text, result.hits);
        if (result.hits.length === 0) expect(result.text).toBe(text);
        else expect(result.text).toBe(expectedRedaction(text, result.hits));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the offset map ordered and inside the original for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (text) => {
        const { match } = normalizeText(text);
        expect(match.boundaries.length).toBe(match.text.length + 1);
        for (let k = 0; k < match.text.length; k++) {
          expect(match.starts[k]).toBeLessThan(match.ends[k] ?? 0);
          expect(match.ends[k]).toBeLessThanOrEqual(text.length);
          if (k > 0) expect(match.starts[k]).toBeGreaterThanOrEqual(match.starts[k - 1] ?? 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(document, ({ text }) => {
        expect(redactor.redact(text, labelFor)).toEqual(redactor.redact(text, labelFor));
      }),
      { numRuns: 50 },
    );
  });
});
