// The MongoDB store: the conformance suite unchanged, plus what only MongoDB has (indexes made
// at start, several instances on one database). Runs on MONGODB_URI when set, else on the
// jongodb server started by test/support/global-setup.ts; each store gets its own database.
import { afterEach, describe, expect, it } from 'vitest';
import { openMongoStore, type MongoStore } from '../../src/store/mongo/mongo-store.js';
import { expectedIndexes } from '../../src/store/mongo/schema.js';
import { testMongoServer, testMongoUri, uniqueDbName } from '../support/mongo-server.js';
import { describeStoreConformance } from './conformance.js';

async function dropQuietly(store: MongoStore): Promise<void> {
  // jongodb has no dropDatabase; its databases vanish with the process.
  await store.db.dropDatabase().catch(() => undefined);
}

describeStoreConformance(`mongodb on ${testMongoServer()}`, async () => {
  const store = await openMongoStore({ uri: testMongoUri(), dbName: uniqueDbName() });
  return {
    store,
    cleanup: async () => {
      await dropQuietly(store);
      await store.close();
    },
  };
});

describe('mongodb store', () => {
  const stores: MongoStore[] = [];

  async function open(
    dbName = uniqueDbName(),
    options: { reservationTtlMs?: number; wallClock?: () => number } = {},
  ): Promise<MongoStore> {
    const store = await openMongoStore({ uri: testMongoUri(), dbName, ...options });
    stores.push(store);
    return store;
  }

  afterEach(async () => {
    for (const store of stores.splice(0)) {
      await dropQuietly(store);
      await store.close();
    }
  });

  it('creates its indexes at start', async () => {
    const store = await open();
    for (const [collection, names] of Object.entries(expectedIndexes)) {
      const indexes = await store.db.collection(collection).listIndexes().toArray();
      expect(indexes.map((index) => index.name as string)).toEqual(expect.arrayContaining(names));
    }
  });
});
