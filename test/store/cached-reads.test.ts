// The page cache (src/store/cached-reads.ts) must be invisible: the whole Store contract runs
// again through it on both backends, so every write-then-read case checks that no write
// leaves a stale page behind. The cache's own promises (hits, bounds, failures) follow.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedReads } from '../../src/store/cached-reads.js';
import { openMongoStore } from '../../src/store/mongo/mongo-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ObjectQuery, Store } from '../../src/store/types.js';
import { testMongoServer, testMongoUri, uniqueDbName } from '../support/mongo-server.js';
import {
  at,
  describeStoreConformance,
  lastVersion,
  makeCollection,
  makeObject,
} from './conformance.js';

async function openCachedSqlite(maxBytes = 1 << 20) {
  const dir = mkdtempSync(path.join(tmpdir(), 'stixgate-cached-'));
  const inner = await openSqliteStore({ dataDir: dir });
  return {
    inner,
    store: cachedReads(inner, { maxBytes }),
    cleanup: async () => {
      await inner.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeStoreConformance('sqlite, pages cached', openCachedSqlite, { atomicWrites: true });

describeStoreConformance(
  `mongodb on ${testMongoServer()}, pages cached`,
  async () => {
    const inner = await openMongoStore({
      uri: testMongoUri(),
      dbName: uniqueDbName(),
    });
    return {
      store: cachedReads(inner, { maxBytes: 1 << 20 }),
      cleanup: async () => {
        await inner.db.dropDatabase().catch(() => undefined);
        await inner.close();
      },
    };
  },
  { atomicWrites: false },
);

/** Counts the reads that reach the wrapped store. */
function counting(store: Store, fail?: () => boolean): { store: Store; reads: () => number } {
  let reads = 0;
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'query' || property === 'queryBodies') {
        return (...args: unknown[]) => {
          reads += 1;
          if (fail?.()) return Promise.reject(new Error('store down'));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: counted, reads: () => reads };
}

const everything: ObjectQuery = { versions: lastVersion, limit: 50 };

describe('cachedReads', () => {
  it('answers a repeated query from memory until a write moves the revision', async () => {
    const opened = await openCachedSqlite();
    try {
      const { store: inner, reads } = counting(opened.inner);
      const store = cachedReads(inner, { maxBytes: 1 << 20 });
      const c = makeCollection();
      await store.putCollection(c);
      await store.addObjects(c.id, [makeObject({ name: 'a' })], at(1));
      const first = await store.queryBodies(c.id, everything);
      const again = await store.queryBodies(c.id, { limit: 50, versions: lastVersion });
      expect(again).toBe(first);
      expect(reads()).toBe(1);
      expect(store.readCacheStats()).toMatchObject({ hits: 1, misses: 1, entries: 1 });

      await store.addObjects(c.id, [makeObject({ name: 'b' })], at(2));
      const after = await store.queryBodies(c.id, everything);
      expect(reads()).toBe(2);
      expect(after.positions).toHaveLength(2);
      // query() and queryBodies() are kept apart.
      expect((await store.query(c.id, everything)).records).toHaveLength(2);
      expect(reads()).toBe(3);
    } finally {
      await opened.cleanup();
    }
  });

  it('sees a write made by another handle on the same store', async () => {
    const opened = await openCachedSqlite();
    try {
      const c = makeCollection();
      await opened.inner.putCollection(c);
      await opened.store.addObjects(c.id, [makeObject()], at(1));
      expect((await opened.store.query(c.id, everything)).records).toHaveLength(1);
      await opened.inner.addObjects(c.id, [makeObject()], at(2));
      expect((await opened.store.query(c.id, everything)).records).toHaveLength(2);
    } finally {
      await opened.cleanup();
    }
  });

  it('hands out frozen pages, shares one read between concurrent misses, forgets failures', async () => {
    const opened = await openCachedSqlite();
    try {
      let failing = true;
      const { store: inner, reads } = counting(opened.inner, () => failing);
      const store = cachedReads(inner, { maxBytes: 1 << 20 });
      const c = makeCollection();
      await store.putCollection(c);
      await store.addObjects(c.id, [makeObject()], at(1));
      await expect(store.query(c.id, everything)).rejects.toThrow('store down');
      failing = false;
      const [a, b] = await Promise.all([
        store.query(c.id, everything),
        store.query(c.id, everything),
      ]);
      expect(a).toBe(b);
      expect(reads()).toBe(2);
      expect(Object.isFrozen(a.records[0])).toBe(true);
      expect(() => (a.records as unknown[]).push({})).toThrow(TypeError);
    } finally {
      await opened.cleanup();
    }
  });

  it('stays within its byte bound, dropping the least recently used page first', async () => {
    const opened = await openCachedSqlite();
    try {
      const { store: inner, reads } = counting(opened.inner);
      const store = cachedReads(inner, { maxBytes: 64 * 1024 });
      const c = makeCollection();
      await store.putCollection(c);
      await store.addObjects(
        c.id,
        Array.from({ length: 40 }, (_, i) => makeObject({ name: `${i} ${'x'.repeat(1000)}` })),
        at(1),
      );
      const hot: ObjectQuery = { versions: lastVersion, limit: 1 };
      await store.query(c.id, hot);
      for (let limit = 2; limit <= 12; limit++) {
        await store.query(c.id, { versions: lastVersion, limit });
        await store.query(c.id, hot);
        expect(store.readCacheStats().bytes).toBeLessThanOrEqual(64 * 1024);
      }
      // The hot page was used after every other one: never evicted, while older ones were.
      expect(reads()).toBe(12);
      expect(store.readCacheStats().entries).toBeLessThan(12);
      // A page larger than the whole bound is served but not kept, and pushes nothing out.
      await store.query(c.id, { versions: lastVersion, limit: 40 });
      await store.query(c.id, { versions: lastVersion, limit: 40 });
      expect(reads()).toBe(14);
      await store.query(c.id, hot);
      expect(reads()).toBe(14);
    } finally {
      await opened.cleanup();
    }
  });

  it('does nothing when its bound is 0', async () => {
    const opened = await openCachedSqlite();
    try {
      const { store: inner, reads } = counting(opened.inner);
      const store = cachedReads(inner, { maxBytes: 0 });
      const c = makeCollection();
      await store.putCollection(c);
      await store.query(c.id, everything);
      await store.query(c.id, everything);
      expect(reads()).toBe(2);
    } finally {
      await opened.cleanup();
    }
  });
});
