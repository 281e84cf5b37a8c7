// R13: the derived-bytes cache of partner reads. One entry per object version as derived for
// one audience under one sharing state (policy revisions, registry revision, key epochs) and
// one neighbourhood (the stored versions of the objects it references, which decide R10):
// the key holds all of them, so an entry never serves another group, another policy or a
// reference set that changed. Bounded by bytes (least recently used goes first) and emptied on
// every reload. A cache only: losing it changes nothing but the cost (DESIGN.md "Scaling out").
import { createHash } from 'node:crypto';

/** What derive() decided for one object version (served bytes, or withheld), with its R14 hits. */
export interface DerivedEntry {
  /** Absent when the object is withheld. */
  served?: { derivedId: string; json: string };
  withheldReason?: string;
  hits: { rule: string; path: string; operator: string; objectId: string }[];
  /**
   * The scanner (of one sharing state) that last found `served.json` clean on its way out
   * (R13). The scan is a pure function of the bytes and the detectors, so the same scanner
   * would answer the same: only bytes not yet scanned by the scanner in force are scanned.
   */
  egressCleanFor?: object;
}

export interface DerivedCacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

export interface DerivedCache {
  get(key: string): DerivedEntry | undefined;
  set(key: string, entry: DerivedEntry): void;
  delete(key: string): void;
  clear(): void;
  stats(): DerivedCacheStats;
}

export const DEFAULT_DERIVED_CACHE_BYTES = 64 * 1024 * 1024;
/** Map entry, key and bookkeeping overhead counted per entry on top of the strings. */
const ENTRY_OVERHEAD = 200;

function sizeOf(key: string, entry: DerivedEntry): number {
  // UTF-16 code units ×2: what the strings occupy in memory, close enough for a bound.
  let size = ENTRY_OVERHEAD + key.length * 2;
  if (entry.served) size += (entry.served.json.length + entry.served.derivedId.length) * 2;
  if (entry.withheldReason) size += entry.withheldReason.length * 2;
  for (const h of entry.hits) size += 64 + (h.path.length + h.objectId.length) * 2;
  return size;
}

/** An LRU bounded by (estimated) bytes; `maxBytes` 0 disables caching. */
export function createDerivedCache(maxBytes: number = DEFAULT_DERIVED_CACHE_BYTES): DerivedCache {
  // A Map iterates in insertion order: re-inserting on access makes the first key the LRU one.
  const entries = new Map<string, { entry: DerivedEntry; size: number }>();
  let bytes = 0;
  let hits = 0;
  let misses = 0;
  let evictions = 0;
  const remove = (key: string): void => {
    const found = entries.get(key);
    if (found === undefined) return;
    entries.delete(key);
    bytes -= found.size;
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
      return found.entry;
    },
    set(key, entry) {
      const size = sizeOf(key, entry);
      remove(key);
      if (size > maxBytes) return;
      entries.set(key, { entry, size });
      bytes += size;
      while (bytes > maxBytes) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        remove(oldest.value);
        evictions += 1;
      }
    },
    delete: remove,
    clear() {
      entries.clear();
      bytes = 0;
    },
    stats: () => ({ entries: entries.size, bytes, maxBytes, hits, misses, evictions }),
  };
}

/** A fixed-length cache key from its parts (NUL-separated, so parts can never run together). */
export function cacheKey(parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
}
