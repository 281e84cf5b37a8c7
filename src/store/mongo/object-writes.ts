// Object writes: addObjects and deleteObject, with the same outcomes as the embedded store.
//
// addObjects is one idempotent unit rather than one transaction (MongoDB transactions need a
// replica set and serialise nothing we need): classify against what is stored, reserve a
// date_added block ending on a whole millisecond (date-added.ts, ../date-added-block.ts),
// insert every new version with one unordered bulk under the unique indexes on (collection,
// id, version) — and (collection, id, SHA-256 of the bytes) for unversioned objects — so that
// a retry or a concurrent instance never stores a version twice, then check the first/last
// markers and release the block. A duplicate-key error on one insert means another writer got
// there first: its stored bytes decide duplicate or conflict.
import { createHash } from 'node:crypto';
import {
  MongoBulkWriteError,
  ObjectId,
  type Collection,
  type Document,
  type Filter,
  type OptionalUnlessRequiredId,
} from 'mongodb';
import { NotFoundError } from '../../errors.js';
import { versionKeyFromMicros } from '../../stix/timestamp.js';
import type { AddOutcome, DeleteQuery, Micros, NewObject, VersionKey } from '../types.js';
import { assignDates, takenVersions } from '../date-added-block.js';
import {
  conflictMessage,
  outcomeOf,
  planAdd,
  type Planned,
  type PlannedVersion,
  type StoredVersions,
} from '../plan-add.js';
import type { DateAddedClock } from './date-added.js';
import { ContentionError } from './mongo-errors.js';
import { versionFilter } from './filters.js';
import type { CollectionDoc, ObjectDoc } from './schema.js';

interface KnownVersion {
  v: VersionKey;
  d: number;
  json: string;
}

/** A version this call will store; `_id` and `hash` name its document. */
interface FreshVersion extends PlannedVersion {
  hash?: string;
  _id?: ObjectId;
}

/** Rounds of marker repair before giving up (each round only happens when writers raced). */
const maxMarkerRounds = 20;

export function hashJson(json: string): string {
  return createHash('sha256').update(json, 'utf8').digest('hex');
}

export class ObjectWrites {
  constructor(
    private readonly collections: Collection<CollectionDoc>,
    private readonly objects: Collection<ObjectDoc>,
    private readonly clock: DateAddedClock,
  ) {}

  async add(
    collectionId: string,
    objects: readonly NewObject[],
    now: Micros,
  ): Promise<AddOutcome[]> {
    const exists = await this.collections.countDocuments({ _id: collectionId }, { limit: 1 });
    if (exists === 0) throw new NotFoundError('collection', collectionId);
    if (objects.length === 0) return [];

    const known = await this.readVersions(collectionId, [
      ...new Set(objects.map((object) => object.id)),
    ]);
    const planned = this.plan(objects, known);
    const fresh = planned.flatMap((entry) => (entry.kind === 'new' ? [entry.version] : []));
    if (fresh.length > 0) {
      const stored = await this.store(collectionId, fresh, known, Math.floor(now));
      if (!stored) throw new NotFoundError('collection', collectionId);
    } else {
      // A retry of a call that failed after inserting may find everything stored but the
      // markers not yet fixed: one read makes sure.
      await this.repairMarkers(collectionId, [...known.keys()]);
    }
    return planned.map((entry, index) => outcomeOf(entry, objects[index] as NewObject));
  }

  /** Reads every stored version of these ids. */
  private async readVersions(
    collectionId: string,
    ids: string[],
  ): Promise<Map<string, KnownVersion[]>> {
    const known = new Map<string, KnownVersion[]>();
    // Whole documents: the server may ignore projections, and the bytes are compared anyway.
    for await (const doc of this.objects.find({ collectionId, id: { $in: ids } })) {
      const list = known.get(doc.id) ?? [];
      list.push({ v: doc.version, d: doc.dateAdded, json: doc.json });
      known.set(doc.id, list);
    }
    return known;
  }

  /** The stored versions read up front, as plan-add.ts asks about them. */
  private plan(
    objects: readonly NewObject[],
    known: Map<string, KnownVersion[]>,
  ): Planned<FreshVersion>[] {
    const stored: StoredVersions = {
      sameBytes: (id, json) => (known.get(id) ?? []).find((row) => row.json === json),
      atVersion: (id, version, json) => {
        const existing = (known.get(id) ?? []).find((row) => row.v === version);
        return existing === undefined ? undefined : { ...existing, same: existing.json === json };
      },
    };
    return planAdd(objects, stored, (object): FreshVersion => {
      const version: FreshVersion = { object };
      if (object.version === null) version.hash = hashJson(object.json);
      return version;
    });
  }

  /**
   * Reserves date_added values, inserts the planned versions, fixes markers, releases. Sets
   * `dateAdded`/`version`/`_id` on each version that this call stored; leaves them unset
   * on those another writer stored first. False when the collection disappeared meanwhile.
   */
  private async store(
    collectionId: string,
    fresh: FreshVersion[],
    known: Map<string, KnownVersion[]>,
    now: Micros,
  ): Promise<boolean> {
    const reservation = await this.clock.reserve(collectionId, fresh.length, now);
    if (reservation === undefined) return false;
    let released = false;
    try {
      // The last value assigned is the block's end, a whole millisecond (date-added-block.ts).
      const stored = (id: string): VersionKey[] => (known.get(id) ?? []).map((row) => row.v);
      assignDates(fresh, reservation.end, takenVersions(fresh, stored));
      const writing = fresh.filter((version) => version.dateAdded !== undefined);
      for (const version of writing) version._id = new ObjectId();
      const docs = toDocs(collectionId, writing, known);
      const results = await insertAll(this.objects, docs);
      const lost = writing.filter((_, i) => results[i] === 'exists');
      await this.settleRaces(collectionId, lost);
      if (lost.length > 0) await this.endOnBlockEnd(writing, reservation.end);
      const ids = [...new Set(writing.map((version) => version.object.id))];
      await this.repairMarkers(collectionId, ids);
      released = await this.clock.release(collectionId, reservation.token);
      if (!released) return await this.restamp(collectionId, writing, now);
      return true;
    } finally {
      if (!released) await this.clock.release(collectionId, reservation.token).catch(() => false);
    }
  }

  /** Another writer stored these keys between our read and our write: its bytes decide. */
  private async settleRaces(collectionId: string, lost: FreshVersion[]): Promise<void> {
    for (const version of lost) {
      const object = version.object;
      const stored = await this.objects.findOne(raceKey(collectionId, version));
      const collidedAt = version.version;
      delete version.dateAdded;
      delete version.version;
      delete version._id;
      if (stored === null) {
        // Only an unversioned object whose date_added equals another version's timestamp.
        version.collidedAt = collidedAt;
        continue;
      }
      version.raced =
        stored.json === object.json
          ? {
              id: object.id,
              outcome: 'duplicate',
              version: stored.version,
              dateAdded: stored.dateAdded,
            }
          : {
              id: object.id,
              outcome: 'conflict',
              version: stored.version,
              message: conflictMessage,
            };
    }
  }

  /**
   * After another writer stored some of this call's versions first, the last one this call
   * stored may sit below the block's end: it moves up to the end (still reserved, so no reader
   * has seen it), and the write's last date_added stays on a whole millisecond. An unversioned
   * object whose new version timestamp is taken (unique index) stays where it is.
   */
  private async endOnBlockEnd(writing: FreshVersion[], end: number): Promise<void> {
    let last: FreshVersion | undefined;
    for (const version of writing) if (version._id !== undefined) last = version;
    if (last === undefined || last.dateAdded === end) return;
    const unversioned = last.object.version === null;
    const key = versionKeyFromMicros(end);
    const set = unversioned ? { dateAdded: end, version: key } : { dateAdded: end };
    try {
      await this.objects.updateOne({ _id: last._id as ObjectId }, { $set: set });
    } catch (error) {
      if ((error as { code?: unknown }).code === 11000) return;
      throw error;
    }
    last.dateAdded = end;
    if (unversioned) last.version = key;
  }

  /**
   * Moves this call's objects to a fresh block after a reader discarded its reservation as
   * expired: readers that already passed the old positions will find them at the new ones.
   */
  private async restamp(
    collectionId: string,
    writing: FreshVersion[],
    now: Micros,
  ): Promise<boolean> {
    const mine = writing.filter((version) => version._id !== undefined);
    if (mine.length === 0) return true;
    const reservation = await this.clock.reserve(collectionId, mine.length, now);
    if (reservation === undefined) {
      // The collection was deleted while we wrote: leave nothing behind.
      await this.objects.deleteMany({
        _id: { $in: mine.map((version) => version._id as ObjectId) },
      });
      return false;
    }
    let slot = 0;
    for (const version of mine) {
      const dateAdded = reservation.start + slot++;
      const unversioned = version.object.version === null;
      const key = versionKeyFromMicros(dateAdded);
      const set = unversioned ? { dateAdded, version: key } : { dateAdded };
      await this.objects.updateOne({ _id: version._id as ObjectId }, { $set: set });
      version.dateAdded = dateAdded;
      if (unversioned) version.version = key;
    }
    if (mine.some((version) => version.object.version === null)) {
      await this.repairMarkers(collectionId, [
        ...new Set(mine.map((version) => version.object.id)),
      ]);
    }
    if (await this.clock.release(collectionId, reservation.token)) return true;
    return this.restamp(collectionId, mine, now);
  }

  async delete(collectionId: string, id: string, query: DeleteQuery): Promise<number> {
    const filter: Filter<ObjectDoc> = { collectionId, id };
    if (query.specVersions !== undefined) filter.specVersion = { $in: query.specVersions };
    const version = versionFilter(query.versions);
    if (version === 'none') return 0;
    if (version !== undefined) Object.assign(filter, version);
    const result = await this.objects.deleteMany(filter);
    if (result.deletedCount > 0) {
      await this.repairMarkers(collectionId, [id]);
      await touchContent(this.collections, collectionId);
    }
    return result.deletedCount;
  }

  /**
   * Repairs the markers of every object stored under a reservation whose writer died: it may
   * have inserted a new version and died before clearing the old one's marker, which would
   * leave two latest versions of one id.
   */
  async repairBlock(collectionId: string, block: { start: number; end: number }): Promise<void> {
    const ids = new Set<string>();
    for await (const doc of this.objects.find({
      collectionId,
      dateAdded: { $gte: block.start, $lte: block.end },
    }))
      ids.add(doc.id);
    await this.repairMarkers(collectionId, [...ids]);
  }

  /**
   * Sets isLatest/isFirst from the stored versions of each id, re-reading until a read finds
   * nothing to fix. Concurrent writers may briefly undo each other's marks, but each one's last
   * step is a read that finds them right, so the final state is exact.
   */
  async repairMarkers(collectionId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    for (let round = 0; round < maxMarkerRounds; round++) {
      const byId = new Map<string, { _id: ObjectId; v: VersionKey; l: boolean; f: boolean }[]>();
      for await (const doc of this.objects.find({ collectionId, id: { $in: ids } })) {
        const list = byId.get(doc.id) ?? [];
        list.push({
          _id: (doc as ObjectDoc & { _id: ObjectId })._id,
          v: doc.version,
          l: doc.isLatest,
          f: doc.isFirst,
        });
        byId.set(doc.id, list);
      }
      // At most four multi-document updates, whatever the number of objects: each write
      // command is a round trip (and costs O(collection) on jongodb).
      const changes = { setLatest: [], clearLatest: [], setFirst: [], clearFirst: [] } as Record<
        'setLatest' | 'clearLatest' | 'setFirst' | 'clearFirst',
        ObjectId[]
      >;
      for (const list of byId.values()) {
        const { min, max } = boundsOf(list.map((row) => row.v));
        for (const row of list) {
          if (row.l !== (row.v === max))
            (row.l ? changes.clearLatest : changes.setLatest).push(row._id);
          if (row.f !== (row.v === min))
            (row.f ? changes.clearFirst : changes.setFirst).push(row._id);
        }
      }
      const updates: [ObjectId[], Partial<ObjectDoc>][] = [
        [changes.setLatest, { isLatest: true }],
        [changes.clearLatest, { isLatest: false }],
        [changes.setFirst, { isFirst: true }],
        [changes.clearFirst, { isFirst: false }],
      ];
      if (updates.every(([targets]) => targets.length === 0)) return;
      for (const [targets, set] of updates) {
        if (targets.length > 0)
          await this.objects.updateMany({ _id: { $in: targets } }, { $set: set });
      }
      // Markers decide what `match[version]` selects: readers' cached pages must go.
      await touchContent(this.collections, collectionId);
    }
    throw new ContentionError(
      'first/last markers did not settle: too much contention on the same objects',
    );
  }
}

/** Moves the content revision of a collection (Store.collectionRevision) after a write. */
export async function touchContent(
  collections: Collection<CollectionDoc>,
  collectionId: string,
): Promise<void> {
  await collections.updateOne({ _id: collectionId }, { $inc: { contentRev: 1 } });
}

/** The earliest and latest of some keys (string order is chronological order). */
function boundsOf(keys: readonly VersionKey[]): { min: VersionKey; max: VersionKey } {
  let min = keys[0] as VersionKey;
  let max = min;
  for (const key of keys) {
    if (key < min) min = key;
    if (key > max) max = key;
  }
  return { min, max };
}

/** The unique key a concurrent writer of the same version would have taken. */
function raceKey(collectionId: string, version: FreshVersion): Filter<ObjectDoc> {
  if (version.hash !== undefined) {
    return { collectionId, id: version.object.id, unversionedHash: version.hash };
  }
  return { collectionId, id: version.object.id, version: version.version as VersionKey };
}

/**
 * The documents of the versions to insert, with first/last markers computed from what was read
 * (repairMarkers then checks them against what is stored, in case another writer raced us).
 */
function toDocs(
  collectionId: string,
  writing: FreshVersion[],
  known: Map<string, KnownVersion[]>,
): (ObjectDoc & { _id: ObjectId })[] {
  const bounds = new Map<string, { min: VersionKey; max: VersionKey }>();
  const widen = (id: string, v: VersionKey): void => {
    const current = bounds.get(id);
    bounds.set(id, {
      min: current === undefined || v < current.min ? v : current.min,
      max: current === undefined || v > current.max ? v : current.max,
    });
  };
  for (const [id, rows] of known) for (const row of rows) widen(id, row.v);
  for (const version of writing) widen(version.object.id, version.version as VersionKey);
  return writing.map((version) => {
    const object = version.object;
    const key = version.version as VersionKey;
    const bound = bounds.get(object.id);
    const doc: ObjectDoc & { _id: ObjectId } = {
      _id: version._id as ObjectId,
      collectionId,
      id: object.id,
      type: object.type,
      specVersion: object.specVersion,
      version: key,
      dateAdded: version.dateAdded as number,
      isLatest: bound?.max === key,
      isFirst: bound?.min === key,
      tlp: object.tlp,
      revoked: object.revoked,
      json: object.json,
    };
    if (version.hash !== undefined) doc.unversionedHash = version.hash;
    return doc;
  });
}

/**
 * Inserts the documents with one unordered bulk; the unique indexes turn a version stored twice
 * (a retry, or another instance) into a duplicate-key error for that document only. A server
 * that fails a bulk as a whole without saying which document failed (jongodb) gets them again
 * one by one, so each outcome stays exact.
 */
export async function insertAll<T extends Document>(
  target: Collection<T>,
  docs: (T & { _id?: unknown })[],
): Promise<('inserted' | 'exists')[]> {
  if (docs.length === 0) return [];
  const results: ('inserted' | 'exists')[] = docs.map(() => 'inserted');
  try {
    await target.insertMany(docs as OptionalUnlessRequiredId<T>[], { ordered: false });
    return results;
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (writeErrors.length === 0) return insertOneByOne(target, docs);
    if (writeErrors.some((writeError) => writeError.code !== 11000)) throw error;
    for (const writeError of writeErrors) results[writeError.index] = 'exists';
    return results;
  }
}

async function insertOneByOne<T extends Document>(
  target: Collection<T>,
  docs: (T & { _id?: unknown })[],
): Promise<('inserted' | 'exists')[]> {
  const results: ('inserted' | 'exists')[] = [];
  for (const doc of docs) {
    try {
      await target.insertOne(doc as OptionalUnlessRequiredId<T>);
      results.push('inserted');
    } catch (error) {
      if ((error as { code?: unknown }).code !== 11000) throw error;
      // Our own document, if the failed bulk had stored part of the batch after all.
      const ours = await target.countDocuments({ _id: doc._id } as Filter<T>, { limit: 1 });
      results.push(ours > 0 ? 'inserted' : 'exists');
    }
  }
  return results;
}
