import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAhoCorasick } from '../../../../src/sharing/redaction/aho-corasick.js';
import type { AcMatch } from '../../../../src/sharing/redaction/aho-corasick.js';

const sortMatches = (ms: AcMatch[]): AcMatch[] =>
  [...ms].sort((a, b) => a.start - b.start || a.end - b.end || a.term - b.term);

describe('createAhoCorasick', () => {
  it('finds every occurrence of overlapping terms', () => {
    const ac = createAhoCorasick(
      ['he', 'she', 'his', 'hers'].map((text) => ({ text, wholeWord: false })),
    );
    expect(sortMatches(ac.scan('ushers'))).toEqual([
      { term: 1, start: 1, end: 4 },
      { term: 0, start: 2, end: 4 },
      { term: 3, start: 2, end: 6 },
    ]);
  });

  it('reports each term id of duplicated terms', () => {
    const ac = createAhoCorasick([
      { text: 'نفت', wholeWord: false },
      { text: 'نفت', wholeWord: false },
    ]);
    expect(ac.scan('xنفتx').map((m) => m.term)).toEqual([0, 1]);
  });

  it('reports whole-word terms only between boundaries', () => {
    const ac = createAhoCorasick([{ text: 'pnoc', wholeWord: true }]);
    const text = 'upnocxpnoc';
    const boundaries = new Uint8Array(text.length + 1);
    boundaries[0] = 1;
    boundaries[6] = 1;
    boundaries[10] = 1;
    expect(ac.scan(text, boundaries)).toEqual([{ term: 0, start: 6, end: 10 }]);
  });

  it('treats only the ends of the text as boundaries when none are given', () => {
    const ac = createAhoCorasick([{ text: 'ab', wholeWord: true }]);
    expect(ac.scan('ab')).toHaveLength(1);
    expect(ac.scan('abab')).toHaveLength(0);
  });

  it('ignores empty terms and scans nothing without terms', () => {
    expect(createAhoCorasick([{ text: '', wholeWord: false }]).scan('abc')).toEqual([]);
    expect(createAhoCorasick([]).scan('abc')).toEqual([]);
  });

  it('agrees with a naive search on random terms and texts', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', 'و', 'ز', '😀');
    const word = fc.array(alphabet, { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 8 }),
        fc.array(alphabet, { maxLength: 40 }),
        (terms, chars) => {
          const text = chars.join('');
          const ac = createAhoCorasick(terms.map((t) => ({ text: t, wholeWord: false })));
          const naive: AcMatch[] = [];
          terms.forEach((t, term) => {
            for (let i = text.indexOf(t); i >= 0; i = text.indexOf(t, i + 1)) {
              naive.push({ term, start: i, end: i + t.length });
            }
          });
          expect(sortMatches(ac.scan(text))).toEqual(sortMatches(naive));
        },
      ),
    );
  });
});
