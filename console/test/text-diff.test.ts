import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffText, spanKind, tokenize } from '../src/preview/text-diff.js';

const join = (segments: { text: string }[]) => segments.map((s) => s.text).join('');
const changed = (segments: { text: string; changed: boolean }[]) =>
  segments.filter((s) => s.changed).map((s) => s.text);

describe('diffText', () => {
  it('marks a Persian name replaced by a pseudonym as one span on each side', () => {
    const original = 'C2 used against شرکت برق کیان (Kian Power) from 203.0.113.50';
    const derived = 'C2 used against Victim-NI5TZ6Z6 (Victim-NI5TZ6Z6) from 203.0.113.50';
    const d = diffText(original, derived);
    expect(changed(d.original)).toEqual(['شرکت برق کیان', 'Kian Power']);
    expect(changed(d.derived)).toEqual(['Victim-NI5TZ6Z6', 'Victim-NI5TZ6Z6']);
    expect(join(d.original)).toBe(original);
    expect(join(d.derived)).toBe(derived);
  });

  it('keeps a host name and an address each as a single changed word', () => {
    const d = diffText(
      'reached mail.kianpower.ir at 10.20.3.4',
      'reached Victim-AAAAAAAA at [REDACTED:ip]',
    );
    expect(changed(d.original)).toEqual(['mail.kianpower.ir', '10.20.3.4']);
    expect(changed(d.derived)).toEqual(['Victim-AAAAAAAA', '[REDACTED:ip]']);
  });

  it('has no changed segment for equal strings', () => {
    expect(diffText('same', 'same')).toEqual({
      original: [{ text: 'same', changed: false }],
      derived: [{ text: 'same', changed: false }],
    });
  });

  // Blanks between two changed words join the change on their side, so the unchanged text of
  // both sides agrees up to blanks.
  it('rebuilds both strings and agrees on the unchanged words, for any pair', () => {
    const word = fc.constantFrom(
      'Kian',
      'کیان',
      'برق',
      'Victim-ABCDEFGH',
      'from',
      '10.20.3.4',
      '(',
      ')',
      ';',
    );
    const text = fc.array(word, { maxLength: 12 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const d = diffText(a, b);
        expect(join(d.original)).toBe(a);
        expect(join(d.derived)).toBe(b);
        const kept = (s: { text: string; changed: boolean }[]) =>
          s
            .filter((x) => !x.changed)
            .map((x) => x.text)
            .join('')
            .replace(/\s+/g, '');
        expect(kept(d.original)).toBe(kept(d.derived));
      }),
    );
  });

  it('falls back to prefix and suffix on very long texts and still rebuilds them', () => {
    const a = `${'word '.repeat(3000)}Kian${' tail'.repeat(10)}`;
    const b = `${'word '.repeat(3000)}Victim-ABCDEFGH${' tail'.repeat(10)}`;
    const d = diffText(a, b);
    expect(join(d.original)).toBe(a);
    expect(changed(d.original)).toEqual(['Kian']);
    expect(changed(d.derived)).toEqual(['Victim-ABCDEFGH']);
  });
});

describe('tokenize and spanKind', () => {
  it('keeps Persian words whole, with a zero-width non-joiner inside', () => {
    expect(tokenize('می\u200cخواهم برق')).toEqual(['می\u200cخواهم', ' ', 'برق']);
  });
  it('names pseudonyms and redaction markers', () => {
    expect(spanKind('Victim-HWOFIVJD')).toBe('pseudonym');
    expect(spanKind('[REDACTED:phone]')).toBe('redacted');
    expect(spanKind('https://REDACTED-domain/x')).toBe('redacted');
    expect(spanKind('198.51.100.231')).toBe('changed');
  });
});
