// The embedded store: the conformance suite, plus what only SQLite has (query plans, several
// processes on one file, reopening, migrations, the write lock).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, UnavailableError } from '../../src/errors.js';
import { openStore } from '../../src/store/open-store.js';
import { buildObjectSelect, planWalks, type Walk } from '../../src/store/sqlite/object-queries.js';
import { openDatabase } from '../../src/store/sqlite/database.js';
import { latestSchemaVersion, migrate, schemaVersion } from '../../src/store/sqlite/schema.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type {
  AuditRecord,
  AddOutcome,
  ObjectQuery,
  ObjectRecord,
  TlpCode,
  VersionKey,
} from '../../src/store/types.js';
import {
  allVersions,
  at,
  describeStoreConformance,
  exactVersions,
  firstVersion,
  lastVersion,
  makeCollection,
  makeObject,
  makeVersion,
  vk,
} from './conformance.js';
import { parseStixTimestamp, parseStixTimestampExact } from '../../src/stix/timestamp.js';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'stixgate-sqlite-'));
}

describeStoreConformance(
  'sqlite',
  async () => {
    const dir = tempDir();
    const store = await openSqliteStore({ dataDir: dir });
    return {
      store,
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { atomicWrites: true },
);

describe('sqlite store', () => {
  const dirs: string[] = [];
  const stores: SqliteStore[] = [];

  async function open(dir = tempDir()): Promise<SqliteStore> {
    dirs.push(dir);
    const store = await openSqliteStore({ dataDir: dir });
    stores.push(store);
    return store;
  }

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the long lists of repeated audit records once, and drops them with their last row', async () => {
    const store = await open();
    const served: { original: string; derived: string }[] = Array.from({ length: 300 }, (_, i) => ({
      original: `malware--${i}`,
      derived: `malware--x${i}`,
    }));
    for (const item of served) Object.freeze(item);
    Object.freeze(served);
    const ruleHits: NonNullable<AuditRecord['ruleHits']> = [];
    Object.freeze(ruleHits);
    const record = (actor: string, seconds: number): AuditRecord => ({
      at: at(seconds),
      actor,
      role: 'partner',
      groups: ['g'],
      action: 'objects.read',
      served,
      ruleHits,
    });
    const count = (table: string) =>
      (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    await store.appendAudit([record('a', 1), record('b', 2)]);
    await store.appendAudit([record('c', 3), { ...record('d', 4), served: served.slice(1) }]);
    expect(count('audit')).toBe(4);
    expect(count('audit_payloads')).toBe(2);
    // A short list stays in its row.
    await store.appendAudit([{ ...record('e', 5), served: served.slice(0, 2) }]);
    expect(count('audit_payloads')).toBe(2);
    await store.purgeAudit(at(3.5));
    expect(count('audit_payloads')).toBe(1);
    await store.purgeAudit(at(10));
    expect(count('audit_payloads')).toBe(0);
  });

  function plan(
    store: SqliteStore,
    query: ObjectQuery,
    walk: Walk = {},
    select: 'records' | 'positions' = 'records',
  ): string {
    const { sql, params } = buildObjectSelect(1, query, walk, select);
    const rows = store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[];
    return rows.map((row) => row.detail).join('\n');
  }

  describe('query plans', () => {
    it('walks the partial latest index for the default query, without sorting', async () => {
      const store = await open();
      const detail = plan(store, { versions: lastVersion, addedAfter: at(1), limit: 100 });
      expect(detail).toMatch(/SEARCH o USING INDEX objects_latest \(coll=\? AND date_added>\?\)/);
      expect(detail).not.toMatch(/TEMP B-TREE/);
    });

    it('walks the partial latest index when only types are excluded, without sorting', async () => {
      const store = await open();
      const query = {
        versions: lastVersion,
        limit: 100,
        visibility: { excludeTypes: ['identity'] },
      };
      expect(planWalks(query)).toBeUndefined();
      const detail = plan(store, query);
      expect(detail).toMatch(/USING INDEX objects_latest \(/);
      expect(detail).not.toMatch(/TEMP B-TREE/);
    });

    it('splits a TLP allow-list into one index-only walk per code', async () => {
      const store = await open();
      const query = {
        versions: lastVersion,
        limit: 100,
        visibility: { tlp: ['clear', 'green'] as TlpCode[], excludeTypes: ['identity'] },
      };
      expect(planWalks(query)).toEqual([{ tlp: 'clear' }, { tlp: 'green' }]);
      const detail = plan(store, query, { tlp: 'green' }, 'positions');
      expect(detail).toMatch(
        /USING COVERING INDEX objects_latest_by_tlp \(coll=\? AND tlp=\? AND date_added>\?\)/,
      );
      expect(detail).not.toMatch(/TEMP B-TREE/);
    });

    it('walks each type index-only, with TLP and spec version filters in the index', async () => {
      const store = await open();
      const query = {
        versions: lastVersion,
        types: ['indicator', 'malware'],
        limit: 100,
        visibility: { tlp: ['clear'] as TlpCode[] },
      };
      expect(planWalks(query)).toEqual([{ type: 'indicator' }, { type: 'malware' }]);
      const detail = plan(store, query, { type: 'malware' }, 'positions');
      expect(detail).toMatch(
        /USING COVERING INDEX objects_by_type \(coll=\? AND type=\? AND date_added>\?\)/,
      );
      expect(detail).not.toMatch(/TEMP B-TREE/);
    });

    it('walks the type index for one type, without sorting', async () => {
      const store = await open();
      const detail = plan(
        store,
        { versions: lastVersion, types: ['indicator'], limit: 100 },
        { type: 'indicator' },
      );
      expect(detail).toMatch(
        /USING INDEX objects_by_type \(coll=\? AND type=\? AND date_added>\?\)/,
      );
      expect(detail).not.toMatch(/TEMP B-TREE/);
    });

    it('walks the first index for match[version]=first, without sorting', async () => {
      const store = await open();
      const detail = plan(store, { versions: firstVersion, limit: 100 });
      expect(detail).toMatch(/USING INDEX objects_first/);
      expect(detail).not.toMatch(/TEMP B-TREE/);
    });

    it('walks the date_added index for match[version]=all, without sorting', async () => {
      const store = await open();
      const detail = plan(store, { versions: allVersions, limit: 100 });
      expect(detail).toMatch(/USING INDEX objects_by_added \(coll=\? AND date_added>\?\)/);
      expect(detail).not.toMatch(/TEMP B-TREE/);
    });

    it('looks ids up through the id index', async () => {
      const store = await open();
      const detail = plan(store, {
        versions: exactVersions(at(1)),
        ids: ['indicator--1'],
        limit: 100,
      });
      expect(detail).toMatch(/USING INDEX objects_by_id \(coll=\? AND id=\?/);
    });
  });

  describe('file', () => {
    it('creates stixgate.db in the data directory, in WAL mode', async () => {
      const dir = tempDir();
      const store = await open(dir);
      expect(store.db.name).toBe(path.join(dir, 'stixgate.db'));
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    });

    it('creates a missing data directory', async () => {
      const parent = tempDir();
      dirs.push(parent);
      const store = await open(path.join(parent, 'nested', 'data'));
      expect(await store.listCollections()).toEqual([]);
    });

    it('keeps everything when the file is reopened', async () => {
      const dir = tempDir();
      const first = await open(dir);
      const collection = makeCollection({ alias: 'incidents' });
      await first.putCollection(collection);
      const object = makeObject({ version: at(1) });
      const [outcome] = await first.addObjects(
        collection.id,
        [object, makeVersion(object, at(2))],
        at(1000),
      );
      await first.revokeToken({ jti: 'token-1', revokedAt: at(1) });
      await first.close();

      const second = await open(dir);
      expect(await second.getCollection('api1', 'incidents')).toEqual(collection);
      const page = await second.query(collection.id, { versions: allVersions, limit: 10 });
      expect(page.records.map((r) => [r.version, r.isLatest])).toEqual([
        [vk(at(1)), false],
        [vk(at(2)), true],
      ]);
      expect(await second.isTokenRevoked('token-1')).toBe(true);
      // The high-water mark survives too: a stalled clock still gets a later date_added.
      const [next] = await second.addObjects(collection.id, [makeObject()], at(1));
      expect(next?.outcome === 'added' && next.dateAdded).toBeGreaterThan(
        (outcome as { dateAdded: number }).dateAdded + 1,
      );
    });

    it('records the schema version and migrates once', async () => {
      const dir = tempDir();
      const first = await open(dir);
      expect(schemaVersion(first.db)).toBe(latestSchemaVersion);
      await first.close();
      const second = await open(dir);
      const rows = second.db.prepare('SELECT version FROM schema_migrations').all();
      expect(rows).toHaveLength(latestSchemaVersion);
    });

    it('migrates a file of schema version 1 forward and keeps its objects', async () => {
      const dir = tempDir();
      dirs.push(dir);
      const old = openDatabase({ file: path.join(dir, 'stixgate.db') });
      migrate(old, 1);
      old
        .prepare(
          "INSERT INTO collections (id, api_root, created_at, record) VALUES (?, 'api1', 0, ?)",
        )
        .run('c1', JSON.stringify(makeCollection({ id: 'c1' })));
      old
        .prepare(
          `INSERT INTO objects (coll, id, type, spec_version, version_micros, date_added, is_latest,
             is_first, tlp, revoked, json) VALUES (1, 'indicator--1', 'indicator', '2.1', 1, 5, 1, 1, 'green', 0, '{}')`,
        )
        .run();
      old.close();
      const store = await open(dir);
      expect(schemaVersion(store.db)).toBe(latestSchemaVersion);
      const page = await store.query('c1', {
        versions: lastVersion,
        types: ['indicator'],
        visibility: { tlp: ['green'] },
        limit: 10,
      });
      expect(page.records.map((r) => r.id)).toEqual(['indicator--1']);
    });

    it('migrates a schema-2 file to exact versions: rounded rows corrected from their bodies, markers recomputed', async () => {
      const dir = tempDir();
      dirs.push(dir);
      const old = openDatabase({ file: path.join(dir, 'stixgate.db') });
      migrate(old, 2);
      old
        .prepare(
          "INSERT INTO collections (id, api_root, created_at, last_added, record) VALUES ('c1', 'api1', 0, 9, ?)",
        )
        .run(JSON.stringify(makeCollection({ id: 'c1' })));
      // Rows as a build with double versions wrote them: version_micros was the double of
      // modified (else created), so 1 µs steps in the year 3000 were stored rounded to 4 µs.
      const insert = old.prepare(
        `INSERT INTO objects (coll, id, type, spec_version, version_micros, date_added, is_latest,
           is_first, tlp, revoked, json) VALUES (1, ?, ?, '2.1', ?, ?, ?, ?, 'green', 0, ?)`,
      );
      const indicator = 'indicator--00000000-0000-4000-8000-000000000001';
      const body = (modified: string, created = '2026-01-01T00:00:00.000Z') =>
        JSON.stringify({ type: 'indicator', id: indicator, created, modified });
      const far1 = '3000-01-01T00:00:00.000001Z';
      const far3 = '3000-01-01T00:00:00.000003Z';
      const rounded = (text: string): number => parseStixTimestamp(text)!;
      expect(BigInt(rounded(far1))).not.toBe(parseStixTimestampExact(far1));
      insert.run(indicator, 'indicator', at(0), 1, 0, 1, body('2026-01-01T00:00:00.000Z'));
      insert.run(indicator, 'indicator', rounded(far1), 2, 0, 0, body(far1));
      // Wrong markers on purpose (both latest): the migration recomputes them from the keys.
      insert.run(indicator, 'indicator', rounded(far3), 3, 1, 0, body(far3));
      insert.run(indicator, 'indicator', at(5), 4, 1, 0, body('2026-01-01T00:00:05Z'));
      // No modified: versioned by created.
      const malware = 'malware--00000000-0000-4000-8000-000000000002';
      insert.run(
        malware,
        'malware',
        rounded('9999-12-31T23:59:59.999991Z'),
        5,
        1,
        1,
        JSON.stringify({ type: 'malware', id: malware, created: '9999-12-31T23:59:59.999991Z' }),
      );
      // An SCO without either: versioned by its date_added, which the old number holds.
      const ip = 'ipv4-addr--00000000-0000-4000-8000-000000000003';
      insert.run(
        ip,
        'ipv4-addr',
        at(9),
        at(9),
        1,
        1,
        JSON.stringify({ type: 'ipv4-addr', id: ip }),
      );
      old.close();

      const store = await open(dir);
      expect(schemaVersion(store.db)).toBe(latestSchemaVersion);
      const columns = (
        store.db.prepare('PRAGMA table_info(objects)').all() as { name: string }[]
      ).map((c) => c.name);
      expect(columns).toContain('version');
      expect(columns).not.toContain('version_micros');
      const all = await store.query('c1', { versions: allVersions, limit: 100 });
      expect(all.records.map((r) => [r.id, r.version, r.dateAdded, r.isLatest, r.isFirst])).toEqual(
        [
          [indicator, '2026-01-01T00:00:00.000000Z', 1, false, true],
          [indicator, far1, 2, false, false],
          [indicator, far3, 3, true, false],
          [indicator, '2026-01-01T00:00:05.000000Z', 4, false, false],
          [malware, '9999-12-31T23:59:59.999991Z', 5, true, true],
          [ip, vk(at(9)), at(9), true, true],
        ],
      );
      const exact = await store.query('c1', {
        versions: exactVersions(far1 as VersionKey),
        limit: 10,
      });
      expect(exact.records.map((r) => r.dateAdded)).toEqual([2]);
      // The indexes are back: the exact-version and marker walks use them.
      const indexes = (store.db.prepare("PRAGMA index_list('objects')").all() as { name: string }[])
        .map((i) => i.name)
        .sort();
      expect(indexes).toEqual([
        'objects_by_added',
        'objects_by_id',
        'objects_by_type',
        'objects_first',
        'objects_latest',
        'objects_latest_by_tlp',
      ]);
      // Re-posting the exact far version is a duplicate of it, stored once.
      const [again] = await store.addObjects(
        'c1',
        [
          {
            id: indicator,
            type: 'indicator',
            specVersion: '2.1',
            version: far1 as VersionKey,
            tlp: 'green',
            revoked: false,
            json: body(far1),
          },
        ],
        at(20),
      );
      expect(again).toMatchObject({ outcome: 'duplicate', version: far1, dateAdded: 2 });
    });

    it('refuses a file written by a newer schema with ConfigError', async () => {
      const dir = tempDir();
      const first = await open(dir);
      first.db
        .prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
        .run(latestSchemaVersion + 1, 0);
      await first.close();
      await expect(openSqliteStore({ dataDir: dir })).rejects.toBeInstanceOf(ConfigError);
    });

    it('is what openStore opens when no MongoDB URI is given', async () => {
      const dir = tempDir();
      dirs.push(dir);
      const store = await openStore({ dataDir: dir });
      try {
        expect(store.backend).toBe('sqlite');
        await store.putCollection(makeCollection());
        expect(await store.listCollections()).toHaveLength(1);
      } finally {
        await store.close();
      }
    });
  });

  describe('writes', () => {
    it('answers UnavailableError when another connection holds the write lock too long', async () => {
      const dir = tempDir();
      dirs.push(dir);
      const store = await openSqliteStore({ dataDir: dir, busyTimeoutMs: 50 });
      stores.push(store);
      const collection = makeCollection();
      await store.putCollection(collection);
      const other = openDatabase({ file: path.join(dir, 'stixgate.db') });
      try {
        other.exec('BEGIN IMMEDIATE');
        const refused = store.addObjects(collection.id, [makeObject()], at(1000));
        await expect(refused).rejects.toBeInstanceOf(UnavailableError);
        // The message reaches clients: it names the condition, never the engine or its code.
        await expect(refused).rejects.toThrow(/^store busy$/);
        // Readers are not blocked by the writer (WAL).
        expect(await store.countObjects(collection.id)).toBe(0);
        other.exec('ROLLBACK');
        const [outcome] = await store.addObjects(collection.id, [makeObject()], at(1000));
        expect(outcome?.outcome).toBe('added');
      } finally {
        other.close();
      }
    });
  });

  describe('two instances in one process', () => {
    it('keep date_added unique and strictly increasing when writes interleave', async () => {
      const dir = tempDir();
      const one = await open(dir);
      const two = await open(dir);
      const collection = makeCollection();
      await one.putCollection(collection);
      const writes = Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? one : two).addObjects(
          collection.id,
          [makeObject(), makeObject()],
          at(i % 3),
        ),
      );
      const outcomes = (await Promise.all(writes)).flat();
      const dates = outcomes.map((o) => (o.outcome === 'added' ? o.dateAdded : NaN));
      expect(new Set(dates).size).toBe(80);
      for (let i = 1; i < dates.length; i++)
        expect(dates[i]).toBeGreaterThan(dates[i - 1] as number);
      expect(await two.countObjects(collection.id)).toBe(80);
    });
  });

  describe('several processes on one file', () => {
    const writer = fileURLToPath(new URL('./fixtures/sqlite-writer.ts', import.meta.url));

    function runWriter(
      dir: string,
      collectionId: string,
      clock: 'stall' | 'clock',
    ): Promise<AddOutcome[]> {
      return new Promise((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', writer, dir, collectionId, '40', '5', clock],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => {
          if (code !== 0) return reject(new Error(`writer exited with ${code}: ${err}`));
          resolve(
            out
              .split('\n')
              .filter((line) => line !== '')
              .map((line) => JSON.parse(line) as AddOutcome),
          );
        });
      });
    }

    it('keeps date_added unique and in commit order while a reader pages', async () => {
      const dir = tempDir();
      const store = await open(dir);
      const collection = makeCollection();
      await store.putCollection(collection);

      const writers = Promise.all([
        runWriter(dir, collection.id, 'stall'),
        runWriter(dir, collection.id, 'clock'),
      ]);
      let done = false;
      void writers.finally(() => (done = true));

      // Page with addedAfter while both processes write; then drain what is left.
      const seen: ObjectRecord[] = [];
      let addedAfter: number | undefined;
      for (;;) {
        const finished = done;
        const page = await store.query(collection.id, {
          versions: lastVersion,
          addedAfter,
          limit: 7,
        });
        seen.push(...page.records);
        addedAfter = page.records[page.records.length - 1]?.dateAdded ?? addedAfter;
        if (finished && !page.more) break;
        if (!page.more) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const [stalled, clocked] = await writers;
      const outcomes = [...stalled, ...clocked];

      expect(outcomes).toHaveLength(400);
      expect(outcomes.every((o) => o.outcome === 'added')).toBe(true);
      const dates = outcomes.map((o) => (o as { dateAdded: number }).dateAdded);
      expect(new Set(dates).size).toBe(400);
      // Each process sees its own writes get strictly later date_added values.
      for (const own of [stalled, clocked]) {
        const mine = own.map((o) => (o as { dateAdded: number }).dateAdded);
        for (let i = 1; i < mine.length; i++)
          expect(mine[i]).toBeGreaterThan(mine[i - 1] as number);
      }
      // The concurrent reader saw every object exactly once, in date_added order.
      expect(seen.map((r) => r.id).sort()).toEqual(outcomes.map((o) => o.id).sort());
      const seenDates = seen.map((r) => r.dateAdded);
      expect(seenDates).toEqual([...dates].sort((a, b) => a - b));
    });
  });
});
