// R13: the derived-bytes cache of partner reads. One entry per object version as derived for
// one audience under one sharing state (policy revisions, registry revision, key epochs) and
// one neighbourhood (the stored versions of the objects it references, which decide R10):
// the key holds all of them, so an entry never serves another group, another policy or a
// reference set that changed. Bounded by bytes (least recently used goes first) and emptied on
// every reload. A cache only: losing it changes nothing but the cost.
import { createHash } from 'node:crypto';
import { createByteLru, type ByteLruStats } from '../byte-lru.js';

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

export type DerivedCacheStats = ByteLruStats;

export interface DerivedCache {
  get(key: string): DerivedEntry | undefined;
  set(key: string, entry: DerivedEntry): void;
  delete(key: string): void;
  clear(): void;
  stats(): DerivedCacheStats;
}

export const DEFAULT_DERIVED_CACHE_BYTES = 32 * 1024 * 1024;
/**
 * What one entry costs the heap besides its strings: the Map's slot, the LRU record, the entry
 * and its `served` object, an empty hits array. Calibrated on the benchmark corpus (live heap
 * after a forced GC, over the entries added): about 260 bytes.
 */
const ENTRY_OVERHEAD = 260;
/** A hit's object and its slot in the hits array, besides its strings. */
const HIT_OVERHEAD = 64;
/** A string's header (map, hash, length), rounded up to the heap's 8-byte alignment. */
const STRING_HEADER = 16;

/** Anything outside Latin-1 makes V8 store the whole string as two bytes a character. */
// eslint-disable-next-line no-control-regex
const TWO_BYTE = /[^\u0000-\u00ff]/;

/**
 * What a string occupies in V8's heap: one byte a character when every character is Latin-1
 * (most derived JSON: ASCII keys, ids, timestamps), two otherwise (Persian text). Counting every
 * string at two bytes a character, as this cache once did, held 0.6–0.7 of the bytes it claimed.
 */
export function stringHeapBytes(s: string): number {
  return STRING_HEADER + s.length * (TWO_BYTE.test(s) ? 2 : 1);
}

/** Bytes an entry holds in the heap, within ~10 % on the benchmark corpus. */
function sizeOf(key: string, entry: DerivedEntry): number {
  let size = ENTRY_OVERHEAD + stringHeapBytes(key);
  if (entry.served)
    size += stringHeapBytes(entry.served.json) + stringHeapBytes(entry.served.derivedId);
  if (entry.withheldReason) size += stringHeapBytes(entry.withheldReason);
  for (const h of entry.hits)
    size += HIT_OVERHEAD + stringHeapBytes(h.path) + stringHeapBytes(h.objectId);
  return size;
}

/** An LRU bounded by the heap bytes its entries hold; `maxBytes` 0 disables caching. */
export function createDerivedCache(maxBytes: number = DEFAULT_DERIVED_CACHE_BYTES): DerivedCache {
  const lru = createByteLru<DerivedEntry>(maxBytes);
  return {
    get: (key) => lru.get(key),
    set(key, entry) {
      lru.set(key, entry, sizeOf(key, entry));
    },
    delete: (key) => lru.delete(key),
    clear: () => lru.clear(),
    stats: () => lru.stats(),
  };
}

/** A fixed-length cache key from its parts (NUL-separated, so parts can never run together). */
export function cacheKey(parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
}
