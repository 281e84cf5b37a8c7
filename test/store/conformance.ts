// The executable Store contract (src/store/types.ts). Every backend's test file calls
// describeStoreConformance unchanged; a backend passes when every case here passes.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../src/errors.js';
import type {
  AuditRecord,
  CollectionRecord,
  Micros,
  NewObject,
  ObjectQuery,
  ObjectRecord,
  StatusRecord,
  Store,
  StoreTransfer,
  TlpCode,
  VersionKey,
  VersionSelector,
} from '../../src/store/types.js';
import { compareVersionKeys, versionKeyFromMicros } from '../../src/stix/timestamp.js';

export interface OpenedStore {
  store: Store;
  cleanup: () => Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Builders

/** 2026-01-01T00:00:00Z in microseconds; `at(s)` is s seconds later. */
const epoch: Micros = Date.UTC(2026, 0, 1) * 1000;
export const at = (seconds: number): Micros => epoch + Math.round(seconds * 1_000_000);
/** The version key of a Micros value (test versions are mostly written with `at`). */
export const vk = (micros: Micros): VersionKey => versionKeyFromMicros(micros);
const toKey = (version: Micros | VersionKey): VersionKey =>
  typeof version === 'number' ? vk(version) : version;

export interface ObjectSpec {
  type?: string;
  id?: string;
  /** modified/created; null makes an unversioned object (an SCO without dates). */
  version?: Micros | VersionKey | null;
  specVersion?: string;
  tlp?: TlpCode;
  revoked?: boolean;
  /** Varies the content (and so the bytes) of a version. */
  name?: string;
}

/** A NewObject as the TAXII layer would hand it over: metadata plus the canonical JSON. */
export function makeObject(spec: ObjectSpec = {}): NewObject {
  const version =
    spec.version === undefined ? vk(at(0)) : spec.version === null ? null : toKey(spec.version);
  const type = spec.type ?? (version === null ? 'ipv4-addr' : 'indicator');
  const id = spec.id ?? `${type}--${randomUUID()}`;
  const specVersion = spec.specVersion ?? '2.1';
  const name = spec.name ?? 'object';
  const body: Record<string, unknown> =
    version === null
      ? { type, spec_version: specVersion, id, value: name }
      : {
          type,
          spec_version: specVersion,
          id,
          created: version,
          modified: version,
          name,
          ...(spec.revoked === true ? { revoked: true } : {}),
        };
  return {
    id,
    type,
    specVersion,
    version,
    tlp: spec.tlp ?? 'clear',
    revoked: spec.revoked ?? false,
    json: JSON.stringify(body),
  };
}

/** Another version of the same object. */
export function makeVersion(
  of: NewObject,
  version: Micros | VersionKey,
  spec: ObjectSpec = {},
): NewObject {
  return makeObject({ type: of.type, id: of.id, specVersion: of.specVersion, ...spec, version });
}

export function makeCollection(overrides: Partial<CollectionRecord> = {}): CollectionRecord {
  return {
    id: randomUUID(),
    apiRoot: 'api1',
    title: 'Incidents',
    description: 'Incident reports',
    read: { roles: ['analyst'], groups: ['banks'] },
    write: { roles: ['analyst'], groups: [] },
    validation: 'strict',
    defaultTlp: 'green',
    createdAt: at(0),
    ...overrides,
  };
}

export function makeStatus(overrides: Partial<StatusRecord> = {}): StatusRecord {
  return {
    id: randomUUID(),
    apiRoot: 'api1',
    collectionId: randomUUID(),
    submitter: 'alice',
    status: 'complete',
    requestTimestamp: '2026-01-01T00:00:00.000000Z',
    totalCount: 2,
    successCount: 1,
    failureCount: 1,
    pendingCount: 0,
    successes: [{ id: 'indicator--1', version: '2026-01-01T00:00:00.000Z' }],
    failures: [{ id: 'indicator--2', version: '2026-01-01T00:00:00.000Z', message: 'conflict' }],
    pendings: [],
    updatedAt: at(0),
    ...overrides,
  };
}

export function makeAudit(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    at: at(0),
    actor: 'alice',
    role: 'analyst',
    groups: [],
    action: 'objects.read',
    ...overrides,
  };
}

export const lastVersion: VersionSelector = {
  kind: 'some',
  first: false,
  last: true,
  versions: [],
};
export const firstVersion: VersionSelector = {
  kind: 'some',
  first: true,
  last: false,
  versions: [],
};
export const allVersions: VersionSelector = { kind: 'all' };
export const exactVersions = (...versions: (Micros | VersionKey)[]): VersionSelector => ({
  kind: 'some',
  first: false,
  last: false,
  versions: versions.map(toKey),
});

/** id@version pairs, the natural way to compare pages. */
const keys = (records: ObjectRecord[]): string[] => records.map((r) => `${r.id}@${r.version}`);
const keyOf = (object: NewObject, version: Micros | VersionKey | null = object.version): string =>
  `${object.id}@${version === null ? null : toKey(version)}`;

async function queryAll(
  store: Store,
  collectionId: string,
  query: Partial<ObjectQuery> = {},
  pageSize = 2,
): Promise<ObjectRecord[]> {
  const records: ObjectRecord[] = [];
  let addedAfter = query.addedAfter;
  for (;;) {
    const page = await store.query(collectionId, {
      versions: lastVersion,
      ...query,
      addedAfter,
      limit: pageSize,
    });
    records.push(...page.records);
    const tail = page.records[page.records.length - 1];
    if (!page.more || tail === undefined) return records;
    addedAfter = tail.dateAdded;
  }
}

// ---------------------------------------------------------------------------------------------
// The suite

/** What a backend promises beyond the common contract; cases that need it run only there. */
export interface StoreCapabilities {
  /** One addObjects call is all or nothing: a call that fails part way stores nothing. */
  atomicWrites: boolean;
}

export function describeStoreConformance(
  backendName: string,
  openStore: () => Promise<OpenedStore>,
  capabilities: StoreCapabilities,
): void {
  describe(`Store conformance (${backendName})`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await openStore());
    });

    afterEach(async () => {
      await cleanup();
    });

    async function addCollection(
      overrides: Partial<CollectionRecord> = {},
    ): Promise<CollectionRecord> {
      const collection = makeCollection(overrides);
      await store.putCollection(collection);
      return collection;
    }

    async function added(
      collectionId: string,
      objects: NewObject[],
      now: Micros = at(1000),
    ): Promise<Micros[]> {
      const outcomes = await store.addObjects(collectionId, objects, now);
      return outcomes.map((outcome) => {
        if (outcome.outcome !== 'added') throw new Error(`expected added, got ${outcome.outcome}`);
        return outcome.dateAdded;
      });
    }

    it('names its backend', () => {
      expect(['sqlite', 'mongodb']).toContain(store.backend);
    });

    describe('collections', () => {
      it('returns a stored collection by id, equal to what was put', async () => {
        const collection = await addCollection({
          alias: 'incidents',
          partnerTitle: 'Shared',
          partnerDescription: 'x',
        });
        expect(await store.getCollection('api1', collection.id)).toEqual(collection);
      });

      it('finds a collection by alias within its API root', async () => {
        const collection = await addCollection({ alias: 'incidents' });
        expect(await store.getCollection('api1', 'incidents')).toEqual(collection);
      });

      it('does not find a collection through another API root', async () => {
        const collection = await addCollection({ alias: 'incidents' });
        expect(await store.getCollection('api2', collection.id)).toBeUndefined();
        expect(await store.getCollection('api2', 'incidents')).toBeUndefined();
      });

      it('answers undefined for an unknown id or alias', async () => {
        await addCollection({ alias: 'incidents' });
        expect(await store.getCollection('api1', randomUUID())).toBeUndefined();
        expect(await store.getCollection('api1', 'nothing')).toBeUndefined();
      });

      it('keeps optional fields absent when they were not given', async () => {
        const { description: _d, ...bare } = makeCollection();
        await store.putCollection(bare);
        const stored = await store.getCollection('api1', bare.id);
        expect(stored).toEqual(bare);
        expect(stored && 'alias' in stored && stored.alias !== undefined).toBe(false);
      });

      it('replaces a collection by id', async () => {
        const collection = await addCollection({ alias: 'old' });
        const replaced = {
          ...collection,
          title: 'Renamed',
          alias: 'new',
          read: { roles: [], groups: ['isps'] },
        };
        await store.putCollection(replaced);
        expect(await store.getCollection('api1', collection.id)).toEqual(replaced);
        expect(await store.getCollection('api1', 'old')).toBeUndefined();
        expect(await store.listCollections()).toHaveLength(1);
      });

      it('keeps the objects of a collection when it is replaced', async () => {
        const collection = await addCollection();
        await added(collection.id, [makeObject(), makeObject()]);
        await store.putCollection({ ...collection, title: 'Renamed' });
        expect(await store.countObjects(collection.id)).toBe(2);
      });

      it('lets a collection keep its own alias when replaced', async () => {
        const collection = await addCollection({ alias: 'incidents' });
        await expect(
          store.putCollection({ ...collection, title: 'Renamed' }),
        ).resolves.toBeUndefined();
      });

      it('refuses an alias already used by another collection of the API root with ConflictError', async () => {
        await addCollection({ alias: 'incidents' });
        await expect(
          store.putCollection(makeCollection({ alias: 'incidents' })),
        ).rejects.toBeInstanceOf(ConflictError);
      });

      it('does not store the collection whose alias conflicts', async () => {
        await addCollection({ alias: 'incidents' });
        const refused = makeCollection({ alias: 'incidents' });
        await store.putCollection(refused).catch(() => undefined);
        expect(await store.getCollection('api1', refused.id)).toBeUndefined();
      });

      it('allows the same alias in different API roots', async () => {
        const one = await addCollection({ alias: 'incidents' });
        const two = await addCollection({ alias: 'incidents', apiRoot: 'api2' });
        expect((await store.getCollection('api1', 'incidents'))?.id).toBe(one.id);
        expect((await store.getCollection('api2', 'incidents'))?.id).toBe(two.id);
      });

      it('lists collections in (createdAt, id) order whatever the insertion order', async () => {
        const c = await addCollection({
          id: 'cccccccc-0000-4000-8000-000000000000',
          createdAt: at(2),
        });
        const b = await addCollection({
          id: 'bbbbbbbb-0000-4000-8000-000000000000',
          createdAt: at(1),
        });
        const a2 = await addCollection({
          id: 'aaaaaaaa-0000-4000-8000-000000000002',
          createdAt: at(1),
        });
        const a1 = await addCollection({
          id: 'aaaaaaaa-0000-4000-8000-000000000001',
          createdAt: at(3),
        });
        const ids = (await store.listCollections()).map((x) => x.id);
        expect(ids).toEqual([a2.id, b.id, c.id, a1.id]);
      });

      it('lists only the collections of the API root asked for', async () => {
        const one = await addCollection({ apiRoot: 'api1' });
        await addCollection({ apiRoot: 'api2' });
        expect(await store.listCollections('api1')).toEqual([one]);
        expect(await store.listCollections()).toHaveLength(2);
        expect(await store.listCollections('api3')).toEqual([]);
      });

      it('deletes a collection and answers true', async () => {
        const collection = await addCollection({ alias: 'incidents' });
        expect(await store.deleteCollection('api1', collection.id)).toBe(true);
        expect(await store.getCollection('api1', collection.id)).toBeUndefined();
        expect(await store.listCollections()).toEqual([]);
      });

      it('answers false when deleting an unknown collection or one of another API root', async () => {
        const collection = await addCollection();
        expect(await store.deleteCollection('api1', randomUUID())).toBe(false);
        expect(await store.deleteCollection('api2', collection.id)).toBe(false);
        expect(await store.getCollection('api1', collection.id)).toBeDefined();
      });

      it('finds a collection by id before another one whose alias equals that id', async () => {
        const target = await addCollection();
        await addCollection({ alias: target.id });
        expect((await store.getCollection('api1', target.id))?.id).toBe(target.id);
      });

      it('leaves the objects of other collections when one is deleted', async () => {
        const doomed = await addCollection();
        const kept = await addCollection();
        await added(doomed.id, [makeObject()]);
        await added(kept.id, [makeObject(), makeObject()]);
        await store.deleteCollection('api1', doomed.id);
        expect(await store.countObjects(kept.id)).toBe(2);
      });

      it('removes the objects of a deleted collection', async () => {
        const collection = await addCollection();
        await added(collection.id, [makeObject(), makeObject()]);
        await store.deleteCollection('api1', collection.id);
        await store.putCollection(collection);
        expect(await store.countObjects(collection.id)).toBe(0);
        expect(
          (await store.query(collection.id, { versions: allVersions, limit: 10 })).records,
        ).toEqual([]);
      });

      it('frees the old alias of a collection given a new one', async () => {
        const collection = await addCollection({ alias: 'old' });
        await store.putCollection({ ...collection, alias: 'new' });
        const other = makeCollection({ alias: 'old' });
        await expect(store.putCollection(other)).resolves.toBeUndefined();
        expect((await store.getCollection('api1', 'old'))?.id).toBe(other.id);
      });

      it('frees the alias of a deleted collection', async () => {
        const collection = await addCollection({ alias: 'incidents' });
        await store.deleteCollection('api1', collection.id);
        await expect(
          store.putCollection(makeCollection({ alias: 'incidents' })),
        ).resolves.toBeUndefined();
      });
    });

    describe('addObjects', () => {
      it('adds new objects with their version and a date_added', async () => {
        const collection = await addCollection();
        const object = makeObject({ version: at(5) });
        const [outcome] = await store.addObjects(collection.id, [object], at(1000));
        expect(outcome).toEqual({
          id: object.id,
          outcome: 'added',
          version: vk(at(5)),
          dateAdded: at(1000),
        });
      });

      it('gives the first object of a collection date_added = now when now is a whole millisecond', async () => {
        const collection = await addCollection();
        const [dateAdded] = await added(collection.id, [makeObject()], at(123.456));
        expect(dateAdded).toBe(at(123.456));
      });

      it('gives a single object the next whole millisecond when now is between two', async () => {
        const collection = await addCollection();
        const [dateAdded] = await added(collection.id, [makeObject()], at(123.456789));
        expect(dateAdded).toBe(at(123.457));
      });

      it('reports identical bytes of a stored version as duplicate with the stored date_added', async () => {
        const collection = await addCollection();
        const object = makeObject({ version: at(5) });
        const [first] = await added(collection.id, [object], at(1000));
        const [outcome] = await store.addObjects(collection.id, [object], at(2000));
        expect(outcome).toEqual({
          id: object.id,
          outcome: 'duplicate',
          version: vk(at(5)),
          dateAdded: first,
        });
        expect(await store.countObjects(collection.id)).toBe(1);
      });

      it('reports the same id and version with different bytes as conflict and keeps the stored one', async () => {
        const collection = await addCollection();
        const object = makeObject({ version: at(5), name: 'original' });
        await added(collection.id, [object]);
        const [outcome] = await store.addObjects(
          collection.id,
          [makeVersion(object, at(5), { name: 'changed' })],
          at(2000),
        );
        expect(outcome).toMatchObject({ id: object.id, outcome: 'conflict', version: vk(at(5)) });
        expect(outcome?.outcome === 'conflict' && outcome.message.length > 0).toBe(true);
        const page = await store.query(collection.id, { versions: allVersions, limit: 10 });
        expect(page.records.map((r) => r.json)).toEqual([object.json]);
      });

      it('returns one outcome per object, in input order, for a mixed call', async () => {
        const collection = await addCollection();
        const stored = makeObject({ version: at(5) });
        const [storedAdded] = await added(collection.id, [stored]);
        const fresh = makeObject();
        const conflicting = makeVersion(stored, at(5), { name: 'other' });
        const newer = makeVersion(stored, at(6));
        const outcomes = await store.addObjects(
          collection.id,
          [fresh, stored, conflicting, newer],
          at(2000),
        );
        expect(outcomes.map((o) => [o.id, o.outcome])).toEqual([
          [fresh.id, 'added'],
          [stored.id, 'duplicate'],
          [stored.id, 'conflict'],
          [stored.id, 'added'],
        ]);
        expect(outcomes[1]).toMatchObject({ dateAdded: storedAdded });
        expect(outcomes[3]).toMatchObject({ version: vk(at(6)) });
      });

      it('treats a repeat within the same call as duplicate', async () => {
        const collection = await addCollection();
        const object = makeObject();
        const outcomes = await store.addObjects(collection.id, [object, object], at(1000));
        expect(outcomes.map((o) => o.outcome)).toEqual(['added', 'duplicate']);
        expect(outcomes[1]).toMatchObject({ dateAdded: at(1000) });
      });

      it('treats a conflicting version within the same call as conflict', async () => {
        const collection = await addCollection();
        const object = makeObject({ name: 'a' });
        const outcomes = await store.addObjects(
          collection.id,
          [object, makeVersion(object, at(0), { name: 'b' })],
          at(1000),
        );
        expect(outcomes.map((o) => o.outcome)).toEqual(['added', 'conflict']);
      });

      it('versions an unversioned object by its date_added', async () => {
        const collection = await addCollection();
        const object = makeObject({ version: null, name: '198.51.100.1' });
        const [outcome] = await store.addObjects(collection.id, [object], at(1000));
        expect(outcome).toEqual({
          id: object.id,
          outcome: 'added',
          version: vk(at(1000)),
          dateAdded: at(1000),
        });
        const [record] = (await store.query(collection.id, { versions: lastVersion, limit: 1 }))
          .records;
        expect(record).toMatchObject({
          version: vk(at(1000)),
          dateAdded: at(1000),
          isLatest: true,
          isFirst: true,
        });
      });

      it('reports an unversioned object identical to a stored version as duplicate', async () => {
        const collection = await addCollection();
        const object = makeObject({ version: null });
        await added(collection.id, [object], at(1000));
        const [outcome] = await store.addObjects(collection.id, [object], at(2000));
        expect(outcome).toEqual({
          id: object.id,
          outcome: 'duplicate',
          version: vk(at(1000)),
          dateAdded: at(1000),
        });
      });

      it('reports an unversioned object identical to an older, not latest, version as duplicate', async () => {
        const collection = await addCollection();
        const v1 = makeObject({ version: null, name: 'one' });
        const v2 = makeObject({ version: null, id: v1.id, name: 'two' });
        await added(collection.id, [v1], at(1000));
        await added(collection.id, [v2], at(2000));
        const [outcome] = await store.addObjects(collection.id, [v1], at(3000));
        expect(outcome).toMatchObject({
          outcome: 'duplicate',
          version: vk(at(1000)),
          dateAdded: at(1000),
        });
      });

      it('adds an unversioned object with different bytes as a new latest version', async () => {
        const collection = await addCollection();
        const v1 = makeObject({ version: null, name: 'one' });
        const v2 = makeObject({ version: null, id: v1.id, name: 'two' });
        await added(collection.id, [v1], at(1000));
        const [outcome] = await store.addObjects(collection.id, [v2], at(2000));
        expect(outcome).toMatchObject({ outcome: 'added', version: vk(at(2000)) });
        const latest = await store.query(collection.id, { versions: lastVersion, limit: 10 });
        expect(latest.records.map((r) => r.json)).toEqual([v2.json]);
      });

      it('rejects a write to an unknown collection with NotFoundError', async () => {
        await expect(
          store.addObjects(randomUUID(), [makeObject()], at(1000)),
        ).rejects.toBeInstanceOf(NotFoundError);
      });

      it('accepts an empty call', async () => {
        const collection = await addCollection();
        expect(await store.addObjects(collection.id, [], at(1000))).toEqual([]);
      });

      it('keeps date_added strictly increasing when now repeats', async () => {
        const collection = await addCollection();
        const dates: Micros[] = [];
        for (let call = 0; call < 3; call++) {
          dates.push(
            ...(await added(collection.id, [makeObject(), makeObject(), makeObject()], at(1000))),
          );
        }
        expect(dates[0]).toBeGreaterThanOrEqual(at(1000));
        for (let i = 1; i < dates.length; i++)
          expect(dates[i]).toBeGreaterThan(dates[i - 1] as number);
      });

      it('keeps date_added strictly increasing when now goes backwards', async () => {
        const collection = await addCollection();
        const [first] = await added(collection.id, [makeObject()], at(1000));
        const [second, third] = await added(collection.id, [makeObject(), makeObject()], at(10));
        expect(second).toBeGreaterThan(first as number);
        expect(third).toBeGreaterThan(second as number);
      });

      it('follows the clock again once now is ahead of the last date_added', async () => {
        const collection = await addCollection();
        await added(collection.id, [makeObject()], at(1000));
        const [later] = await added(collection.id, [makeObject()], at(5000));
        expect(later).toBe(at(5000));
      });

      it('keeps date_added per collection: another collection does not push it', async () => {
        const one = await addCollection();
        const two = await addCollection();
        await added(one.id, [makeObject()], at(5000));
        const [dateAdded] = await added(two.id, [makeObject()], at(1000));
        expect(dateAdded).toBe(at(1000));
      });

      it('never hands out a date_added again after the newest object is deleted', async () => {
        const collection = await addCollection();
        const newest = makeObject();
        const [gone] = await added(collection.id, [makeObject(), newest], at(1000));
        await store.deleteObject(collection.id, newest.id, { versions: allVersions });
        const [next] = await added(collection.id, [makeObject()], at(1000));
        expect(next).toBeGreaterThan(gone as number);
      });

      it('marks latest and first correctly when versions arrive out of order', async () => {
        const collection = await addCollection();
        const v2 = makeObject({ version: at(2) });
        await added(collection.id, [v2]);
        await added(collection.id, [makeVersion(v2, at(3))]);
        await added(collection.id, [makeVersion(v2, at(1))]);
        const records = (await store.query(collection.id, { versions: allVersions, limit: 10 }))
          .records;
        const markers = records.map((r) => [r.version, r.isLatest, r.isFirst]);
        expect(markers).toEqual([
          [vk(at(2)), false, false],
          [vk(at(3)), true, false],
          [vk(at(1)), false, true],
        ]);
      });

      it('marks a single version both latest and first', async () => {
        const collection = await addCollection();
        await added(collection.id, [makeObject()]);
        const [record] = (await store.query(collection.id, { versions: allVersions, limit: 10 }))
          .records;
        expect(record).toMatchObject({ isLatest: true, isFirst: true });
      });

      it('keeps objects of different collections apart, even with the same id and version', async () => {
        const one = await addCollection();
        const two = await addCollection();
        const object = makeObject();
        await added(one.id, [object]);
        const [outcome] = await store.addObjects(
          two.id,
          [makeVersion(object, at(0), { name: 'other' })],
          at(1000),
        );
        expect(outcome?.outcome).toBe('added');
        const page = await store.query(one.id, { versions: allVersions, limit: 10 });
        expect(page.records.map((r) => r.json)).toEqual([object.json]);
      });

      it('adds a large call in one piece, with strictly increasing date_added', async () => {
        const collection = await addCollection();
        const objects = Array.from({ length: 1200 }, (_, i) =>
          makeObject({ type: i % 2 === 0 ? 'indicator' : 'malware' }),
        );
        const dates = await added(collection.id, objects, at(1000));
        expect(dates).toHaveLength(1200);
        for (let i = 1; i < dates.length; i++)
          expect(dates[i]).toBeGreaterThan(dates[i - 1] as number);
        expect(await store.countObjects(collection.id)).toBe(1200);
      });

      describe('date_added blocks (each write ends on a whole millisecond)', () => {
        const ms = 1000;
        const ceilMs = (micros: Micros): Micros => Math.ceil(micros / ms) * ms;
        const objects = (n: number): NewObject[] => Array.from({ length: n }, () => makeObject());

        /** Checks one call's values: consecutive, the last on a whole millisecond. */
        function expectBlock(dates: Micros[], first: Micros): void {
          const end = ceilMs(first + dates.length - 1);
          expect(dates[dates.length - 1]).toBe(end);
          expect(dates).toEqual(dates.map((_, i) => end - dates.length + 1 + i));
          expect(dates[0]).toBeGreaterThanOrEqual(first);
        }

        it('ends every call on a whole millisecond, whatever now and the size', async () => {
          const collection = await addCollection();
          let last: Micros | null = null;
          const calls: [number, Micros][] = [
            [1, at(10.000001)],
            [2, at(10.000002)],
            [3, at(20)],
            [7, at(20.000999)],
            [999, at(30.0005)],
            [1000, at(30.0005)],
            [1001, at(40)],
          ];
          for (const [n, now] of calls) {
            const dates = await added(collection.id, objects(n), now);
            expect(dates).toHaveLength(n);
            expect((dates[n - 1] as number) % ms).toBe(0);
            expectBlock(dates, last === null ? now : Math.max(now, last + 1));
            last = dates[n - 1] as number;
          }
        });

        it('lets a client that keeps the last date_added in milliseconds find nothing new', async () => {
          const collection = await addCollection();
          const dates = await added(collection.id, objects(3), at(50.000123));
          const kept = Math.floor((dates[2] as number) / ms) * ms;
          expect(kept).toBe(dates[2]);
          const page = await store.query(collection.id, {
            versions: lastVersion,
            addedAfter: kept,
            limit: 10,
          });
          expect(page.records).toEqual([]);
        });

        it('keeps values strictly increasing and unique across calls when now repeats', async () => {
          const collection = await addCollection();
          const all: Micros[] = [];
          for (const n of [3, 1, 5, 2]) {
            const dates = await added(collection.id, objects(n), at(60.0004));
            const previous = all[all.length - 1];
            expectBlock(dates, previous === undefined ? at(60.0004) : previous + 1);
            all.push(...dates);
          }
          for (let i = 1; i < all.length; i++) expect(all[i]).toBeGreaterThan(all[i - 1] as number);
          expect(new Set(all).size).toBe(all.length);
          const stored = await queryAll(store, collection.id, { versions: allVersions }, 4);
          expect(stored.map((r) => r.dateAdded)).toEqual(all);
        });

        it('keeps values strictly increasing and unique across calls when now goes backwards', async () => {
          const collection = await addCollection();
          const one = await added(collection.id, objects(4), at(70.0001));
          const two = await added(collection.id, objects(3), at(69));
          const three = await added(collection.id, objects(2), at(1));
          expectBlock(two, (one[3] as number) + 1);
          expectBlock(three, (two[2] as number) + 1);
          const all = [...one, ...two, ...three];
          for (let i = 1; i < all.length; i++) expect(all[i]).toBeGreaterThan(all[i - 1] as number);
        });

        it('spans a call of 2500 objects over consecutive values ending on a millisecond', async () => {
          const collection = await addCollection();
          const [before] = await added(collection.id, objects(1), at(80.0002));
          expect(before).toBe(at(80.001));
          const dates = await added(collection.id, objects(2500), at(80.0002));
          // first = at(80.001) + 1 µs; its 2500 values reach into the fourth millisecond after.
          expect(dates[2499]).toBe(at(80.004));
          expect(dates[0]).toBe(at(80.004) - 2499);
          expectBlock(dates, at(80.001) + 1);
          expect(await store.countObjects(collection.id)).toBe(2501);
        });

        it('gives duplicates and conflicts no value: the added ones are consecutive and end on a millisecond', async () => {
          const collection = await addCollection();
          const stored = makeObject({ version: at(5) });
          await added(collection.id, [stored], at(90));
          const fresh = objects(3);
          const outcomes = await store.addObjects(
            collection.id,
            [
              fresh[0] as NewObject,
              stored,
              fresh[1] as NewObject,
              makeVersion(stored, at(5), { name: 'other' }),
              fresh[2] as NewObject,
              fresh[2] as NewObject,
              stored,
            ],
            at(90.0001),
          );
          expect(outcomes.map((o) => o.outcome)).toEqual([
            'added',
            'duplicate',
            'added',
            'conflict',
            'added',
            'duplicate',
            'duplicate',
          ]);
          const dates = [0, 2, 4].map((i) => (outcomes[i] as { dateAdded: Micros }).dateAdded);
          expectBlock(dates, at(90.0001));
          expect(outcomes[5]).toMatchObject({ dateAdded: dates[2] });
        });

        it('still ends on a millisecond when the last object of a call gets no value', async () => {
          const collection = await addCollection();
          // An unversioned object is versioned by its date_added; it is a conflict when that
          // value is already a version of the same id.
          const versioned = makeObject({ version: at(2000) });
          await added(collection.id, [versioned], at(100));
          const other = makeObject();
          const unversioned = makeObject({ version: null, id: versioned.id, name: 'x' });
          const outcomes = await store.addObjects(
            collection.id,
            [other, unversioned],
            at(2000) - 1,
          );
          expect(outcomes[0]).toMatchObject({ outcome: 'added', dateAdded: at(2000) });
          expect(outcomes[1]).toMatchObject({ outcome: 'conflict', version: vk(at(2000)) });
          const next = await added(collection.id, [makeObject()], at(2000));
          expect(next).toEqual([at(2000) + ms]);
        });
      });

      it('counts every stored version', async () => {
        const collection = await addCollection();
        const object = makeObject({ version: at(1) });
        await added(collection.id, [object, makeVersion(object, at(2)), makeObject()]);
        expect(await store.countObjects(collection.id)).toBe(3);
        expect(await store.countObjects(randomUUID())).toBe(0);
      });
    });

    describe('records', () => {
      it('come back with the exact json bytes that were stored', async () => {
        const collection = await addCollection();
        // Not what JSON.stringify would produce after a parse: 1.50, spacing, escapes, key order.
        const json =
          '{"type":"note","spec_version":"2.1","id":"note--1","z":1.50, "a":"\\u00e9 ☃ 🚀 \\u2028","content":"x"}';
        const object: NewObject = { ...makeObject({ type: 'note', id: 'note--1' }), json };
        await added(collection.id, [object]);
        const [record] = (await store.query(collection.id, { versions: lastVersion, limit: 1 }))
          .records;
        expect(record?.json).toBe(json);
      });

      it('carry the stored metadata', async () => {
        const collection = await addCollection();
        const object = makeObject({
          type: 'malware',
          version: at(7),
          tlp: 'amber+strict',
          revoked: true,
        });
        const [dateAdded] = await added(collection.id, [object], at(1000));
        const [record] = (await store.query(collection.id, { versions: lastVersion, limit: 1 }))
          .records;
        expect(record).toEqual({
          id: object.id,
          type: 'malware',
          specVersion: '2.1',
          version: vk(at(7)),
          dateAdded,
          isLatest: true,
          isFirst: true,
          tlp: 'amber+strict',
          revoked: true,
          json: object.json,
        });
      });
    });

    describe('query', () => {
      it('returns the latest versions in date_added order by default', async () => {
        const collection = await addCollection();
        const a = makeObject({ version: at(1) });
        const b = makeObject({ version: at(1) });
        await added(collection.id, [a, b]);
        await added(collection.id, [makeVersion(a, at(2))]);
        const page = await store.query(collection.id, { versions: lastVersion, limit: 10 });
        expect(keys(page.records)).toEqual([keyOf(b), keyOf(a, at(2))]);
        expect(page.more).toBe(false);
      });

      it('answers an empty page for an unknown collection', async () => {
        expect(await store.query(randomUUID(), { versions: lastVersion, limit: 10 })).toEqual({
          records: [],
          more: false,
        });
      });

      it('returns only records added strictly after addedAfter', async () => {
        const collection = await addCollection();
        const objects = [makeObject(), makeObject(), makeObject()];
        const dates = await added(collection.id, objects);
        const page = await store.query(collection.id, {
          versions: lastVersion,
          addedAfter: dates[0],
          limit: 10,
        });
        expect(page.records.map((r) => r.id)).toEqual([objects[1]?.id, objects[2]?.id]);
      });

      it('returns nothing after the last date_added', async () => {
        const collection = await addCollection();
        const dates = await added(collection.id, [makeObject(), makeObject()]);
        const page = await store.query(collection.id, {
          versions: lastVersion,
          addedAfter: dates[1],
          limit: 10,
        });
        expect(page).toEqual({ records: [], more: false });
      });

      it('filters by ids', async () => {
        const collection = await addCollection();
        const objects = [makeObject(), makeObject(), makeObject()];
        await added(collection.id, objects);
        const ids = [objects[2]?.id as string, objects[0]?.id as string, 'indicator--unknown'];
        const page = await store.query(collection.id, { versions: lastVersion, ids, limit: 10 });
        expect(page.records.map((r) => r.id)).toEqual([objects[0]?.id, objects[2]?.id]);
      });

      it('filters by one type', async () => {
        const collection = await addCollection();
        const objects = [
          makeObject({ type: 'malware' }),
          makeObject({ type: 'indicator' }),
          makeObject({ type: 'malware' }),
        ];
        await added(collection.id, objects);
        const page = await store.query(collection.id, {
          versions: lastVersion,
          types: ['malware'],
          limit: 10,
        });
        expect(page.records.map((r) => r.id)).toEqual([objects[0]?.id, objects[2]?.id]);
      });

      it('filters by several types, still in date_added order', async () => {
        const collection = await addCollection();
        const types = ['malware', 'indicator', 'note', 'malware', 'indicator', 'tool', 'indicator'];
        const objects = types.map((type) => makeObject({ type }));
        await added(collection.id, objects);
        const page = await store.query(collection.id, {
          versions: lastVersion,
          types: ['indicator', 'malware'],
          limit: 10,
        });
        expect(page.records.map((r) => r.type)).toEqual([
          'malware',
          'indicator',
          'malware',
          'indicator',
          'indicator',
        ]);
        expect(page.records.map((r) => r.id)).toEqual([0, 1, 3, 4, 6].map((i) => objects[i]?.id));
      });

      it('pages through several types with limit and more', async () => {
        const collection = await addCollection();
        const types = ['malware', 'indicator', 'note', 'malware', 'indicator', 'tool', 'indicator'];
        const objects = types.map((type) => makeObject({ type }));
        await added(collection.id, objects);
        const records = await queryAll(
          store,
          collection.id,
          { types: ['indicator', 'malware'] },
          2,
        );
        expect(records.map((r) => r.id)).toEqual([0, 1, 3, 4, 6].map((i) => objects[i]?.id));
      });

      it('returns each record once when ids or types repeat in the filter', async () => {
        const collection = await addCollection();
        const objects = [makeObject({ type: 'malware' }), makeObject({ type: 'indicator' })];
        await added(collection.id, objects);
        const ids = [objects[0]?.id as string, objects[0]?.id as string];
        const byIds = await store.query(collection.id, { versions: lastVersion, ids, limit: 10 });
        expect(byIds.records.map((r) => r.id)).toEqual([objects[0]?.id]);
        const types = ['indicator', 'indicator', 'malware'];
        const byTypes = await store.query(collection.id, {
          versions: lastVersion,
          types,
          limit: 10,
        });
        expect(byTypes.records.map((r) => r.id)).toEqual(objects.map((o) => o.id));
      });

      it('filters by a type that no object has', async () => {
        const collection = await addCollection();
        await added(collection.id, [makeObject()]);
        const page = await store.query(collection.id, {
          versions: lastVersion,
          types: ['tool'],
          limit: 10,
        });
        expect(page).toEqual({ records: [], more: false });
      });

      it('combines ids and types', async () => {
        const collection = await addCollection();
        const objects = [makeObject({ type: 'malware' }), makeObject({ type: 'indicator' })];
        await added(collection.id, objects);
        const ids = objects.map((o) => o.id);
        const page = await store.query(collection.id, {
          versions: lastVersion,
          ids,
          types: ['indicator'],
          limit: 10,
        });
        expect(page.records.map((r) => r.id)).toEqual([objects[1]?.id]);
      });

      it('returns every spec version when specVersions is absent', async () => {
        const collection = await addCollection();
        const old = makeObject({ specVersion: '2.0' });
        const current = makeObject();
        await added(collection.id, [old, current]);
        const page = await store.query(collection.id, { versions: lastVersion, limit: 10 });
        expect(page.records.map((r) => [r.id, r.specVersion])).toEqual([
          [old.id, '2.0'],
          [current.id, '2.1'],
        ]);
      });

      it('returns the spec versions asked for', async () => {
        const collection = await addCollection();
        const old = makeObject({ specVersion: '2.0' });
        const current = makeObject();
        await added(collection.id, [old, current]);
        const only20 = await store.query(collection.id, {
          versions: lastVersion,
          specVersions: ['2.0'],
          limit: 10,
        });
        expect(only20.records.map((r) => [r.id, r.specVersion])).toEqual([[old.id, '2.0']]);
        const both = await store.query(collection.id, {
          versions: lastVersion,
          specVersions: ['2.0', '2.1'],
          limit: 10,
        });
        expect(both.records.map((r) => r.id)).toEqual([old.id, current.id]);
      });

      describe('version selectors', () => {
        // One object with versions 1 < 2 < 3 that arrived as 2, 3, 1; and one single-version object.
        let collection: CollectionRecord;
        let many: NewObject;
        let single: NewObject;

        beforeEach(async () => {
          collection = await addCollection();
          many = makeObject({ version: at(2) });
          single = makeObject({ version: at(10) });
          await added(collection.id, [many]);
          await added(collection.id, [makeVersion(many, at(3))]);
          await added(collection.id, [makeVersion(many, at(1)), single]);
        });

        const select = async (versions: VersionSelector): Promise<string[]> =>
          keys((await store.query(collection.id, { versions, limit: 100 })).records);

        it('last returns only the latest version of each object', async () => {
          expect(await select(lastVersion)).toEqual([keyOf(many, at(3)), keyOf(single)]);
        });

        it('first returns only the earliest version of each object', async () => {
          expect(await select(firstVersion)).toEqual([keyOf(many, at(1)), keyOf(single)]);
        });

        it('all returns every version in date_added order', async () => {
          expect(await select(allVersions)).toEqual([
            keyOf(many, at(2)),
            keyOf(many, at(3)),
            keyOf(many, at(1)),
            keyOf(single),
          ]);
        });

        it('an exact version returns only that version', async () => {
          expect(await select(exactVersions(at(2)))).toEqual([keyOf(many, at(2))]);
        });

        it('several exact versions return each of them', async () => {
          expect(await select(exactVersions(at(10), at(1), at(99)))).toEqual([
            keyOf(many, at(1)),
            keyOf(single),
          ]);
        });

        it('first and last together return both, and a single version once', async () => {
          expect(await select({ kind: 'some', first: true, last: true, versions: [] })).toEqual([
            keyOf(many, at(3)),
            keyOf(many, at(1)),
            keyOf(single),
          ]);
        });

        it('last with an exact version returns their union', async () => {
          expect(
            await select({ kind: 'some', first: false, last: true, versions: [vk(at(2))] }),
          ).toEqual([keyOf(many, at(2)), keyOf(many, at(3)), keyOf(single)]);
        });

        it('first with an exact version returns their union', async () => {
          expect(
            await select({ kind: 'some', first: true, last: false, versions: [vk(at(3))] }),
          ).toEqual([keyOf(many, at(3)), keyOf(many, at(1)), keyOf(single)]);
        });

        it('first, last and an exact version return their union', async () => {
          expect(
            await select({ kind: 'some', first: true, last: true, versions: [vk(at(2))] }),
          ).toEqual([keyOf(many, at(2)), keyOf(many, at(3)), keyOf(many, at(1)), keyOf(single)]);
        });

        it('a selector that selects nothing returns an empty page', async () => {
          expect(await select(exactVersions())).toEqual([]);
        });

        it('all versions of one id come from ids with all', async () => {
          const page = await store.query(collection.id, {
            versions: allVersions,
            ids: [many.id],
            limit: 100,
          });
          expect(keys(page.records)).toEqual([
            keyOf(many, at(2)),
            keyOf(many, at(3)),
            keyOf(many, at(1)),
          ]);
        });

        it('selectors combine with a type filter', async () => {
          const page = await store.query(collection.id, {
            versions: firstVersion,
            types: ['indicator'],
            limit: 100,
          });
          expect(keys(page.records)).toEqual([keyOf(many, at(1)), keyOf(single)]);
        });
      });

      it('never returns more than limit records', async () => {
        const collection = await addCollection();
        await added(collection.id, [makeObject(), makeObject(), makeObject()]);
        const page = await store.query(collection.id, { versions: lastVersion, limit: 2 });
        expect(page.records).toHaveLength(2);
      });

      it('sets more when further records match', async () => {
        const collection = await addCollection();
        await added(collection.id, [makeObject(), makeObject(), makeObject()]);
        expect((await store.query(collection.id, { versions: lastVersion, limit: 2 })).more).toBe(
          true,
        );
      });

      it('clears more when the page holds exactly the remaining records', async () => {
        const collection = await addCollection();
        await added(collection.id, [makeObject(), makeObject(), makeObject()]);
        const page = await store.query(collection.id, { versions: lastVersion, limit: 3 });
        expect(page.records).toHaveLength(3);
        expect(page.more).toBe(false);
      });

      it('pages to the end with addedAfter, each record exactly once', async () => {
        const collection = await addCollection();
        const objects = Array.from({ length: 11 }, () => makeObject());
        await added(collection.id, objects.slice(0, 6));
        await added(collection.id, objects.slice(6));
        const records = await queryAll(store, collection.id, {}, 3);
        expect(records.map((r) => r.id)).toEqual(objects.map((o) => o.id));
      });

      it('pages without skipping or repeating while writes interleave between pages', async () => {
        const collection = await addCollection();
        const initial = Array.from({ length: 8 }, (_, i) => makeObject({ version: at(i) }));
        await added(collection.id, initial, at(1000));
        const seen: ObjectRecord[] = [];
        let addedAfter: Micros | undefined;
        for (let round = 0; ; round++) {
          const page = await store.query(collection.id, {
            versions: allVersions,
            addedAfter,
            limit: 3,
          });
          seen.push(...page.records);
          addedAfter = page.records[page.records.length - 1]?.dateAdded ?? addedAfter;
          const writing = round < 6;
          if (writing) {
            // A new object and a new version of an object already paged past; the clock stalls.
            const older = initial[round] as NewObject;
            await added(
              collection.id,
              [makeObject(), makeVersion(older, at(100 + round))],
              at(1000),
            );
          }
          if (!page.more && !writing) break;
        }
        const everything = await store.query(collection.id, { versions: allVersions, limit: 1000 });
        expect(keys(seen)).toEqual(keys(everything.records));
        expect(new Set(keys(seen)).size).toBe(seen.length);
        expect(everything.records).toHaveLength(8 + 12);
      });

      it('sees every new latest version when paging with last while writes interleave', async () => {
        const collection = await addCollection();
        const initial = Array.from({ length: 6 }, (_, i) => makeObject({ version: at(i) }));
        await added(collection.id, initial, at(1000));
        const seen: ObjectRecord[] = [];
        let addedAfter: Micros | undefined;
        for (let round = 0; ; round++) {
          const page = await store.query(collection.id, {
            versions: lastVersion,
            addedAfter,
            limit: 2,
          });
          seen.push(...page.records);
          addedAfter = page.records[page.records.length - 1]?.dateAdded ?? addedAfter;
          const writing = round < 4;
          if (writing)
            await added(
              collection.id,
              [makeVersion(initial[round] as NewObject, at(100 + round))],
              at(1000),
            );
          if (!page.more && !writing) break;
        }
        expect(new Set(keys(seen)).size).toBe(seen.length);
        const latest = await store.query(collection.id, { versions: lastVersion, limit: 100 });
        for (const record of latest.records)
          expect(keys(seen)).toContain(`${record.id}@${record.version}`);
      });

      describe('visibility', () => {
        it('returns only the allowed TLP codes, in full pages', async () => {
          const collection = await addCollection();
          const tlps: TlpCode[] = ['red', 'green', 'red', 'red', 'clear', 'amber', 'green', 'red'];
          const objects = tlps.map((tlp) => makeObject({ tlp }));
          await added(collection.id, objects);
          const visibility = { tlp: ['clear', 'green'] as TlpCode[] };
          const page = await store.query(collection.id, {
            versions: lastVersion,
            limit: 2,
            visibility,
          });
          expect(page.records.map((r) => r.id)).toEqual([objects[1]?.id, objects[4]?.id]);
          expect(page.more).toBe(true);
        });

        it('clears more when only invisible records remain', async () => {
          const collection = await addCollection();
          const tlps: TlpCode[] = ['green', 'red', 'green', 'red', 'red'];
          const objects = tlps.map((tlp) => makeObject({ tlp }));
          await added(collection.id, objects);
          const visibility = { tlp: ['green'] as TlpCode[] };
          const page = await store.query(collection.id, {
            versions: lastVersion,
            limit: 2,
            visibility,
          });
          expect(page.records.map((r) => r.id)).toEqual([objects[0]?.id, objects[2]?.id]);
          expect(page.more).toBe(false);
        });

        it('returns nothing when no TLP is allowed', async () => {
          const collection = await addCollection();
          await added(collection.id, [makeObject({ tlp: 'clear' })]);
          const page = await store.query(collection.id, {
            versions: lastVersion,
            limit: 2,
            visibility: { tlp: [] },
          });
          expect(page).toEqual({ records: [], more: false });
        });

        it('never returns excluded types, in full pages', async () => {
          const collection = await addCollection();
          const types = ['identity', 'indicator', 'identity', 'sighting', 'malware', 'identity'];
          const objects = types.map((type) => makeObject({ type }));
          await added(collection.id, objects);
          const visibility = { excludeTypes: ['identity', 'sighting'] };
          const first = await store.query(collection.id, {
            versions: lastVersion,
            limit: 1,
            visibility,
          });
          expect(first.records.map((r) => r.id)).toEqual([objects[1]?.id]);
          expect(first.more).toBe(true);
          const second = await store.query(collection.id, {
            versions: lastVersion,
            limit: 1,
            visibility,
            addedAfter: first.records[0]?.dateAdded,
          });
          expect(second.records.map((r) => r.id)).toEqual([objects[4]?.id]);
          expect(second.more).toBe(false);
        });

        it('applies visibility together with a type filter', async () => {
          const collection = await addCollection();
          const objects = [
            makeObject({ type: 'indicator', tlp: 'red' }),
            makeObject({ type: 'indicator', tlp: 'green' }),
            makeObject({ type: 'identity', tlp: 'green' }),
            makeObject({ type: 'malware', tlp: 'green' }),
          ];
          await added(collection.id, objects);
          const page = await store.query(collection.id, {
            versions: lastVersion,
            types: ['indicator', 'identity'],
            limit: 10,
            visibility: { tlp: ['green'], excludeTypes: ['identity'] },
          });
          expect(page.records.map((r) => r.id)).toEqual([objects[1]?.id]);
        });

        it('applies visibility to the version found by the selector, not to older versions', async () => {
          const collection = await addCollection();
          const object = makeObject({ version: at(1), tlp: 'green' });
          await added(collection.id, [object, makeVersion(object, at(2), { tlp: 'red' })]);
          const page = await store.query(collection.id, {
            versions: lastVersion,
            limit: 10,
            visibility: { tlp: ['green'] },
          });
          expect(page.records).toEqual([]);
        });
      });
    });

    describe('exact versions over years 0000-9999', () => {
      const key = (text: string): VersionKey => text as VersionKey;
      const versionsOf = async (collectionId: string, id: string): Promise<VersionKey[]> =>
        (await store.query(collectionId, { versions: allVersions, ids: [id], limit: 100 })).records
          .map((r) => r.version)
          .sort();

      for (const [year, texts] of [
        [
          '3000',
          [
            '3000-01-01T00:00:00.000001Z',
            '3000-01-01T00:00:00.000002Z',
            '3000-01-01T00:00:00.000003Z',
          ],
        ],
        [
          '9999',
          [
            '9999-12-31T23:59:59.999997Z',
            '9999-12-31T23:59:59.999998Z',
            '9999-12-31T23:59:59.999999Z',
          ],
        ],
        [
          '0001',
          [
            '0001-01-01T00:00:00.000000Z',
            '0001-01-01T00:00:00.000001Z',
            '0001-01-01T00:00:00.000002Z',
          ],
        ],
      ] as const) {
        it(`keeps versions 1 µs apart in the year ${year} distinct, ordered and exact`, async () => {
          const collection = await addCollection();
          const [a, b, c] = texts.map(key) as [VersionKey, VersionKey, VersionKey];
          const base = makeObject({ version: b });
          // Out of order on purpose: the markers must follow the versions, not the arrival.
          await added(collection.id, [base, makeVersion(base, c), makeVersion(base, a)]);
          expect(await versionsOf(collection.id, base.id)).toEqual([a, b, c]);
          const last = await store.query(collection.id, { versions: lastVersion, limit: 10 });
          expect(keys(last.records)).toEqual([keyOf(base, c)]);
          const first = await store.query(collection.id, { versions: firstVersion, limit: 10 });
          expect(keys(first.records)).toEqual([keyOf(base, a)]);
          const exact = await store.query(collection.id, {
            versions: exactVersions(b),
            limit: 10,
          });
          expect(keys(exact.records)).toEqual([keyOf(base, b)]);
          // The same version again is a duplicate of that version, not of a rounded neighbour.
          const [again] = await store.addObjects(collection.id, [makeVersion(base, a)], at(2000));
          expect(again).toMatchObject({ outcome: 'duplicate', version: a });
          const [other] = await store.addObjects(
            collection.id,
            [makeVersion(base, a, { name: 'changed' })],
            at(2000),
          );
          expect(other).toMatchObject({ outcome: 'conflict', version: a });
        });
      }

      it('orders the latest version across years 0001, 2026 and 9999', async () => {
        const collection = await addCollection();
        const base = makeObject({ version: at(0) });
        const late = key('9999-12-31T23:59:59.999999Z');
        const early = key('0001-01-01T00:00:00.000000Z');
        await added(collection.id, [base, makeVersion(base, late), makeVersion(base, early)]);
        expect(await versionsOf(collection.id, base.id)).toEqual([early, vk(at(0)), late]);
        const page = await store.query(collection.id, { versions: lastVersion, limit: 10 });
        expect(page.records.map((r) => [r.version, r.isLatest, r.isFirst])).toEqual([
          [late, true, false],
        ]);
        expect(
          await store.deleteObject(collection.id, base.id, { versions: exactVersions(late) }),
        ).toBe(1);
        const after = await store.query(collection.id, { versions: lastVersion, limit: 10 });
        expect(keys(after.records)).toEqual([keyOf(base, at(0))]);
      });
    });

    describe('queryBodies', () => {
      it('returns the bodies of exactly what query returns, for every kind of query', async () => {
        const collection = await addCollection();
        const a = makeObject({ tlp: 'green', name: 'a' });
        const b = makeObject({ type: 'malware', tlp: 'amber', name: 'b' });
        const c = makeObject({ version: null, tlp: 'clear', name: '198.51.100.7' });
        const old = makeObject({ version: at(1), tlp: 'green', name: 'v1' });
        await added(collection.id, [a, b, c, old], at(1000));
        const [newer] = await added(
          collection.id,
          [makeVersion(old, at(2), { tlp: 'red', name: 'v2' })],
          at(2000),
        );
        const v20 = makeObject({ specVersion: '2.0', name: 'legacy' });
        await added(collection.id, [v20], at(3000));
        const queries: ObjectQuery[] = [
          { versions: lastVersion, limit: 10 },
          { versions: lastVersion, limit: 2 },
          { versions: allVersions, limit: 10 },
          { versions: { kind: 'some', first: true, last: false, versions: [] }, limit: 10 },
          { versions: lastVersion, limit: 10, addedAfter: newer! - 1 },
          { versions: lastVersion, limit: 10, types: ['malware', 'ipv4-addr'] },
          { versions: lastVersion, limit: 10, ids: [a.id, old.id] },
          { versions: lastVersion, limit: 10, specVersions: ['2.0', '2.1'] },
          { versions: lastVersion, limit: 10, visibility: { tlp: ['green', 'clear'] } },
          { versions: allVersions, limit: 10, visibility: { excludeTypes: ['malware'] } },
        ];
        for (const query of queries) {
          const page = await store.query(collection.id, query);
          const bodies = await store.queryBodies(collection.id, query);
          expect(bodies.more, JSON.stringify(query)).toBe(page.more);
          expect(bodies.positions, JSON.stringify(query)).toEqual(
            page.records.map((r) => r.dateAdded),
          );
          expect(bodies.body.toString('utf8'), JSON.stringify(query)).toBe(
            page.records.map((r) => r.json).join(','),
          );
          // Each record's bytes are found through `ends`.
          const each = bodies.ends.map((end, i) =>
            bodies.body.subarray(i === 0 ? 0 : bodies.ends[i - 1]! + 1, end).toString('utf8'),
          );
          expect(each, JSON.stringify(query)).toEqual(page.records.map((r) => r.json));
        }
        // The selections differ, so the comparison above compared something.
        const sizes = await Promise.all(
          queries.map(async (q) => (await store.queryBodies(collection.id, q)).positions.length),
        );
        expect(new Set(sizes).size).toBeGreaterThan(2);
      });

      it('pages through many multi-byte bodies in date_added order, exactly', async () => {
        const collection = await addCollection();
        const objects = Array.from({ length: 120 }, (_, i) =>
          makeObject({
            type: i % 3 === 0 ? 'malware' : 'indicator',
            tlp: i % 2 === 0 ? 'green' : 'amber',
            name: i % 4 === 0 ? `گزارش ${i} — ✓` : `plain ${i}`,
          }),
        );
        await added(collection.id, objects, at(5000));
        for (const extra of [
          {},
          { types: ['malware', 'indicator'] },
          { visibility: { tlp: ['green', 'amber'] as TlpCode[] } },
        ]) {
          const served: string[] = [];
          let after: Micros | undefined;
          for (let round = 0; round < 20; round++) {
            const query: ObjectQuery = {
              versions: lastVersion,
              limit: 25,
              ...extra,
              ...(after !== undefined && { addedAfter: after }),
            };
            const bodies = await store.queryBodies(collection.id, query);
            const page = await store.query(collection.id, query);
            expect(bodies.body.toString('utf8')).toBe(page.records.map((r) => r.json).join(','));
            expect(bodies.more).toBe(page.more);
            served.push(...page.records.map((r) => r.id));
            if (!bodies.more) break;
            after = bodies.positions.at(-1);
          }
          expect(served, JSON.stringify(extra)).toEqual(objects.map((o) => o.id));
        }
      });

      it('answers an empty page for an unknown collection', async () => {
        const page = await store.queryBodies(randomUUID(), { versions: lastVersion, limit: 10 });
        expect(page.positions).toEqual([]);
        expect(page.body.length).toBe(0);
        expect(page.more).toBe(false);
      });
    });

    describe('deleteObject', () => {
      let collection: CollectionRecord;
      let object: NewObject;

      beforeEach(async () => {
        collection = await addCollection();
        object = makeObject({ version: at(1) });
        await added(collection.id, [
          object,
          makeVersion(object, at(2)),
          makeVersion(object, at(3)),
          makeObject(),
        ]);
      });

      const versionsOf = async (): Promise<[VersionKey, boolean, boolean][]> =>
        (
          await store.query(collection.id, { versions: allVersions, ids: [object.id], limit: 100 })
        ).records.map((r): [VersionKey, boolean, boolean] => [r.version, r.isLatest, r.isFirst]);

      it('deletes every version and answers how many', async () => {
        expect(await store.deleteObject(collection.id, object.id, { versions: allVersions })).toBe(
          3,
        );
        expect(await versionsOf()).toEqual([]);
        expect(await store.countObjects(collection.id)).toBe(1);
      });

      it('deletes the latest version and makes the previous one latest', async () => {
        expect(await store.deleteObject(collection.id, object.id, { versions: lastVersion })).toBe(
          1,
        );
        expect(await versionsOf()).toEqual([
          [vk(at(1)), false, true],
          [vk(at(2)), true, false],
        ]);
        const latest = await store.query(collection.id, {
          versions: lastVersion,
          ids: [object.id],
          limit: 10,
        });
        expect(keys(latest.records)).toEqual([keyOf(object, at(2))]);
      });

      it('deletes the first version and makes the next one first', async () => {
        expect(await store.deleteObject(collection.id, object.id, { versions: firstVersion })).toBe(
          1,
        );
        expect(await versionsOf()).toEqual([
          [vk(at(2)), false, true],
          [vk(at(3)), true, false],
        ]);
      });

      it('deletes an exact version and leaves the markers of the others', async () => {
        expect(
          await store.deleteObject(collection.id, object.id, { versions: exactVersions(at(2)) }),
        ).toBe(1);
        expect(await versionsOf()).toEqual([
          [vk(at(1)), false, true],
          [vk(at(3)), true, false],
        ]);
      });

      it('marks the only remaining version both first and latest', async () => {
        await store.deleteObject(collection.id, object.id, {
          versions: { kind: 'some', first: true, last: true, versions: [] },
        });
        expect(await versionsOf()).toEqual([[vk(at(2)), true, true]]);
      });

      it('answers 0 for an unknown object or collection', async () => {
        expect(
          await store.deleteObject(collection.id, 'indicator--unknown', { versions: allVersions }),
        ).toBe(0);
        expect(await store.deleteObject(randomUUID(), object.id, { versions: allVersions })).toBe(
          0,
        );
      });

      it('deletes only the spec versions asked for, every one when specVersions is absent', async () => {
        const old = makeObject({ specVersion: '2.0' });
        const older = makeObject({ specVersion: '2.0' });
        await added(collection.id, [old, older]);
        expect(
          await store.deleteObject(collection.id, old.id, {
            versions: allVersions,
            specVersions: ['2.1'],
          }),
        ).toBe(0);
        expect(
          await store.deleteObject(collection.id, old.id, {
            versions: allVersions,
            specVersions: ['2.0'],
          }),
        ).toBe(1);
        expect(await store.deleteObject(collection.id, older.id, { versions: allVersions })).toBe(
          1,
        );
      });

      it('lets a deleted object be added again', async () => {
        await store.deleteObject(collection.id, object.id, { versions: allVersions });
        const [outcome] = await store.addObjects(collection.id, [object], at(2000));
        expect(outcome?.outcome).toBe('added');
      });
    });

    describe('collectionRevision', () => {
      const page = (collectionId: string) =>
        store.query(collectionId, { versions: allVersions, limit: 100 });

      it('is undefined for an unknown collection and a string for a known one', async () => {
        expect(await store.collectionRevision(randomUUID())).toBeUndefined();
        const c = await addCollection();
        expect(typeof (await store.collectionRevision(c.id))).toBe('string');
      });

      it('moves with every write that changes what a query returns, and only for that collection', async () => {
        const c = await addCollection();
        const other = await addCollection();
        const seen = new Set<string>();
        const revision = async () => (await store.collectionRevision(c.id)) as string;
        const otherBefore = await store.collectionRevision(other.id);
        const expectMoved = async (what: string) => {
          const now = await revision();
          expect(seen.has(now), `${what}: revision ${now} was seen before`).toBe(false);
          seen.add(now);
        };
        seen.add(await revision());

        const first = makeObject({ version: at(1), name: 'one' });
        await added(c.id, [first]);
        await expectMoved('add');
        // A new version of a known id changes the first/last markers of the old one.
        await added(c.id, [makeObject({ id: first.id, version: at(2), name: 'two' })], at(2000));
        await expectMoved('add a newer version');
        await added(c.id, [makeObject({ id: first.id, version: at(0.5), name: 'zero' })], at(3000));
        await expectMoved('add an older version');

        expect(await store.deleteObject(c.id, first.id, { versions: lastVersion })).toBe(1);
        await expectMoved('delete the latest version');
        const remaining = (await page(c.id)).records;
        expect(remaining.map((r) => r.version)).toEqual([vk(at(1)), vk(at(0.5))]);

        if (store.transfer !== undefined) {
          const source = (await page(c.id)).records[0]!;
          const copy = await addCollection();
          const copyBefore = await store.collectionRevision(copy.id);
          expect(await store.transfer.importObjects(copy.id, [source])).toBe(1);
          expect(await store.collectionRevision(copy.id)).not.toBe(copyBefore);
        }
        expect(await store.collectionRevision(other.id)).toBe(otherBefore);
      });

      it('stays while only reads happen and while a write changes nothing', async () => {
        const c = await addCollection();
        const object = makeObject({ name: 'same' });
        await added(c.id, [object]);
        const before = await store.collectionRevision(c.id);
        await page(c.id);
        await store.queryBodies(c.id, { versions: lastVersion, limit: 10 });
        await store.countObjects(c.id);
        expect(
          await store.deleteObject(c.id, `indicator--${randomUUID()}`, { versions: allVersions }),
        ).toBe(0);
        expect(await store.collectionRevision(c.id)).toBe(before);
        // Re-posting the same bytes is a duplicate: nothing stored, nothing to move for.
        const outcomes = await store.addObjects(c.id, [object], at(5000));
        expect(outcomes[0]?.outcome).toBe('duplicate');
        expect((await page(c.id)).records).toHaveLength(1);
      });

      it('is never repeated by a collection deleted and created again under the same id', async () => {
        const c = await addCollection();
        const seen = new Set<string>([(await store.collectionRevision(c.id)) as string]);
        for (let life = 0; life < 3; life++) {
          await added(c.id, [makeObject({ name: `life ${life}` })]);
          seen.add((await store.collectionRevision(c.id)) as string);
          expect(await store.deleteCollection(c.apiRoot, c.id)).toBe(true);
          expect(await store.collectionRevision(c.id)).toBeUndefined();
          await store.putCollection(c);
          const reborn = (await store.collectionRevision(c.id)) as string;
          expect(seen.has(reborn), `revision ${reborn} of a new life was seen before`).toBe(false);
          seen.add(reborn);
        }
      });
    });

    describe('statuses', () => {
      it('returns a stored status, equal to what was put', async () => {
        const status = makeStatus();
        await store.putStatus(status);
        expect(await store.getStatus('api1', status.id)).toEqual(status);
      });

      it('does not return a status through another API root', async () => {
        const status = makeStatus();
        await store.putStatus(status);
        expect(await store.getStatus('api2', status.id)).toBeUndefined();
      });

      it('answers undefined for an unknown status', async () => {
        expect(await store.getStatus('api1', randomUUID())).toBeUndefined();
      });

      it('replaces a status by id', async () => {
        const pending = makeStatus({
          status: 'pending',
          pendingCount: 2,
          successCount: 0,
          failureCount: 0,
        });
        await store.putStatus(pending);
        const complete = {
          ...pending,
          status: 'complete' as const,
          pendingCount: 0,
          successCount: 2,
          updatedAt: at(5),
        };
        await store.putStatus(complete);
        expect(await store.getStatus('api1', pending.id)).toEqual(complete);
      });

      it('purges statuses updated strictly before the cutoff and answers how many', async () => {
        const old = makeStatus({ updatedAt: at(1) });
        const edge = makeStatus({ updatedAt: at(2) });
        const fresh = makeStatus({ updatedAt: at(3) });
        for (const status of [old, edge, fresh]) await store.putStatus(status);
        expect(await store.purgeStatuses(at(2))).toBe(1);
        expect(await store.getStatus('api1', old.id)).toBeUndefined();
        expect(await store.getStatus('api1', edge.id)).toEqual(edge);
        expect(await store.getStatus('api1', fresh.id)).toEqual(fresh);
      });
    });

    describe('revocations', () => {
      it('reports a revoked token as revoked', async () => {
        await store.revokeToken({ jti: 'token-1', revokedAt: at(1) });
        expect(await store.isTokenRevoked('token-1')).toBe(true);
      });

      it('reports an unknown token as not revoked', async () => {
        await store.revokeToken({ jti: 'token-1', revokedAt: at(1) });
        expect(await store.isTokenRevoked('token-2')).toBe(false);
      });

      it('lists revoked tokens with their fields', async () => {
        const full = {
          jti: 'token-1',
          revokedAt: at(1),
          expiresAt: at(100),
          reason: 'laptop lost',
        };
        const bare = { jti: 'token-2', revokedAt: at(2) };
        await store.revokeToken(bare);
        await store.revokeToken(full);
        const listed = await store.listRevokedTokens();
        expect(listed).toHaveLength(2);
        expect(listed).toEqual(expect.arrayContaining([full, bare]));
      });

      it('keeps one entry when a token is revoked twice', async () => {
        await store.revokeToken({ jti: 'token-1', revokedAt: at(1) });
        await store.revokeToken({ jti: 'token-1', revokedAt: at(2), reason: 'again' });
        const listed = await store.listRevokedTokens();
        expect(listed.map((t) => t.jti)).toEqual(['token-1']);
        expect(await store.isTokenRevoked('token-1')).toBe(true);
      });
    });

    describe('audit', () => {
      it('assigns strictly increasing seq and returns records in seq order', async () => {
        await store.appendAudit([makeAudit({ action: 'a' }), makeAudit({ action: 'b' })]);
        await store.appendAudit([makeAudit({ action: 'c' })]);
        const records = await store.queryAudit({ limit: 10 });
        expect(records.map((r) => r.action)).toEqual(['a', 'b', 'c']);
        const seqs = records.map((r) => r.seq as number);
        expect(seqs[1]).toBeGreaterThan(seqs[0] as number);
        expect(seqs[2]).toBeGreaterThan(seqs[1] as number);
      });

      it('returns every field of a record as appended, plus its seq', async () => {
        const record = makeAudit({
          role: 'partner',
          groups: ['banks', 'isps'],
          action: 'objects.read',
          apiRoot: 'api1',
          collectionId: 'c1',
          groupId: 'banks',
          policyRevision: 3,
          served: [{ original: 'identity--1', derived: 'identity--2' }],
          ruleHits: [
            { rule: 'drop-victims', path: 'name', operator: 'redact', objectId: 'identity--1' },
          ],
          withheld: 2,
          details: { reason: 'policy', nested: { n: 1 } },
        });
        await store.appendAudit([record]);
        const [stored] = await store.queryAudit({ limit: 10 });
        expect(typeof stored?.seq).toBe('number');
        const { seq: _seq, ...rest } = stored as AuditRecord;
        expect(rest).toEqual(record);
      });

      it('keeps the long served and hit lists of repeated pages exact, through appends and purges', async () => {
        // Frozen, as the partner view hands its remembered pages' lists over.
        const served: { original: string; derived: string }[] = Array.from(
          { length: 400 },
          (_, i) => ({ original: `indicator--${i}`, derived: `indicator--d${i}` }),
        );
        const ruleHits: NonNullable<AuditRecord['ruleHits']> = Array.from(
          { length: 50 },
          (_, i) => ({
            rule: 'R6',
            path: 'description',
            operator: 'redact',
            objectId: `indicator--${i}`,
          }),
        );
        for (const list of [served, ruleHits]) {
          for (const item of list) Object.freeze(item);
          Object.freeze(list);
        }
        const page = (actor: string, seconds: number): AuditRecord =>
          makeAudit({ actor, at: at(seconds), role: 'partner', served, ruleHits, withheld: 3 });
        // The same frozen lists, then equal copies, then other lists.
        await store.appendAudit([page('a', 1), page('b', 2)]);
        await store.appendAudit([
          makeAudit({
            actor: 'c',
            at: at(3),
            served: served.map((s) => ({ ...s })),
            ruleHits: [...ruleHits],
          }),
          makeAudit({ actor: 'd', at: at(4), served: served.slice(0, 399), ruleHits: [] }),
        ]);
        const check = async (expected: Record<string, AuditRecord['served']>) => {
          const records = await store.queryAudit({ limit: 10 });
          expect(records.map((r) => r.actor)).toEqual(Object.keys(expected));
          for (const r of records) expect(r.served).toEqual(expected[r.actor]);
        };
        await check({ a: served, b: served, c: served, d: served.slice(0, 399) });
        expect((await store.queryAudit({ limit: 10, actor: 'b' }))[0]?.ruleHits).toEqual(ruleHits);
        expect(await store.purgeAudit(at(2.5))).toBe(2);
        await check({ c: served, d: served.slice(0, 399) });
        await store.appendAudit([page('e', 5)]);
        await check({ c: served, d: served.slice(0, 399), e: served });
        expect(await store.purgeAudit(at(10))).toBe(3);
        expect(await store.queryAudit({ limit: 10 })).toEqual([]);
      });

      it('filters by actor, action, collectionId and groupId', async () => {
        await store.appendAudit([
          makeAudit({
            actor: 'alice',
            action: 'objects.read',
            collectionId: 'c1',
            groupId: 'banks',
          }),
          makeAudit({ actor: 'bob', action: 'objects.read', collectionId: 'c1', groupId: 'banks' }),
          makeAudit({ actor: 'alice', action: 'token.revoke' }),
          makeAudit({
            actor: 'alice',
            action: 'objects.read',
            collectionId: 'c2',
            groupId: 'isps',
          }),
        ]);
        expect(await store.queryAudit({ actor: 'bob', limit: 10 })).toHaveLength(1);
        expect(await store.queryAudit({ action: 'token.revoke', limit: 10 })).toHaveLength(1);
        expect(await store.queryAudit({ collectionId: 'c1', limit: 10 })).toHaveLength(2);
        expect(await store.queryAudit({ groupId: 'isps', limit: 10 })).toHaveLength(1);
        expect(
          await store.queryAudit({ actor: 'alice', action: 'objects.read', limit: 10 }),
        ).toHaveLength(2);
      });

      it('filters by time: since inclusive, until exclusive', async () => {
        await store.appendAudit([1, 2, 3, 4].map((s) => makeAudit({ at: at(s), action: `a${s}` })));
        const records = await store.queryAudit({ since: at(2), until: at(4), limit: 10 });
        expect(records.map((r) => r.action)).toEqual(['a2', 'a3']);
      });

      it('pages with afterSeq and limit', async () => {
        await store.appendAudit([1, 2, 3, 4, 5].map((s) => makeAudit({ action: `a${s}` })));
        const first = await store.queryAudit({ limit: 2 });
        expect(first.map((r) => r.action)).toEqual(['a1', 'a2']);
        const second = await store.queryAudit({ afterSeq: first[1]?.seq, limit: 2 });
        expect(second.map((r) => r.action)).toEqual(['a3', 'a4']);
        const third = await store.queryAudit({ afterSeq: second[1]?.seq, limit: 2 });
        expect(third.map((r) => r.action)).toEqual(['a5']);
      });

      it('purges records strictly before the cutoff and answers how many', async () => {
        await store.appendAudit([1, 2, 3].map((s) => makeAudit({ at: at(s), action: `a${s}` })));
        expect(await store.purgeAudit(at(2))).toBe(1);
        expect((await store.queryAudit({ limit: 10 })).map((r) => r.action)).toEqual(['a2', 'a3']);
      });

      it('keeps seq increasing after the newest records are purged', async () => {
        await store.appendAudit([makeAudit({ at: at(1), action: 'old' })]);
        const [old] = await store.queryAudit({ limit: 1 });
        await store.purgeAudit(at(2));
        await store.appendAudit([makeAudit({ at: at(3), action: 'new' })]);
        const [fresh] = await store.queryAudit({ limit: 1 });
        expect(fresh?.seq).toBeGreaterThan(old?.seq as number);
      });

      it('accepts an empty append', async () => {
        await store.appendAudit([]);
        expect(await store.queryAudit({ limit: 10 })).toEqual([]);
      });
    });

    // StoreTransfer is optional in the contract; every backend that offers it must pass these.
    describe('transfer (stixgate migrate)', () => {
      function transferOf(): StoreTransfer {
        if (store.transfer === undefined) throw new Error(`${backendName} offers no transfer`);
        return store.transfer;
      }

      async function filledCollection(): Promise<CollectionRecord> {
        const collection = await addCollection();
        const object = makeObject({ version: at(2) });
        await added(collection.id, [object, makeObject({ specVersion: '2.0' })], at(1000));
        await added(
          collection.id,
          [makeVersion(object, at(1)), makeObject({ version: null })],
          at(1000),
        );
        return collection;
      }

      async function copyInto(
        from: CollectionRecord,
        to: CollectionRecord,
        pageSize = 2,
      ): Promise<number> {
        let stored = 0;
        let after: Micros | undefined;
        for (;;) {
          const records = await transferOf().exportObjects(from.id, after, pageSize);
          if (records.length === 0) return stored;
          stored += await transferOf().importObjects(to.id, records);
          after = records[records.length - 1]?.dateAdded;
        }
      }

      const everything: ObjectQuery = {
        versions: allVersions,
        specVersions: ['2.0', '2.1'],
        limit: 100,
      };

      it('exports every version of every spec version in date_added order', async () => {
        const collection = await filledCollection();
        const exported = await transferOf().exportObjects(collection.id, undefined, 100);
        expect(exported).toEqual((await store.query(collection.id, everything)).records);
      });

      it('exports page by page after a date_added position', async () => {
        const collection = await filledCollection();
        const all = await transferOf().exportObjects(collection.id, undefined, 100);
        const rest = await transferOf().exportObjects(collection.id, all[1]?.dateAdded, 100);
        expect(rest).toEqual(all.slice(2));
      });

      it('imports versions exactly: date_added, markers and bytes', async () => {
        const source = await filledCollection();
        const target = await addCollection();
        expect(await copyInto(source, target)).toBe(4);
        const copied = (await store.query(target.id, everything)).records;
        expect(copied).toEqual((await store.query(source.id, everything)).records);
      });

      it('skips versions already stored when a copy is re-run', async () => {
        const source = await filledCollection();
        const target = await addCollection();
        await copyInto(source, target);
        expect(await copyInto(source, target)).toBe(0);
        expect(await store.countObjects(target.id)).toBe(4);
      });

      it('continues date_added after the largest imported one', async () => {
        const source = await filledCollection();
        const target = await addCollection();
        await copyInto(source, target);
        const exported = await transferOf().exportObjects(source.id, undefined, 100);
        const [outcome] = await store.addObjects(target.id, [makeObject()], at(1));
        expect(outcome?.outcome === 'added' && outcome.dateAdded).toBeGreaterThan(
          exported[exported.length - 1]?.dateAdded as number,
        );
      });

      it('refuses an import into an unknown collection with NotFoundError', async () => {
        await expect(transferOf().importObjects(randomUUID(), [])).rejects.toBeInstanceOf(
          NotFoundError,
        );
      });

      it('exports statuses in id order, page by page, as they were put', async () => {
        const statuses = [
          'c0000000-0000-4000-8000-000000000000',
          'a0000000-0000-4000-8000-000000000000',
          'b0000000-0000-4000-8000-000000000000',
        ].map((id) => makeStatus({ id }));
        for (const status of statuses) await store.putStatus(status);
        const first = await transferOf().exportStatuses(undefined, 2);
        const second = await transferOf().exportStatuses(first[1]?.id, 2);
        const byId = [...statuses].sort((a, b) => a.id.localeCompare(b.id));
        expect([...first, ...second]).toEqual(byId);
      });

      it('imports audit records with their seq, once, and appends after them', async () => {
        const records = [makeAudit({ action: 'a' }), makeAudit({ action: 'b' })].map(
          (record, i) => ({
            ...record,
            seq: 10 + i,
          }),
        );
        expect(await transferOf().importAudit(records)).toBe(2);
        expect(await transferOf().importAudit(records)).toBe(0);
        await store.appendAudit([makeAudit({ action: 'c' })]);
        const stored = await store.queryAudit({ limit: 10 });
        expect(stored.map((record) => [record.seq, record.action])).toEqual([
          [10, 'a'],
          [11, 'b'],
          [12, 'c'],
        ]);
      });
    });

    // Moved here from the backends' files: they use only the Store interface. `open()` is the
    // store this case runs on (the bodies kept as they were written there).
    describe('write atomicity, markers and record shape', () => {
      async function open(): Promise<Store & { transfer: StoreTransfer }> {
        if (store.transfer === undefined) throw new Error(`${backendName} offers no transfer`);
        return store as Store & { transfer: StoreTransfer };
      }

      it.skipIf(!capabilities.atomicWrites)(
        'stores nothing of a call that fails part way',
        async () => {
          const store = await open();
          const collection = makeCollection();
          await store.putCollection(collection);
          const broken = { ...makeObject(), json: null } as unknown as NewObject;
          await expect(
            store.addObjects(collection.id, [makeObject(), broken], at(1000)),
          ).rejects.toThrow();
          expect(await store.countObjects(collection.id)).toBe(0);
          const [outcome] = await store.addObjects(collection.id, [makeObject()], at(1000));
          expect(outcome).toMatchObject({ outcome: 'added', dateAdded: at(1000) });
        },
      );

      it('keeps markers exact through many out-of-order versions', async () => {
        const store = await open();
        const collection = makeCollection();
        await store.putCollection(collection);
        const base = makeObject({ version: at(50) });
        const order = [50, 20, 80, 10, 90, 30, 85, 5, 95, 60];
        for (const s of order)
          await store.addObjects(collection.id, [makeVersion(base, at(s))], at(1000));
        const records = (await store.query(collection.id, { versions: allVersions, limit: 100 }))
          .records;
        const latest = records.filter((r) => r.isLatest).map((r) => r.version);
        const first = records.filter((r) => r.isFirst).map((r) => r.version);
        expect(latest).toEqual([vk(at(95))]);
        expect(first).toEqual([vk(at(5))]);
      });

      describe('markers under random histories', () => {
        type Op =
          | { kind: 'add'; id: number; version: number }
          | { kind: 'delete'; id: number; which: 'first' | 'last' | 'all' | number };

        const op: fc.Arbitrary<Op> = fc.oneof(
          {
            weight: 3,
            arbitrary: fc.record({
              kind: fc.constant('add' as const),
              id: fc.integer({ min: 0, max: 2 }),
              version: fc.integer({ min: 1, max: 12 }),
            }),
          },
          {
            weight: 1,
            arbitrary: fc.record({
              kind: fc.constant('delete' as const),
              id: fc.integer({ min: 0, max: 2 }),
              which: fc.oneof(
                fc.constantFrom('first' as const, 'last' as const, 'all' as const),
                fc.integer({ min: 1, max: 12 }),
              ),
            }),
          },
        );

        it('keeps exactly one latest (the max) and one first (the min) version per object', async () => {
          const store = await open();
          const ids = [0, 1, 2].map((n) => `indicator--00000000-0000-4000-8000-00000000000${n}`);
          await fc.assert(
            fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
              const collection = makeCollection();
              await store.putCollection(collection);
              const model = new Map<string, Set<number>>(ids.map((id) => [id, new Set<number>()]));
              for (const step of ops) {
                const id = ids[step.id] as string;
                const versions = model.get(id) as Set<number>;
                if (step.kind === 'add') {
                  await store.addObjects(
                    collection.id,
                    [makeObject({ id, version: at(step.version) })],
                    at(1000),
                  );
                  versions.add(step.version);
                  continue;
                }
                const sorted = [...versions].sort((a, b) => a - b);
                const selector =
                  step.which === 'all'
                    ? allVersions
                    : step.which === 'first'
                      ? firstVersion
                      : step.which === 'last'
                        ? lastVersion
                        : exactVersions(at(step.which));
                const removed =
                  step.which === 'all'
                    ? sorted
                    : step.which === 'first'
                      ? sorted.slice(0, 1)
                      : step.which === 'last'
                        ? sorted.slice(-1)
                        : sorted.filter((v) => v === step.which);
                expect(await store.deleteObject(collection.id, id, { versions: selector })).toBe(
                  removed.length,
                );
                for (const v of removed) versions.delete(v);
              }
              for (const id of ids) {
                const expected = [...(model.get(id) as Set<number>)].sort((a, b) => a - b);
                const page = await store.query(collection.id, {
                  versions: allVersions,
                  ids: [id],
                  limit: 100,
                });
                const stored = [...page.records].sort((a, b) =>
                  compareVersionKeys(a.version, b.version),
                );
                expect(stored.map((r) => r.version)).toEqual(expected.map((v) => vk(at(v))));
                expect(stored.map((r) => r.isFirst)).toEqual(expected.map((_, i) => i === 0));
                expect(stored.map((r) => r.isLatest)).toEqual(
                  expected.map((_, i) => i === expected.length - 1),
                );
              }
              const latest = await store.query(collection.id, {
                versions: lastVersion,
                limit: 100,
              });
              const expectedLatest = ids.flatMap((id) => {
                const versions = [...(model.get(id) as Set<number>)];
                return versions.length === 0 ? [] : [`${id}@${vk(at(Math.max(...versions)))}`];
              });
              expect(latest.records.map((r) => `${r.id}@${r.version}`).sort()).toEqual(
                expectedLatest.sort(),
              );
            }),
            { numRuns: 60 },
          );
        });
      });

      describe('transfer (stixgate migrate)', () => {
        it('refuses a date_added already used by another version with ConflictError', async () => {
          const store = await open();
          const source = makeCollection();
          const target = makeCollection();
          await store.putCollection(source);
          await store.putCollection(target);
          const [, last] = await store.addObjects(
            source.id,
            [makeObject(), makeObject()],
            at(1000),
          );
          // A single object added at a whole millisecond gets exactly that date_added.
          const taken = (last as { dateAdded: number }).dateAdded;
          await store.addObjects(target.id, [makeObject()], taken);
          const records = await store.transfer.exportObjects(source.id, undefined, 100);
          await expect(store.transfer.importObjects(target.id, records)).rejects.toBeInstanceOf(
            ConflictError,
          );
          expect(await store.countObjects(target.id)).toBe(1);
        });
      });

      it('returns records without _id, hashes or any other internal field', async () => {
        const store = await open();
        const collection = makeCollection();
        await store.putCollection(collection);
        await store.addObjects(collection.id, [makeObject(), makeObject({ version: null })], at(1));
        const page = await store.query(collection.id, { versions: allVersions, limit: 10 });
        const fields = ['dateAdded', 'id', 'isFirst', 'isLatest', 'json', 'revoked', 'specVersion'];
        const expected = [...fields, 'tlp', 'type', 'version'].sort();
        for (const record of page.records) expect(Object.keys(record).sort()).toEqual(expected);
        const exported = await store.transfer.exportObjects(collection.id, undefined, 10);
        for (const record of exported) expect(Object.keys(record).sort()).toEqual(expected);
      });

      it('keeps a status record larger than a MongoDB document (16 MiB) whole', async () => {
        const store = await open();
        const failures = Array.from({ length: 120_000 }, (_, i) => ({
          id: `indicator--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          version: '2026-01-01T00:00:00.000000Z',
          message: `invalid STIX: /pattern pattern-syntax: expected ']' at ${i}, found 'AND' — ${'x'.repeat(60)}`,
        }));
        const status: StatusRecord = {
          id: 'b4c5a1e2-1111-4222-8333-444455556666',
          apiRoot: 'api1',
          collectionId: 'c1',
          submitter: 'analyst-1',
          status: 'complete',
          requestTimestamp: '2026-01-01T00:00:00.000000Z',
          totalCount: failures.length,
          successCount: 0,
          failureCount: failures.length,
          pendingCount: 0,
          successes: [],
          failures,
          pendings: [],
          updatedAt: 1,
        };
        expect(JSON.stringify(status).length).toBeGreaterThan(16 * 1024 * 1024);
        await store.putStatus(status);
        expect(await store.getStatus('api1', status.id)).toEqual(status);
        // A smaller replacement leaves no stale parts behind, and a purge removes everything.
        const small = { ...status, failures: failures.slice(0, 2), failureCount: 2, totalCount: 2 };
        await store.putStatus(small);
        expect(await store.getStatus('api1', status.id)).toEqual(small);
        expect(await store.purgeStatuses(2)).toBe(1);
        expect(await store.getStatus('api1', status.id)).toBeUndefined();
        // Tens of MiB through the in-memory wire server: seconds when idle, far more under load.
      }, 180_000);
    });
  });
}
