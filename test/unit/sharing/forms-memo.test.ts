import { describe, expect, it } from 'vitest';
import { expandForms } from '../../../src/sharing/redaction/decode-forms.js';
import { createFormsMemo } from '../../../src/sharing/redaction/forms-memo.js';

const result = (n: number) => ({ forms: [], opaque: [[0, n]] as [number, number][] });

describe('forms memo', () => {
  it('computes a text once and answers the same result again', () => {
    const memo = createFormsMemo();
    let calls = 0;
    const text = 'S2lhbiBNaW5pc3RyeQ==';
    const first = memo.get(text, () => (calls++, result(1)));
    const second = memo.get(text, () => (calls++, result(2)));
    expect(second).toBe(first);
    expect(calls).toBe(1);
  });

  it('does not answer expandForms for another budget', () => {
    const text = 'run S2lhbiBNaW5pc3RyeSBvZiBFbmVyZ3k= later';
    // Remembered with the default budget: the base64 decodes to a name.
    expect(expandForms(text).forms.map((f) => f.text)).toContain('Kian Ministry of Energy');
    // A budget too small for the block: decoded again, the block is opaque.
    const small = expandForms(text, 1);
    expect(small.forms).toEqual([]);
    expect(small.opaque.length).toBeGreaterThan(0);
  });

  it('stays within its size, dropping the least recently used text first', () => {
    const memo = createFormsMemo(1000);
    const texts = Array.from({ length: 20 }, (_, i) => `text-${i}-${'x'.repeat(100)}`);
    for (const t of texts) memo.get(t, () => result(1));
    expect(memo.size).toBeLessThanOrEqual(1000);
    let recomputed = 0;
    const last = texts.at(-1)!;
    memo.get(last, () => (recomputed++, result(1)));
    expect(recomputed).toBe(0);
    memo.get(texts[0]!, () => (recomputed++, result(1)));
    expect(recomputed).toBe(1);
  });

  it('leaves expandForms answering what it answers without the memo', () => {
    // A base64 name, a random-looking block (opaque) and plain text: the second call is served
    // from the memo and must equal the first.
    for (const text of [
      'run S2lhbiBNaW5pc3RyeSBvZiBFbmVyZ3k= now',
      'blob 9f8AcQ2+zR7kLmP0wXyTuVbN5sDe3hGi4jKo6lMn8pQr1sTu2vWx3yZa4bCd5eFg',
      'nothing encoded here at all',
    ]) {
      const first = expandForms(text);
      expect(expandForms(text)).toEqual(first);
    }
    expect(
      expandForms('run S2lhbiBNaW5pc3RyeSBvZiBFbmVyZ3k= now').forms.map((f) => f.text),
    ).toContain('Kian Ministry of Energy');
  });
});
