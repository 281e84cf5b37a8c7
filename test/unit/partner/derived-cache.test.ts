// The derived-bytes cache (R13): bounded by bytes, least recently used evicted first.
import { describe, expect, it } from 'vitest';
import {
  cacheKey,
  createDerivedCache,
  stringHeapBytes,
  type DerivedEntry,
} from '../../../src/partner/derived-cache.js';

const entry = (json: string): DerivedEntry => ({ served: { derivedId: 'x--1', json }, hits: [] });

describe('createDerivedCache', () => {
  it('returns what was stored and counts hits and misses', () => {
    const cache = createDerivedCache(10_000);
    cache.set('a', entry('{"a":1}'));
    expect(cache.get('a')).toEqual(entry('{"a":1}'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 1, misses: 1 });
  });

  it('evicts the least recently used entries when over its byte bound', () => {
    // Two of these fit in the bound, three do not.
    const big = 'x'.repeat(2000);
    const cache = createDerivedCache(5_000);
    cache.set('a', entry(big));
    cache.set('b', entry(big));
    cache.get('a');
    cache.set('c', entry(big));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.stats().bytes).toBeLessThanOrEqual(5_000);
    expect(cache.stats().evictions).toBe(1);
  });

  it('keeps nothing when disabled, and empties on clear', () => {
    const off = createDerivedCache(0);
    off.set('a', entry('{}'));
    expect(off.get('a')).toBeUndefined();
    const cache = createDerivedCache(10_000);
    cache.set('a', entry('{}'));
    cache.clear();
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });
});

describe('stringHeapBytes', () => {
  it('counts Latin-1 text at one byte a character and anything else at two', () => {
    const ascii = stringHeapBytes('a'.repeat(100));
    const persian = stringHeapBytes('ش'.repeat(100));
    expect(persian - ascii).toBe(100);
    // One character outside Latin-1 makes the whole string two bytes a character.
    expect(stringHeapBytes(`${'a'.repeat(99)}ش`)).toBe(persian);
  });

  it('bounds entries by what they hold: Persian text fills the cache faster', () => {
    const fill = (text: string): number => {
      const cache = createDerivedCache(100_000);
      for (let i = 0; i < 1000; i++) cache.set(`k${i}`, entry(text));
      return cache.stats().entries;
    };
    expect(fill('ش'.repeat(2000))).toBeLessThan(fill('a'.repeat(2000)));
  });
});

describe('cacheKey', () => {
  it('never lets parts run together', () => {
    expect(cacheKey(['ab', 'c'])).not.toBe(cacheKey(['a', 'bc']));
    expect(cacheKey(['g1', 1])).toBe(cacheKey(['g1', '1']));
  });
});
