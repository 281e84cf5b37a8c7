// A map bounded by the bytes its entries are estimated to hold, least recently used first out:
// the one eviction rule behind the read caches (store pages, derived partner objects and
// pages). An entry larger than the whole bound is not kept, so it cannot push out the rest.
// A leaf module: the callers estimate sizes, this only counts them.

export interface ByteLruStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

export interface ByteLru<V> {
  /** Counts a hit or a miss; a hit becomes the most recently used entry. */
  get(key: string): V | undefined;
  /** Replaces any entry under `key`; false when `bytes` exceeds the whole bound (not kept). */
  set(key: string, value: V, bytes: number): boolean;
  delete(key: string): void;
  clear(): void;
  stats(): ByteLruStats;
}

export function createByteLru<V>(maxBytes: number): ByteLru<V> {
  // A Map iterates in insertion order: re-inserting on access makes the first key the oldest.
  const entries = new Map<string, { value: V; bytes: number }>();
  let bytes = 0;
  let hits = 0;
  let misses = 0;
  let evictions = 0;
  const remove = (key: string): void => {
    const found = entries.get(key);
    if (found === undefined) return;
    entries.delete(key);
    bytes -= found.bytes;
  };
  return {
    get(key) {
      const found = entries.get(key);
      if (found === undefined) {
        misses += 1;
        return undefined;
      }
      hits += 1;
      entries.delete(key);
      entries.set(key, found);
      return found.value;
    },
    set(key, value, size) {
      remove(key);
      if (size > maxBytes) return false;
      entries.set(key, { value, bytes: size });
      bytes += size;
      for (const oldest of entries.keys()) {
        if (bytes <= maxBytes) break;
        remove(oldest);
        evictions += 1;
      }
      return true;
    },
    delete: remove,
    clear() {
      entries.clear();
      bytes = 0;
    },
    stats: () => ({ entries: entries.size, bytes, maxBytes, hits, misses, evictions }),
  };
}
