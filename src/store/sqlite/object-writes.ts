// Object writes: addObjects (one BEGIN IMMEDIATE transaction per call, all or nothing) and
// deleteObject, both keeping the is_latest / is_first markers of each (collection, id) exact.
import { NotFoundError } from '../../errors.js';
import { assignDates, dateAddedBlock, takenVersions } from '../date-added-block.js';
import { outcomeOf, planAdd, type PlannedVersion, type StoredVersions } from '../plan-add.js';
import type { AddOutcome, DeleteQuery, Micros, NewObject, VersionKey } from '../types.js';
import type { Collections } from './collections.js';
import type { Db, StatementCache } from './database.js';
import { inList, versionCondition, type Params } from './sql-filters.js';

interface StoredVersion {
  v: VersionKey;
  r: number;
}

// Answered from objects_by_id alone (it holds version and the rowid): the common case,
// a new object, costs one index probe and never binds or compares the JSON.
const selectVersions = 'SELECT version AS v, rowid AS r FROM objects WHERE coll = ? AND id = ?';
const compareVersion =
  'SELECT date_added AS d, json = @json AS same FROM objects WHERE rowid = @rowid';
const findSameBytes = `SELECT version AS v, date_added AS d FROM objects
  WHERE coll = @coll AND id = @id AND json = @json LIMIT 1`;
const clearLatest =
  'UPDATE objects SET is_latest = 0 WHERE coll = @coll AND id = @id AND is_latest = 1';
const clearFirst =
  'UPDATE objects SET is_first = 0 WHERE coll = @coll AND id = @id AND is_first = 1';
const insertObject = `INSERT INTO objects
  (coll, id, type, spec_version, version, date_added, is_latest, is_first, tlp, revoked, json)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
// After a delete, the remaining versions' markers are recomputed from their min/max version.
const fixMarkers = `UPDATE objects
  SET is_latest = (version = m.maxv), is_first = (version = m.minv)
  FROM (SELECT max(version) AS maxv, min(version) AS minv
        FROM objects WHERE coll = @coll AND id = @id) AS m
  WHERE coll = @coll AND id = @id
    AND (is_latest <> (version = m.maxv) OR is_first <> (version = m.minv))`;

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

  /**
   * Classifies every object against what is stored and what comes earlier in the call, then
   * gives the new versions one block of date_added values ending on a whole millisecond
   * (date-added-block.ts) and inserts them in object order.
   */
  add(collectionId: string, objects: readonly NewObject[], now: Micros): AddOutcome[] {
    const write = this.db.transaction((): AddOutcome[] => {
      const key = this.collections.key(collectionId);
      if (key === undefined) throw new NotFoundError('collection', collectionId);
      const storedById = new Map<string, StoredVersion[]>();
      const planned = planAdd(
        objects,
        this.stored(key.cid, storedById),
        (object): PlannedVersion => ({
          object,
        }),
      );
      const fresh = planned.flatMap((entry) => (entry.kind === 'new' ? [entry.version] : []));
      if (fresh.length > 0) {
        // Read inside the write lock: commit order equals date_added order, across processes too.
        const block = dateAddedBlock(key.lastAdded, Math.floor(now), fresh.length);
        const stored = (id: string): VersionKey[] => (storedById.get(id) ?? []).map((row) => row.v);
        assignDates(fresh, block.end, takenVersions(fresh, stored));
        let written = false;
        for (const version of fresh) {
          if (version.dateAdded === undefined) continue;
          this.insert(key.cid, version, storedById.get(version.object.id) ?? []);
          written = true;
        }
        if (written) this.collections.setLastAdded(key.cid, block.end);
      }
      return planned.map((entry, index) => outcomeOf(entry, objects[index] as NewObject));
    });
    return write.immediate();
  }

  /** The stored versions, as plan-add.ts asks about them; `storedById` caches each id's rows. */
  private stored(coll: number, storedById: Map<string, StoredVersion[]>): StoredVersions {
    const rowsOf = (id: string): StoredVersion[] => {
      let rows = storedById.get(id);
      if (rows === undefined) {
        rows = this.statements.get(selectVersions).all(coll, id) as StoredVersion[];
        storedById.set(id, rows);
      }
      return rows;
    };
    return {
      sameBytes: (id, json) => {
        if (rowsOf(id).length === 0) return undefined;
        return this.statements.get(findSameBytes).get({ coll, id, json }) as
          { v: VersionKey; d: number } | undefined;
      },
      atVersion: (id, version, json) => {
        const existing = rowsOf(id).find((row) => row.v === version);
        if (existing === undefined) return undefined;
        const { d, same } = this.statements
          .get(compareVersion)
          .get({ rowid: existing.r, json }) as { d: number; same: 0 | 1 };
        return { v: existing.v, d, same: same === 1 };
      },
    };
  }

  /** Inserts one dated version, keeping the markers of its id; `stored` grows by it. */
  private insert(coll: number, version: PlannedVersion, stored: StoredVersion[]): void {
    const object = version.object;
    const key = version.version as VersionKey;
    // Keys compare as strings in chronological order (and as TEXT, BINARY, in SQLite).
    let max: VersionKey | undefined;
    let min: VersionKey | undefined;
    for (const row of stored) {
      if (max === undefined || row.v > max) max = row.v;
      if (min === undefined || row.v < min) min = row.v;
    }
    const isLatest = max === undefined || key > max;
    const isFirst = min === undefined || key < min;
    if (isLatest && max !== undefined)
      this.statements.get(clearLatest).run({ coll, id: object.id });
    if (isFirst && min !== undefined) this.statements.get(clearFirst).run({ coll, id: object.id });
    // Positional parameters: the hot path of ingest, and binding by name costs a lookup each.
    const { lastInsertRowid } = this.statements
      .get(insertObject)
      .run(
        coll,
        object.id,
        object.type,
        object.specVersion,
        key,
        version.dateAdded as Micros,
        isLatest ? 1 : 0,
        isFirst ? 1 : 0,
        object.tlp,
        object.revoked ? 1 : 0,
        object.json,
      );
    stored.push({ v: key, r: Number(lastInsertRowid) });
  }

  delete(collectionId: string, id: string, query: DeleteQuery): number {
    const remove = this.db.transaction((): number => {
      const key = this.collections.key(collectionId);
      if (key === undefined) return 0;
      const params: Params = { coll: key.cid, id };
      const conditions = ['o.coll = @coll', 'o.id = @id'];
      if (query.specVersions !== undefined)
        conditions.push(inList('o.spec_version', 'specVersions', query.specVersions, params));
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
