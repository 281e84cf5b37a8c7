// Object writes: addObjects (one BEGIN IMMEDIATE transaction per call, all or nothing) and
// deleteObject, both keeping the is_latest / is_first markers of each (collection, id) exact.
import { NotFoundError } from '../../errors.js';
import type { AddOutcome, DeleteQuery, Micros, NewObject } from '../types.js';
import type { Collections } from './collections.js';
import type { Db, StatementCache } from './database.js';
import { defaultSpecVersions, inList, versionCondition, type Params } from './sql-filters.js';

interface StoredVersion {
  v: number;
  r: number;
}

// Answered from objects_by_id alone (it holds version_micros and the rowid): the common case,
// a new object, costs one index probe and never binds or compares the JSON.
const selectVersions =
  'SELECT version_micros AS v, rowid AS r FROM objects WHERE coll = ? AND id = ?';
const compareVersion =
  'SELECT date_added AS d, json = @json AS same FROM objects WHERE rowid = @rowid';
const findSameBytes = `SELECT version_micros AS v, date_added AS d FROM objects
  WHERE coll = @coll AND id = @id AND json = @json LIMIT 1`;
const clearLatest =
  'UPDATE objects SET is_latest = 0 WHERE coll = @coll AND id = @id AND is_latest = 1';
const clearFirst =
  'UPDATE objects SET is_first = 0 WHERE coll = @coll AND id = @id AND is_first = 1';
const insertObject = `INSERT INTO objects
  (coll, id, type, spec_version, version_micros, date_added, is_latest, is_first, tlp, revoked, json)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
// After a delete, the remaining versions' markers are recomputed from their min/max version.
const fixMarkers = `UPDATE objects
  SET is_latest = (version_micros = m.maxv), is_first = (version_micros = m.minv)
  FROM (SELECT max(version_micros) AS maxv, min(version_micros) AS minv
        FROM objects WHERE coll = @coll AND id = @id) AS m
  WHERE coll = @coll AND id = @id
    AND (is_latest <> (version_micros = m.maxv) OR is_first <> (version_micros = m.minv))`;

/** Recomputes the first/last markers of one object from its stored versions. */
export function repairMarkers(statements: StatementCache, coll: number, id: string): void {
  statements.get(fixMarkers).run({ coll, id });
}

export class ObjectWrites {
  constructor(
    private readonly db: Db,
    private readonly statements: StatementCache,
    private readonly collections: Collections,
  ) {}

  add(collectionId: string, objects: readonly NewObject[], now: Micros): AddOutcome[] {
    const write = this.db.transaction((): AddOutcome[] => {
      const key = this.collections.key(collectionId);
      if (key === undefined) throw new NotFoundError('collection', collectionId);
      // Read inside the write lock: commit order equals date_added order, across processes too.
      let lastAdded = key.lastAdded;
      const outcomes = objects.map((object): AddOutcome => {
        const outcome = this.addOne(key.cid, object, lastAdded, Math.floor(now));
        if (outcome.outcome === 'added') lastAdded = outcome.dateAdded;
        return outcome;
      });
      if (lastAdded !== key.lastAdded && lastAdded !== null)
        this.collections.setLastAdded(key.cid, lastAdded);
      return outcomes;
    });
    return write.immediate();
  }

  private addOne(
    coll: number,
    object: NewObject,
    lastAdded: Micros | null,
    now: Micros,
  ): AddOutcome {
    const stored = this.statements.get(selectVersions).all(coll, object.id) as StoredVersion[];

    if (object.versionMicros === null) {
      // Unversioned objects (most SCOs): identical bytes to any stored version is a duplicate.
      if (stored.length > 0) {
        const same = this.statements
          .get(findSameBytes)
          .get({ coll, id: object.id, json: object.json }) as { v: number; d: number } | undefined;
        if (same !== undefined) {
          return { id: object.id, outcome: 'duplicate', versionMicros: same.v, dateAdded: same.d };
        }
      }
    } else {
      const existing = stored.find((row) => row.v === object.versionMicros);
      if (existing !== undefined) {
        const { d, same } = this.statements
          .get(compareVersion)
          .get({ rowid: existing.r, json: object.json }) as { d: number; same: 0 | 1 };
        // TAXII 2.1 §5.5: re-posting an existing version is a success that stores nothing.
        if (same === 1) {
          return { id: object.id, outcome: 'duplicate', versionMicros: existing.v, dateAdded: d };
        }
        return {
          id: object.id,
          outcome: 'conflict',
          versionMicros: existing.v,
          message: 'a different object with this id and version is already stored',
        };
      }
    }

    const dateAdded = lastAdded === null ? now : Math.max(now, lastAdded + 1);
    // TAXII 2.1 §3.4.1: objects without modified/created are versioned by date_added.
    const versionMicros = object.versionMicros ?? dateAdded;
    if (object.versionMicros === null && stored.some((row) => row.v === versionMicros)) {
      return {
        id: object.id,
        outcome: 'conflict',
        versionMicros,
        message: 'another version of this object has the same version timestamp',
      };
    }

    let max: number | undefined;
    let min: number | undefined;
    for (const row of stored) {
      if (max === undefined || row.v > max) max = row.v;
      if (min === undefined || row.v < min) min = row.v;
    }
    const isLatest = max === undefined || versionMicros > max;
    const isFirst = min === undefined || versionMicros < min;
    if (isLatest && max !== undefined)
      this.statements.get(clearLatest).run({ coll, id: object.id });
    if (isFirst && min !== undefined) this.statements.get(clearFirst).run({ coll, id: object.id });
    // Positional parameters: the hot path of ingest, and binding by name costs a lookup each.
    this.statements
      .get(insertObject)
      .run(
        coll,
        object.id,
        object.type,
        object.specVersion,
        versionMicros,
        dateAdded,
        isLatest ? 1 : 0,
        isFirst ? 1 : 0,
        object.tlp,
        object.revoked ? 1 : 0,
        object.json,
      );
    return { id: object.id, outcome: 'added', versionMicros, dateAdded };
  }

  delete(collectionId: string, id: string, query: DeleteQuery): number {
    const remove = this.db.transaction((): number => {
      const key = this.collections.key(collectionId);
      if (key === undefined) return 0;
      const params: Params = { coll: key.cid, id };
      const conditions = [
        'o.coll = @coll',
        'o.id = @id',
        inList('o.spec_version', 'specVersions', query.specVersions ?? defaultSpecVersions, params),
      ];
      const version = versionCondition(query.versions, params);
      if (version !== undefined) conditions.push(version);
      // Rows are picked by rowid first: the selector's markers must be read before any change.
      const sql = `DELETE FROM objects WHERE rowid IN (SELECT o.rowid FROM objects AS o WHERE ${conditions.join(' AND ')})`;
      const deleted = this.statements.get(sql).run(params).changes;
      if (deleted > 0) repairMarkers(this.statements, key.cid, id);
      return deleted;
    });
    return remove.immediate();
  }
}
