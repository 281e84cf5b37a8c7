import { describe, expect, it } from 'vitest';
import { splitRecordText } from '../../../src/store/mongo/statuses.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('splitRecordText', () => {
  it('splits into parts of at most the given size that join back to the text', () => {
    const text = 'abcdefghij'.repeat(7);
    const parts = splitRecordText(text, 16);
    expect(parts.every((p) => p.length <= 16)).toBe(true);
    expect(parts.join('')).toBe(text);
    expect(parts).toHaveLength(5);
  });

  it('never cuts a surrogate pair', () => {
    const text = 'aaa😀bbb😀ccc';
    for (const size of [2, 3, 4, 5]) {
      const parts = splitRecordText(text, size);
      expect(parts.join('')).toBe(text);
      for (const part of parts) expect(part).not.toMatch(LONE_SURROGATE);
    }
  });

  it('gives one empty part for an empty text', () => {
    expect(splitRecordText('', 8)).toEqual(['']);
  });
});
