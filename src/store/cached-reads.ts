// A Store that remembers the answers of query() and queryBodies(), keyed on the collection's
// content revision (Store.collectionRevision): a page asked again while nothing in its
// collection changed is served without walking the rows. Any write that changes the
// collection, through this process or any other on the same store, moves the revision, so an
// entry is never served after the content it came from changed. Bounded in bytes, least
// recently used first out; concurrent misses of one key share one store read.
//
// Correctness rests on the order: the revision is read before the page. A page read after a
// concurrent write may be newer than the revision it is kept under, never older, and that
// revision is superseded by the write.
import { createByteLru, type ByteLruStats } from '../byte-lru.js';
import type { BodyPage, ObjectPage, ObjectQuery, ObjectRecord, Store } from './types.js';

export interface CachedReadsOptions {
  /** Bytes of pages kept (estimated from their content); 0 turns the cache off. */
  maxBytes: number;
}

export type ReadCacheStats = ByteLruStats;

export interface CachedReadsStore extends Store {
  readCacheStats(): ReadCacheStats;
}

/** What one record costs in memory besides its JSON text (object, fields, strings). */
const RECORD_OVERHEAD = 320;
/** What one page entry costs besides its records (key, maps, promise). */
const ENTRY_OVERHEAD = 512;

export function cachedReads(store: Store, options: CachedReadsOptions): CachedReadsStore {
  const pages = createByteLru<ObjectPage | BodyPage>(options.maxBytes);
  // Reads under way, so that concurrent misses of one key share one store read; a failed read
  // is not remembered: the next caller asks the store again.
  const reading = new Map<string, Promise<ObjectPage | BodyPage>>();

  async function cached<T extends ObjectPage | BodyPage>(
    kind: 'records' | 'bodies',
    collectionId: string,
    query: ObjectQuery,
    read: () => Promise<T>,
    size: (value: T) => number,
  ): Promise<T> {
    if (options.maxBytes <= 0) return read();
    const revision = await store.collectionRevision(collectionId);
    if (revision === undefined) return read();
    const key = `${kind}\u0000${collectionId}\u0000${revision}\u0000${queryKey(query)}`;
    const pending = reading.get(key);
    if (pending !== undefined) return pending as Promise<T>;
    const found = pages.get(key);
    if (found !== undefined) return found as T;
    const value = read().then(freezePage);
    reading.set(key, value);
    try {
      const page = await value;
      pages.set(key, page, ENTRY_OVERHEAD + key.length * 2 + size(page));
      return page;
    } finally {
      reading.delete(key);
    }
  }

  const overrides: Partial<CachedReadsStore> = {
    query: (collectionId, query) =>
      cached('records', collectionId, query, () => store.query(collectionId, query), recordsSize),
    queryBodies: (collectionId, query) =>
      cached(
        'bodies',
        collectionId,
        query,
        () => store.queryBodies(collectionId, query),
        bodiesSize,
      ),
    readCacheStats: () => pages.stats(),
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof typeof overrides];
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as CachedReadsStore;
}

/**
 * The query as a key: every field that selects records, in a fixed order, so that the same
 * question asked with its properties in another order hits the same entry.
 */
export function queryKey(query: ObjectQuery): string {
  return JSON.stringify([
    query.addedAfter ?? null,
    query.ids ?? null,
    query.types ?? null,
    query.versions,
    query.specVersions ?? null,
    query.limit,
    query.visibility?.tlp ?? null,
    query.visibility?.excludeTypes ?? null,
  ]);
}

/** Pages are shared between callers: nobody may change one. */
function freezePage<T extends ObjectPage | BodyPage>(page: T): T {
  if ('records' in page) {
    for (const record of page.records) Object.freeze(record);
    Object.freeze(page.records);
  } else {
    Object.freeze(page.positions);
    Object.freeze(page.ends);
  }
  return Object.freeze(page);
}

function recordsSize(page: ObjectPage): number {
  let total = 0;
  for (const record of page.records as readonly ObjectRecord[])
    total += RECORD_OVERHEAD + record.json.length * 2 + record.id.length * 2;
  return total;
}

function bodiesSize(page: BodyPage): number {
  return page.body.length + page.positions.length * 16 + 64;
}
