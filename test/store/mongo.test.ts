// The MongoDB store: the conformance suite unchanged, plus what only MongoDB has (indexes made
// at start, several instances on one database). Runs on MONGODB_URI when set, else on the
// jongodb server started by test/support/global-setup.ts; each store gets its own database.
import {
  MongoBulkWriteError,
  MongoClient,
  type Collection,
  type Filter,
  type WriteError,
} from 'mongodb';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, UnavailableError } from '../../src/errors.js';
import { DateAddedClock } from '../../src/store/mongo/date-added.js';
import { MongoStore, openMongoStore } from '../../src/store/mongo/mongo-store.js';
import { insertAll, ObjectWrites } from '../../src/store/mongo/object-writes.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import {
  auditClockId,
  collectionNames,
  expectedIndexes,
  type ClockDoc,
  type CollectionDoc,
  type ObjectDoc,
} from '../../src/store/mongo/schema.js';
import type {
  AddOutcome,
  Micros,
  NewObject,
  ObjectQuery,
  ObjectRecord,
  Store,
  VersionKey,
  VersionSelector,
} from '../../src/store/types.js';
import { compareVersionKeys, parseStixTimestamp } from '../../src/stix/timestamp.js';
import { testMongoServer, testMongoUri, uniqueDbName } from '../support/mongo-server.js';
import {
  allVersions,
  at,
  describeStoreConformance,
  lastVersion,
  makeAudit,
  makeCollection,
  makeObject,
  makeVersion,
  vk,
} from './conformance.js';

const keyOf = (record: { id: string; version: VersionKey }): string =>
  `${record.id}@${record.version}`;

/** Every record after `addedAfter`, in pages of `limit`. */
async function pageToEnd(
  store: Store,
  collectionId: string,
  addedAfter: Micros | undefined,
  limit: number,
  seen: ObjectRecord[],
  versions = allVersions,
): Promise<Micros | undefined> {
  let position = addedAfter;
  for (;;) {
    const page = await store.query(collectionId, { versions, addedAfter: position, limit });
    seen.push(...page.records);
    position = page.records[page.records.length - 1]?.dateAdded ?? position;
    if (!page.more) return position;
  }
}

async function dropQuietly(store: MongoStore): Promise<void> {
  // jongodb has no dropDatabase; its databases vanish with the process.
  await store.db.dropDatabase().catch(() => undefined);
}

describeStoreConformance(
  `mongodb on ${testMongoServer()}`,
  async () => {
    const store = await openMongoStore({ uri: testMongoUri(), dbName: uniqueDbName() });
    return {
      store,
      cleanup: async () => {
        await dropQuietly(store);
        await store.close();
      },
    };
  },
  { atomicWrites: false },
);

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

  it('answers UnavailableError when no server can be reached', async () => {
    // Port 1: nothing listens there; the short selection timeout keeps the test quick.
    const uri = 'mongodb://127.0.0.1:1/stixgate?serverSelectionTimeoutMS=200&connectTimeoutMS=200';
    await expect(openMongoStore({ uri })).rejects.toBeInstanceOf(UnavailableError);
  });

  it('keeps majority journaled writes and majority reads from the primary whatever the URI says', async () => {
    const uri = new URL(testMongoUri());
    uri.searchParams.set('w', '1');
    uri.searchParams.set('readPreference', 'secondaryPreferred');
    uri.searchParams.set('readConcernLevel', 'local');
    const store = await openMongoStore({ uri: uri.toString(), dbName: uniqueDbName() });
    stores.push(store);
    expect(store.db.writeConcern).toMatchObject({ w: 'majority', journal: true });
    expect(store.db.readPreference.mode).toBe('primary');
    expect(store.db.readConcern?.level).toBe('majority');
  });

  it('creates its indexes at start', async () => {
    const store = await open();
    for (const [collection, names] of Object.entries(expectedIndexes)) {
      const indexes = await store.db.collection(collection).listIndexes().toArray();
      expect(indexes.map((index) => index.name as string)).toEqual(expect.arrayContaining(names));
    }
  });
});

describe('mongodb store schema migration (versions as doubles → exact version keys)', () => {
  const stores: MongoStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) {
      await dropQuietly(store);
      await store.close();
    }
  });
  async function open(dbName: string): Promise<MongoStore> {
    const store = await openMongoStore({ uri: testMongoUri(), dbName });
    stores.push(store);
    return store;
  }

  const indicator = 'indicator--00000000-0000-4000-8000-000000000001';
  const malware = 'malware--00000000-0000-4000-8000-000000000002';
  const ip = 'ipv4-addr--00000000-0000-4000-8000-000000000003';
  const far1 = '3000-01-01T00:00:00.000001Z';
  const far3 = '3000-01-01T00:00:00.000003Z';
  const rounded = (text: string): number => parseStixTimestamp(text)!;
  const body = (id: string, fields: Record<string, string>): string =>
    JSON.stringify({ type: id.split('--')[0], id, ...fields });

  /**
   * A database as a build with double versions left it: objects with `versionMicros` (rounded
   * past 2255), its unique index objects_by_id on it, no schema document.
   */
  async function writeLegacyDatabase(dbName: string): Promise<string> {
    const client = await new MongoClient(testMongoUri()).connect();
    try {
      const db = client.db(dbName);
      const collection = makeCollection();
      const collectionDoc: CollectionDoc = {
        _id: collection.id,
        apiRoot: collection.apiRoot,
        createdAt: collection.createdAt,
        record: JSON.stringify(collection),
        lastAdded: at(9),
        pending: [],
        clockRev: 0,
      };
      await db.collection<CollectionDoc>(collectionNames.collections).insertOne(collectionDoc);
      const objects = db.collection(collectionNames.objects);
      // jongodb has no dropIndexes command, so the old index the migration drops exists only
      // on a real mongod (MONGODB_URI); the rest of the migration runs on both.
      if (testMongoServer() === 'mongod') {
        await objects.createIndex(
          { collectionId: 1, id: 1, versionMicros: 1 },
          { name: 'objects_by_id', unique: true },
        );
      }
      const doc = (
        id: string,
        versionMicros: number,
        dateAdded: number,
        markers: [boolean, boolean],
        json: string,
      ) => ({
        collectionId: collection.id,
        id,
        type: id.split('--')[0],
        specVersion: '2.1',
        versionMicros,
        dateAdded,
        isLatest: markers[0],
        isFirst: markers[1],
        tlp: 'green',
        revoked: false,
        json,
      });
      const created = '2026-01-01T00:00:00.000Z';
      await objects.insertMany([
        doc(indicator, at(0), 1, [false, true], body(indicator, { created, modified: created })),
        doc(
          indicator,
          rounded(far1),
          2,
          [false, false],
          body(indicator, { created, modified: far1 }),
        ),
        // Both marked latest, as a rounded comparison or a crash could leave them.
        doc(
          indicator,
          rounded(far3),
          3,
          [true, false],
          body(indicator, { created, modified: far3 }),
        ),
        doc(
          indicator,
          at(5),
          4,
          [true, false],
          body(indicator, { created, modified: '2026-01-01T00:00:05Z' }),
        ),
        doc(
          malware,
          rounded('9999-12-31T23:59:59.999991Z'),
          5,
          [true, true],
          body(malware, { created: '9999-12-31T23:59:59.999991Z' }),
        ),
        { ...doc(ip, at(9), at(9), [true, true], body(ip, {})), unversionedHash: 'h' },
      ]);
      return collection.id;
    } finally {
      await client.close();
    }
  }

  it('fills exact versions from the bodies, corrects rounded ones, recomputes markers, swaps the index', async () => {
    const dbName = uniqueDbName();
    const collectionId = await writeLegacyDatabase(dbName);
    const store = await open(dbName);
    expect(store.migration).toEqual({ from: 1, to: 2, versionsFilled: 6, versionsCorrected: 3 });
    const all = await store.query(collectionId, { versions: allVersions, limit: 100 });
    expect(all.records.map((r) => [r.id, r.version, r.dateAdded, r.isLatest, r.isFirst])).toEqual([
      [indicator, '2026-01-01T00:00:00.000000Z', 1, false, true],
      [indicator, far1, 2, false, false],
      [indicator, far3, 3, true, false],
      [indicator, '2026-01-01T00:00:05.000000Z', 4, false, false],
      [malware, '9999-12-31T23:59:59.999991Z', 5, true, true],
      [ip, vk(at(9)), at(9), true, true],
    ]);
    const raw = await store.db.collection(collectionNames.objects).find({}).toArray();
    expect(raw.filter((d) => 'versionMicros' in d)).toEqual([]);
    const indexes = (
      await store.db.collection(collectionNames.objects).listIndexes().toArray()
    ).map((index) => index.name as string);
    expect(indexes).toContain('objects_by_version');
    expect(indexes).not.toContain('objects_by_id');
    expect(
      await store.db.collection(collectionNames.meta).findOne({ _id: 'schema' as never }),
    ).toMatchObject({
      version: 2,
    });
    // The unique index holds on the exact key: the far version again is a duplicate of itself.
    const [again] = await store.addObjects(
      collectionId,
      [
        {
          id: indicator,
          type: 'indicator',
          specVersion: '2.1',
          version: far1 as VersionKey,
          tlp: 'green',
          revoked: false,
          json: body(indicator, { created: '2026-01-01T00:00:00.000Z', modified: far1 }),
        },
      ],
      at(20),
    );
    expect(again).toMatchObject({ outcome: 'duplicate', version: far1, dateAdded: 2 });
    // Opening again migrates nothing.
    const second = await open(dbName);
    expect(second.migration).toEqual({ from: 2, to: 2, versionsFilled: 0, versionsCorrected: 0 });
  });

  it('migrates once when several instances open the same old database at the same time', async () => {
    const dbName = uniqueDbName();
    const collectionId = await writeLegacyDatabase(dbName);
    const opened = await Promise.all([open(dbName), open(dbName), open(dbName)]);
    const store = opened[0]!;
    const all = await store.query(collectionId, { versions: allVersions, limit: 100 });
    expect(all.records.map((r) => r.version)).toEqual([
      '2026-01-01T00:00:00.000000Z',
      far1,
      far3,
      '2026-01-01T00:00:05.000000Z',
      '9999-12-31T23:59:59.999991Z',
      vk(at(9)),
    ]);
    const latest = await store.query(collectionId, { versions: lastVersion, limit: 100 });
    expect(latest.records.map((r) => `${r.id}@${r.version}`)).toEqual([
      `${indicator}@${far3}`,
      `${malware}@9999-12-31T23:59:59.999991Z`,
      `${ip}@${vk(at(9))}`,
    ]);
  });

  it('refuses a database written by a newer schema with ConfigError', async () => {
    const dbName = uniqueDbName();
    const client = await new MongoClient(testMongoUri()).connect();
    try {
      await client
        .db(dbName)
        .collection(collectionNames.meta)
        .insertOne({ _id: 'schema' as never, version: 3 });
    } finally {
      await client.close();
    }
    await expect(openMongoStore({ uri: testMongoUri(), dbName })).rejects.toBeInstanceOf(
      ConfigError,
    );
  });
});

describe('mongodb store with several instances on one database', () => {
  const stores: MongoStore[] = [];

  /** A store whose inserts of objects are delayed by 0–20 ms (test double of a slow network). */
  async function openDelayed(dbName: string): Promise<MongoStore> {
    const client = await new MongoClient(testMongoUri()).connect();
    const delayCollection = (collection: Collection): Collection =>
      new Proxy(collection, {
        get(target, property) {
          if (property === 'insertMany') {
            return async (...args: Parameters<Collection['insertMany']>) => {
              await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
              return target.insertMany(...args);
            };
          }
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function'
            ? (value as (...a: unknown[]) => unknown).bind(target)
            : value;
        },
      });
    const db = new Proxy(client.db(dbName), {
      get(target, property) {
        if (property === 'collection') {
          return (name: string) => {
            const collection = target.collection(name);
            return name === collectionNames.objects ? delayCollection(collection) : collection;
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function'
          ? (value as (...a: unknown[]) => unknown).bind(target)
          : value;
      },
    });
    const store = new MongoStore(client, db);
    stores.push(store);
    return store;
  }

  async function open(
    dbName: string,
    options: { reservationTtlMs?: number; wallClock?: () => number; instanceId?: string } = {},
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

  it('pages without skips or repeats while two instances write, and stores no version twice', async () => {
    const dbName = uniqueDbName();
    const reader = await open(dbName);
    // Writers whose inserts reach the server after a random delay, so that writes commit out of
    // date_added order (as on a loaded replica set) instead of in the order jongodb serialises.
    const [writerA, writerB] = [await openDelayed(dbName), await openDelayed(dbName)];
    const collection = makeCollection();
    await writerA.putCollection(collection);
    // Objects both instances post: each version must end up stored once.
    const shared = Array.from({ length: 10 }, (_, i) => makeObject({ version: at(i) }));
    const scos = Array.from({ length: 15 }, (_, i) =>
      makeObject({ version: null, name: `sco-${i}` }),
    );
    const outcomes: AddOutcome[] = [];
    async function write(store: Store, round: number): Promise<void> {
      const batch: NewObject[] = [
        ...Array.from({ length: 4 }, () => makeObject({ version: at(round) })),
        scos[round] as NewObject,
        makeVersion(shared[round % shared.length] as NewObject, at(100 + round)),
        shared[round % shared.length] as NewObject,
      ];
      // Same clock reading for both instances: date_added must still never repeat.
      outcomes.push(...(await store.addObjects(collection.id, batch, at(1000))));
    }
    let writing = true;
    const seen: ObjectRecord[] = [];
    const reading = (async () => {
      let position: Micros | undefined;
      while (writing) position = await pageToEnd(reader, collection.id, position, 3, seen);
      await pageToEnd(reader, collection.id, position, 3, seen);
    })();
    await Promise.all(
      [writerA, writerB].map(async (store) => {
        for (let round = 0; round < 15; round++) await write(store, round);
      }),
    );
    writing = false;
    await reading;

    const everything: ObjectRecord[] = [];
    await pageToEnd(reader, collection.id, undefined, 1000, everything);
    // No repeats and no skips: the reader saw exactly what is stored, in date_added order.
    expect(seen.map(keyOf)).toEqual(everything.map(keyOf));
    const dates = everything.map((record) => record.dateAdded);
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
    expect(new Set(dates).size).toBe(dates.length);
    // No duplicate versions: (id, version) is unique, and each added outcome is one record.
    expect(new Set(everything.map(keyOf)).size).toBe(everything.length);
    const addedOutcomes = outcomes.filter((outcome) => outcome.outcome === 'added');
    expect(addedOutcomes).toHaveLength(everything.length - 0);
    expect(await reader.countObjects(collection.id)).toBe(everything.length);
    // Both instances posted the same scos and shared versions: one of each was added.
    expect(everything.filter((record) => record.type === 'ipv4-addr')).toHaveLength(15);
    // Exactly one latest version per object.
    const latest = everything.filter((record) => record.isLatest);
    expect(new Set(latest.map((record) => record.id)).size).toBe(latest.length);
    expect(new Set(everything.map((record) => record.id)).size).toBe(latest.length);
  });

  it('stores a batch posted by two instances at once once, answering duplicate to one of them', async () => {
    const dbName = uniqueDbName();
    const [a, b] = [await open(dbName), await open(dbName)];
    const collection = makeCollection();
    await a.putCollection(collection);
    const batch = [
      ...Array.from({ length: 20 }, (_, i) => makeObject({ version: at(i) })),
      ...Array.from({ length: 5 }, (_, i) => makeObject({ version: null, name: `n${i}` })),
    ];
    const [first, second] = await Promise.all([
      a.addObjects(collection.id, batch, at(1000)),
      b.addObjects(collection.id, batch, at(1000)),
    ]);
    expect(await a.countObjects(collection.id)).toBe(batch.length);
    batch.forEach((object, i) => {
      const outcomes = [first?.[i], second?.[i]].map((outcome) => outcome?.outcome).sort();
      expect(outcomes).toEqual(['added', 'duplicate']);
      // Both answers name the one stored version.
      const [x, y] = [first?.[i], second?.[i]];
      expect(
        x?.outcome !== 'conflict' && y?.outcome !== 'conflict' && x?.dateAdded === y?.dateAdded,
      ).toBe(true);
    });
  });

  it('still ends a write on a whole millisecond when another writer stored its last object first', async () => {
    const store = await open(uniqueDbName());
    const collection = makeCollection();
    await store.putCollection(collection);
    const raced = makeObject({ version: at(5) });
    const [first] = await store.addObjects(collection.id, [raced], at(1000));
    // A second instance that read the stored versions just before `raced` was stored: its first
    // read (the classification) sees nothing, so it inserts `raced` too and loses the race.
    const objects = store.db.collection<ObjectDoc>(collectionNames.objects);
    let blind = true;
    const lateReader = new Proxy(objects, {
      get(target, property) {
        if (property === 'find' && blind) {
          blind = false;
          return (filter: Filter<ObjectDoc>) => target.find({ ...filter, id: { $in: [] } });
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function'
          ? (value as (...a: unknown[]) => unknown).bind(target)
          : value;
      },
    });
    const collections = store.db.collection<CollectionDoc>(collectionNames.collections);
    const clock = new DateAddedClock(collections, {
      reservationTtlMs: 60_000,
      wallClock: Date.now,
      endOnMillisecond: true,
    });
    const writes = new ObjectWrites(collections, lateReader, clock);
    const fresh = makeObject();
    const outcomes = await writes.add(collection.id, [fresh, raced], at(1000));
    expect(outcomes[1]).toEqual({ ...first, outcome: 'duplicate' });
    expect(outcomes[0]).toMatchObject({ outcome: 'added' });
    const dateAdded = (outcomes[0] as { dateAdded: number }).dateAdded;
    expect(dateAdded % 1000).toBe(0);
    expect(dateAdded).toBeGreaterThan((first as { dateAdded: number }).dateAdded);
    const stored = await store.query(collection.id, { versions: allVersions, limit: 10 });
    expect(stored.records.map((r) => [r.id, r.dateAdded])).toEqual([
      [raced.id, (first as { dateAdded: number }).dateAdded],
      [fresh.id, dateAdded],
    ]);
  });

  it("answers a retried write as duplicate with the first attempt's date_added", async () => {
    const dbName = uniqueDbName();
    const store = await open(dbName);
    const collection = makeCollection();
    await store.putCollection(collection);
    const batch = [makeObject(), makeObject({ version: null })];
    const first = await store.addObjects(collection.id, batch, at(1000));
    const retry = await store.addObjects(collection.id, batch, at(2000));
    expect(retry.map((outcome) => outcome.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(retry.map((o) => (o.outcome === 'conflict' ? 0 : o.dateAdded))).toEqual(
      first.map((o) => (o.outcome === 'conflict' ? 0 : o.dateAdded)),
    );
  });

  it('hides objects written after an unfinished write until that write ends', async () => {
    const dbName = uniqueDbName();
    const store = await open(dbName);
    const collection = makeCollection();
    await store.putCollection(collection);
    await store.addObjects(collection.id, [makeObject()], at(1000));
    // Another instance is mid-write: it holds a block of date_added values.
    const clock = new DateAddedClock(
      store.db.collection<CollectionDoc>(collectionNames.collections),
      {
        reservationTtlMs: 60_000,
        wallClock: Date.now,
      },
    );
    const slow = await clock.reserve(collection.id, 3, at(1000));
    expect(slow).toBeDefined();
    const later = [makeObject(), makeObject()];
    await store.addObjects(collection.id, later, at(1000));
    const during = await store.query(collection.id, { versions: lastVersion, limit: 10 });
    expect(during.records).toHaveLength(1);
    await clock.release(collection.id, slow?.token ?? '');
    const after = await store.query(collection.id, { versions: lastVersion, limit: 10 });
    expect(after.records.map((record) => record.id).slice(1)).toEqual(
      later.map((object) => object.id),
    );
  });

  it('hides audit records appended after an unfinished append until it ends', async () => {
    const store = await open(uniqueDbName());
    await store.appendAudit([makeAudit({ action: 'first' })]);
    const clock = new DateAddedClock(store.db.collection<ClockDoc>(collectionNames.counters), {
      reservationTtlMs: 60_000,
      wallClock: Date.now,
    });
    const slow = await clock.reserve(auditClockId, 1, 1);
    await store.appendAudit([makeAudit({ action: 'later' })]);
    expect((await store.queryAudit({ limit: 10 })).map((r) => r.action)).toEqual(['first']);
    await clock.release(auditClockId, slow?.token ?? '');
    expect((await store.queryAudit({ limit: 10 })).map((r) => r.action)).toEqual([
      'first',
      'later',
    ]);
  });

  it('stops waiting for a writer that never finishes once its reservation expires', async () => {
    const dbName = uniqueDbName();
    let wall = 1_000_000;
    const store = await open(dbName, { reservationTtlMs: 1_000, wallClock: () => wall });
    const collection = makeCollection();
    await store.putCollection(collection);
    const clock = new DateAddedClock(
      store.db.collection<CollectionDoc>(collectionNames.collections),
      {
        reservationTtlMs: 1_000,
        wallClock: () => wall,
      },
    );
    await clock.reserve(collection.id, 1, at(1000)); // a writer that crashes
    await store.addObjects(collection.id, [makeObject()], at(1000));
    expect(
      (await store.query(collection.id, { versions: lastVersion, limit: 10 })).records,
    ).toHaveLength(0);
    wall += 1_001;
    expect(
      (await store.query(collection.id, { versions: lastVersion, limit: 10 })).records,
    ).toHaveLength(1);
  });

  describe('a writer killed between its insert and its marker update', () => {
    /**
     * Leaves what such a crash leaves: v1 stored and latest, v2 inserted as latest too, under
     * a reservation of instance `owner` that nobody will release.
     */
    async function crashMidWrite(
      store: MongoStore,
      owner: string,
      wall: () => number,
      ttl: number,
    ): Promise<{ collectionId: string; id: string }> {
      const collection = makeCollection();
      await store.putCollection(collection);
      const v1 = makeObject();
      await store.addObjects(collection.id, [v1], at(1000));
      const clock = new DateAddedClock(
        store.db.collection<CollectionDoc>(collectionNames.collections),
        { reservationTtlMs: ttl, wallClock: wall, owner, endOnMillisecond: true },
      );
      const block = await clock.reserve(collection.id, 1, at(2000));
      const objects = store.db.collection<ObjectDoc>(collectionNames.objects);
      const { _id: _ignored, ...stored } = (await objects.findOne({ id: v1.id }))!;
      const v2 = makeVersion(v1, at(500));
      await objects.insertOne({
        ...stored,
        version: v2.version!,
        json: v2.json,
        dateAdded: block!.end,
        isLatest: true,
        isFirst: false,
      });
      return { collectionId: collection.id, id: v1.id };
    }

    async function latestVersions(store: MongoStore, collectionId: string): Promise<VersionKey[]> {
      const { records } = await store.query(collectionId, { versions: lastVersion, limit: 10 });
      return records.map((r) => r.version);
    }

    it('is repaired by the first reader once the reservation expires: one latest version, no retry', async () => {
      let wall = 1_000_000;
      const store = await open(uniqueDbName(), { reservationTtlMs: 1_000, wallClock: () => wall });
      const { collectionId } = await crashMidWrite(store, 'dead-instance', () => wall, 1_000);
      // Held back behind the reservation, readers see v1 only.
      expect(await latestVersions(store, collectionId)).toEqual([vk(at(0))]);
      wall += 1_001;
      expect(await latestVersions(store, collectionId)).toEqual([vk(at(500))]);
      const all = await store.query(collectionId, { versions: allVersions, limit: 10 });
      expect(all.records).toHaveLength(2);
    });

    it('is repaired by the periodic sweep without any reader', async () => {
      let wall = 1_000_000;
      const store = await open(uniqueDbName(), { reservationTtlMs: 1_000, wallClock: () => wall });
      const { collectionId, id } = await crashMidWrite(store, 'dead-instance', () => wall, 1_000);
      expect(await store.sweepAbandoned(false)).toBe(0);
      wall += 1_001;
      expect(await store.sweepAbandoned(false)).toBe(1);
      const objects = store.db.collection<ObjectDoc>(collectionNames.objects);
      const flags = (await objects.find({ collectionId, id }).toArray())
        .sort((a, b) => compareVersionKeys(a.version, b.version))
        .map((d) => [d.isFirst, d.isLatest]);
      expect(flags).toEqual([
        [true, false],
        [false, true],
      ]);
    });

    it('is repaired at once when the same instance restarts, without waiting for the timeout', async () => {
      const dbName = uniqueDbName();
      const first = await open(dbName, { reservationTtlMs: 3_600_000, instanceId: 'node-a' });
      const { collectionId } = await crashMidWrite(first, 'node-a', Date.now, 3_600_000);
      // Another instance neither waits nor steals: the reservation is not its own.
      const other = await open(dbName, { reservationTtlMs: 3_600_000, instanceId: 'node-b' });
      expect(await latestVersions(other, collectionId)).toEqual([vk(at(0))]);
      const restarted = await open(dbName, { reservationTtlMs: 3_600_000, instanceId: 'node-a' });
      expect(await latestVersions(restarted, collectionId)).toEqual([vk(at(500))]);
      expect(await latestVersions(other, collectionId)).toEqual([vk(at(500))]);
    });
  });

  it('moves the objects of a writer presumed dead forward, so a reader paging never misses them', async () => {
    const dbName = uniqueDbName();
    // The first reservation of each of the slow writer's calls looks expired to everybody else
    // from the start (as if it had stalled for longer than the TTL); the re-stamp's does not.
    let calls = 0;
    const slow = await open(dbName, {
      reservationTtlMs: 1,
      wallClock: () => (calls++ % 2 === 0 ? 0 : Date.now() + 60_000),
    });
    const reader = await open(dbName);
    const collection = makeCollection();
    await slow.putCollection(collection);
    const batches = Array.from({ length: 10 }, () =>
      Array.from({ length: 30 }, () => makeObject()),
    );
    let writing = true;
    const seen: ObjectRecord[] = [];
    const reading = (async () => {
      let position: Micros | undefined;
      while (writing)
        position = await pageToEnd(reader, collection.id, position, 5, seen, lastVersion);
      await pageToEnd(reader, collection.id, position, 5, seen, lastVersion);
    })();
    const outcomes: AddOutcome[] = [];
    for (const batch of batches)
      outcomes.push(...(await slow.addObjects(collection.id, batch, at(1000))));
    writing = false;
    await reading;
    const seenIds = new Set(seen.map((record) => record.id));
    for (const object of batches.flat()) expect(seenIds.has(object.id)).toBe(true);
    // The outcomes name the date_added the objects finally have.
    const stored = new Map<string, number>();
    for (const record of (await reader.query(collection.id, { versions: allVersions, limit: 1000 }))
      .records) {
      stored.set(record.id, record.dateAdded);
    }
    for (const outcome of outcomes) {
      expect(outcome.outcome).toBe('added');
      if (outcome.outcome === 'added') expect(stored.get(outcome.id)).toBe(outcome.dateAdded);
    }
    // Re-stamping leaves gaps in date_added: proof that the path was taken at least once.
    const dates = [...stored.values()].sort((a, b) => a - b);
    expect((dates[dates.length - 1] ?? 0) - (dates[0] ?? 0) + 1).toBeGreaterThan(dates.length);
  });
});

// What jongodb cannot show: mongod keeps the other documents of an unordered bulk and names the
// failed ones in writeErrors. A stand-in collection answers the way mongod does.
describe('insertAll (mongod per-document errors)', () => {
  function collectionFailing(
    writeErrors: { index: number; code: number }[],
  ): Collection<{ _id: number }> {
    const error = new MongoBulkWriteError(
      {
        message: 'bulk write failed',
        code: writeErrors[0]?.code ?? 11000,
        writeErrors: writeErrors as unknown as WriteError[],
      },
      // The per-document outcome comes from writeErrors only.
      {} as ConstructorParameters<typeof MongoBulkWriteError>[1],
    );
    return {
      insertMany: async () => {
        throw error;
      },
    } as unknown as Collection<{ _id: number }>;
  }

  it('reports duplicate-key documents as existing and the others as inserted', async () => {
    const target = collectionFailing([
      { index: 1, code: 11000 },
      { index: 3, code: 11000 },
    ]);
    const results = await insertAll(target, [{ _id: 1 }, { _id: 2 }, { _id: 3 }, { _id: 4 }]);
    expect(results).toEqual(['inserted', 'exists', 'inserted', 'exists']);
  });

  it('rethrows any error other than a duplicate key', async () => {
    const target = collectionFailing([
      { index: 0, code: 11000 },
      { index: 1, code: 10334 },
    ]);
    await expect(insertAll(target, [{ _id: 1 }, { _id: 2 }])).rejects.toBeInstanceOf(
      MongoBulkWriteError,
    );
  });
});

// Differential check: random sequences of writes, deletes and reads give the same outcomes and
// the same records, byte for byte, on MongoDB as on the embedded store.
describe('mongodb store against the embedded store', () => {
  type Op =
    | {
        kind: 'add';
        objects: { id: number; version: number | null; variant: number }[];
        now: number;
      }
    | { kind: 'delete'; id: number; versions: VersionSelector }
    | { kind: 'query'; query: Omit<ObjectQuery, 'limit'>; limit: number };

  const ids = Array.from(
    { length: 5 },
    (_, i) => `indicator--0000000${i}-0000-4000-8000-000000000000`,
  );
  const selector: fc.Arbitrary<VersionSelector> = fc.oneof(
    fc.constant<VersionSelector>({ kind: 'all' }),
    fc.record({
      kind: fc.constant('some' as const),
      first: fc.boolean(),
      last: fc.boolean(),
      versions: fc.array(
        fc.integer({ min: 0, max: 3 }).map((v) => vk(at(v))),
        { maxLength: 2 },
      ),
    }),
  );
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('add' as const),
        objects: fc.array(
          fc.record({
            id: fc.integer({ min: 0, max: ids.length - 1 }),
            version: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 4 }),
            variant: fc.integer({ min: 0, max: 1 }),
          }),
          { maxLength: 6 },
        ),
        // Repeating and backwards clocks too.
        now: fc.integer({ min: 0, max: 3 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('delete' as const),
        id: fc.integer({ min: 0, max: ids.length - 1 }),
        versions: selector,
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('query' as const),
        query: fc.record(
          {
            versions: selector,
            addedAfter: fc.integer({ min: 0, max: 3 }).map((s) => at(1000 + s)),
            ids: fc.subarray(ids, { minLength: 1 }),
            types: fc.subarray(['indicator', 'ipv4-addr', 'malware'], { minLength: 1 }),
            visibility: fc.record({ tlp: fc.subarray(['clear', 'green', 'amber'] as const) }),
          },
          { requiredKeys: ['versions'] },
        ),
        limit: fc.integer({ min: 1, max: 5 }),
      }),
    },
  );

  function toObject(spec: { id: number; version: number | null; variant: number }): NewObject {
    const id = ids[spec.id] as string;
    const unversioned = spec.version === null;
    return makeObject({
      id: unversioned ? id.replace('indicator', 'ipv4-addr') : id,
      type: unversioned ? 'ipv4-addr' : 'indicator',
      version: spec.version === null ? null : at(spec.version),
      name: `v${spec.variant}`,
      tlp: spec.variant === 0 ? 'green' : 'amber',
    });
  }

  async function run(store: Store, collectionId: string, ops: Op[]): Promise<unknown[]> {
    const results: unknown[] = [];
    for (const step of ops) {
      if (step.kind === 'add') {
        results.push(
          await store.addObjects(collectionId, step.objects.map(toObject), at(1000 + step.now)),
        );
      } else if (step.kind === 'delete') {
        results.push(
          await store.deleteObject(collectionId, ids[step.id] as string, {
            versions: step.versions,
          }),
        );
        results.push(
          await store.deleteObject(
            collectionId,
            (ids[step.id] as string).replace('indicator', 'ipv4-addr'),
            {
              versions: step.versions,
            },
          ),
        );
      } else {
        results.push(await store.query(collectionId, { ...step.query, limit: step.limit }));
      }
    }
    results.push(await store.query(collectionId, { versions: { kind: 'all' }, limit: 1000 }));
    results.push(await store.countObjects(collectionId));
    return results;
  }

  it('gives the same outcomes and records for random operation sequences', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stixgate-diff-'));
    const sqlite = await openSqliteStore({ dataDir: dir });
    const mongo = await openMongoStore({ uri: testMongoUri(), dbName: uniqueDbName() });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
          const collection = makeCollection();
          await sqlite.putCollection(collection);
          await mongo.putCollection(collection);
          expect(await run(mongo, collection.id, ops)).toEqual(
            await run(sqlite, collection.id, ops),
          );
        }),
        { numRuns: 40 },
      );
    } finally {
      await sqlite.close();
      await dropQuietly(mongo);
      await mongo.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
