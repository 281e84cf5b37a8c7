// Whole derived pages of partner reads, kept by everything their derivation depends on: the
// sharing state (generation, audience, key epoch, policy and registry revisions), the
// collection's settings and content revision (Store.collectionRevision), the surface and the
// exact records asked for. A poll that repeats a page while neither the policy nor the
// collection changed is served without parsing, fetching references or deriving anything;
// what it served is still audited (R14) for the caller who asked. Bounded by bytes, least
// recently used first out; emptied on every reload. A cache only: losing it changes nothing
// but the cost.
import type { ServedObject } from '../sharing/engine.js';
import type { RuleHit } from '../sharing/work.js';
import type { ObjectRecord } from '../store/types.js';
import { createByteLru, type ByteLruStats } from '../byte-lru.js';

/** What one derivation of a page decided: the records sent, and what its audit record holds. */
export interface DerivedPage {
  out: readonly ObjectRecord[];
  served: readonly ServedObject[];
  withheld: readonly { id: string; reason: string }[];
  hits: readonly RuleHit[];
  /** Objects withheld by the egress scan (R13), for the alert. */
  egress: readonly string[];
  /** How many of the input records are sent (the rest were look-ahead): none → no audit. */
  audited: number;
}

export type PageCacheStats = ByteLruStats;

export interface PageCache {
  get(key: string): DerivedPage | undefined;
  set(key: string, page: DerivedPage): void;
  clear(): void;
  stats(): PageCacheStats;
}

export const DEFAULT_PAGE_CACHE_BYTES = 16 * 1024 * 1024;
const PAGE_OVERHEAD = 512;
const RECORD_OVERHEAD = 240;

function sizeOf(key: string, page: DerivedPage): number {
  let size = PAGE_OVERHEAD + key.length * 2;
  for (const r of page.out) size += RECORD_OVERHEAD + (r.json.length + r.id.length) * 2;
  for (const s of page.served) size += 96 + (s.originalId.length + s.derivedId.length) * 2;
  for (const w of page.withheld) size += 64 + (w.id.length + w.reason.length) * 2;
  for (const h of page.hits) size += 64 + (h.path.length + h.objectId.length) * 2;
  return size;
}

export function createPageCache(maxBytes: number = DEFAULT_PAGE_CACHE_BYTES): PageCache {
  const lru = createByteLru<DerivedPage>(maxBytes);
  return {
    get: (key) => lru.get(key),
    set(key, page) {
      // Kept pages are handed to every later reader of that page: nobody may change one.
      for (const record of page.out) Object.freeze(record);
      lru.set(key, Object.freeze(page), sizeOf(key, page));
    },
    clear: () => lru.clear(),
    stats: () => lru.stats(),
  };
}
