// Benchmark (not a test): the MongoDB backend against the embedded SQLite backend, in the same
// run on the same machine, with the same objects: ingest rate (addObjects in batches) and the
// default-query page (match[version]=last, limit 100) at offset 0 and at the deepest position.
// MongoDB is MONGODB_URI when set, else the in-memory jongodb server of the test harness; the
// output says which, since jongodb is a test double, not mongod.
// Run: npx tsx bench/mongo.ts [objects=5000] (jongodb writes slow down with size: 10000 takes minutes)
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { versionKeyFromMicros } from '../src/stix/timestamp.js';
import { openMongoStore } from '../src/store/mongo/mongo-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type {
  CollectionRecord,
  NewObject,
  ObjectQuery,
  Store,
  VersionSelector,
} from '../src/store/types.js';
import { startMongo, uniqueDbName } from '../test/support/mongo-server.js';

const objectCount = Number(process.argv[2] ?? 5_000);
const batchSize = 500;
const pageLimit = 100;
const repeats = 50;
const epoch = Date.UTC(2026, 0, 1) * 1000;

function iso(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}

function makeObjects(count: number): NewObject[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `indicator--${randomUUID()}`;
    const version = epoch + i * 1000;
    return {
      id,
      type: 'indicator',
      specVersion: '2.1',
      version: versionKeyFromMicros(version),
      tlp: i % 3 === 0 ? 'amber' : 'green',
      revoked: false,
      json: JSON.stringify({
        type: 'indicator',
        spec_version: '2.1',
        id,
        created: iso(version),
        modified: iso(version),
        name: `bench object ${i}`,
        description: 'A moderately sized description so that rows have a realistic weight. '.repeat(
          4,
        ),
        pattern: `[ipv4-addr:value = '198.51.${(i >> 8) & 255}.${i & 255}']`,
        pattern_type: 'stix',
        valid_from: iso(version),
      }),
    };
  });
}

function collection(): CollectionRecord {
  return {
    id: randomUUID(),
    apiRoot: 'api1',
    title: 'bench',
    read: { roles: ['analyst'], groups: [] },
    write: { roles: ['analyst'], groups: [] },
    validation: 'strict',
    defaultTlp: 'green',
    createdAt: epoch,
  };
}

interface Result {
  ingestPerSecond: number;
  firstPageMs: number;
  deepPageMs: number;
}

async function measure(store: Store, objects: NewObject[]): Promise<Result> {
  const target = collection();
  await store.putCollection(target);
  const started = performance.now();
  for (let i = 0; i < objects.length; i += batchSize) {
    await store.addObjects(target.id, objects.slice(i, i + batchSize), Date.now() * 1000);
  }
  const ingestSeconds = (performance.now() - started) / 1000;
  const last = await store.query(target.id, {
    versions: { kind: 'all' },
    limit: objects.length,
  });
  const deepest = last.records[Math.max(0, last.records.length - pageLimit - 1)]?.dateAdded;
  const page = async (query: ObjectQuery): Promise<number> => {
    await store.query(target.id, query); // warm
    const t = performance.now();
    for (let r = 0; r < repeats; r++) await store.query(target.id, query);
    return (performance.now() - t) / repeats;
  };
  const versions: VersionSelector = { kind: 'some', first: false, last: true, versions: [] };
  return {
    ingestPerSecond: objects.length / ingestSeconds,
    firstPageMs: await page({ versions, limit: pageLimit }),
    deepPageMs: await page({
      versions,
      limit: pageLimit,
      ...(deepest !== undefined && { addedAfter: deepest }),
    }),
  };
}

const objects = makeObjects(objectCount);
const dir = mkdtempSync(path.join(tmpdir(), 'stixgate-bench-'));
const sqlite = await openSqliteStore({ dataDir: dir });
const sqliteResult = await measure(sqlite, objects);
await sqlite.close();
rmSync(dir, { recursive: true, force: true });

const mongo = await startMongo();
const mongoStore = await openMongoStore({ uri: mongo.uri, dbName: uniqueDbName('stixgate_bench') });
const mongoResult = await measure(mongoStore, objects);
await mongoStore.db.dropDatabase().catch(() => undefined);
await mongoStore.close();
await mongo.stop();

const fmt = (n: number): string => n.toFixed(n < 10 ? 2 : 0);
console.log(
  `objects: ${objectCount} (batches of ${batchSize}), page limit ${pageLimit}, ${repeats} page reads each`,
);
console.log(
  `mongodb server: ${mongo.server === 'jongodb' ? 'jongodb (in-memory test server, NOT mongod)' : 'MONGODB_URI (mongod)'}`,
);
console.log('backend   ingest obj/s   first page ms   deepest page ms');
for (const [name, result] of [
  ['sqlite', sqliteResult],
  ['mongodb', mongoResult],
] as const) {
  console.log(
    `${name.padEnd(9)} ${fmt(result.ingestPerSecond).padStart(12)}   ${fmt(result.firstPageMs).padStart(13)}   ${fmt(result.deepPageMs).padStart(15)}`,
  );
}
console.log(
  `ratio mongodb/sqlite: ingest ${(mongoResult.ingestPerSecond / sqliteResult.ingestPerSecond).toFixed(3)}x, ` +
    `first page ${(mongoResult.firstPageMs / sqliteResult.firstPageMs).toFixed(1)}x slower, ` +
    `deepest page ${(mongoResult.deepPageMs / sqliteResult.deepPageMs).toFixed(1)}x slower`,
);
