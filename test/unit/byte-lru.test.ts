// The eviction rule shared by the read caches.
import { describe, expect, it } from 'vitest';
import { createByteLru } from '../../src/byte-lru.js';

describe('createByteLru', () => {
  it('drops the least recently used entries first, and counts hits, misses and evictions', () => {
    const lru = createByteLru<string>(30);
    lru.set('a', 'A', 10);
    lru.set('b', 'B', 10);
    lru.set('c', 'C', 10);
    expect(lru.get('a')).toBe('A');
    lru.set('d', 'D', 10);
    expect(lru.get('b')).toBeUndefined();
    expect([lru.get('a'), lru.get('c'), lru.get('d')]).toEqual(['A', 'C', 'D']);
    expect(lru.stats()).toEqual({
      entries: 3,
      bytes: 30,
      maxBytes: 30,
      hits: 4,
      misses: 1,
      evictions: 1,
    });
  });

  it('keeps nothing larger than its bound, and pushes nothing out for it', () => {
    const lru = createByteLru<string>(30);
    lru.set('a', 'A', 20);
    expect(lru.set('big', 'X', 31)).toBe(false);
    expect(lru.get('big')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
    // Replacing an entry counts its new size only.
    lru.set('a', 'A2', 25);
    expect(lru.stats().bytes).toBe(25);
    lru.delete('a');
    expect(lru.stats()).toMatchObject({ entries: 0, bytes: 0 });
    lru.set('b', 'B', 5);
    lru.clear();
    expect(lru.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('keeps nothing with a bound of 0', () => {
    const lru = createByteLru<string>(0);
    expect(lru.set('a', 'A', 1)).toBe(false);
    expect(lru.get('a')).toBeUndefined();
  });
});
