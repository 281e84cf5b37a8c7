// Object writes: addObjects (one BEGIN IMMEDIATE transaction per call, all or nothing) and
// deleteObject, both keeping the is_latest / is_first markers of each (collection, id) exact.
import { NotFoundError } from '../../errors.js';
import {
  assignDates,
  dateAddedBlock,
  takenVersions,
  type DatableVersion,
} from '../date-added-block.js';
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

/** A version this call stores, before and after it gets its date_added. */
interface FreshVersion extends DatableVersion {
  readonly object: NewObject;
}

type Planned =
  | { kind: 'done'; outcome: AddOutcome }
  /** Same bytes as a version planned earlier in this call: a duplicate of it, once it has a date. */
  | { kind: 'same-as'; version: FreshVersion }
  | { kind: 'new'; version: FreshVersion };

const conflictMessage = 'a different object with this id and version is already stored';

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
      const planned = this.plan(key.cid, objects, storedById);
      const fresh = planned.flatMap((entry) => (entry.kind === 'new' ? [entry.version] : []));
      if (fresh.length > 0) {
        // Read inside the write lock: commit order equals date_added order, across processes too.
        const block = dateAddedBlock(key.lastAdded, Math.floor(now), fresh.length);
        const stored = (id: string): Micros[] => (storedById.get(id) ?? []).map((row) => row.v);
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

  /** The per-object rules, applied in order (later objects see earlier ones). */
  private plan(
    coll: number,
    objects: readonly NewObject[],
    storedById: Map<string, StoredVersion[]>,
  ): Planned[] {
    const freshById = new Map<string, FreshVersion[]>();
    return objects.map((object): Planned => {
      let stored = storedById.get(object.id);
      if (stored === undefined) {
        stored = this.statements.get(selectVersions).all(coll, object.id) as StoredVersion[];
        storedById.set(object.id, stored);
      }
      const earlier = freshById.get(object.id) ?? [];
      if (object.versionMicros === null) {
        // Unversioned objects (most SCOs): identical bytes to any stored version is a duplicate.
        if (stored.length > 0) {
          const same = this.statements
            .get(findSameBytes)
            .get({ coll, id: object.id, json: object.json }) as
            { v: number; d: number } | undefined;
          if (same !== undefined) {
            return {
              kind: 'done',
              outcome: {
                id: object.id,
                outcome: 'duplicate',
                versionMicros: same.v,
                dateAdded: same.d,
              },
            };
          }
        }
        const same = earlier.find((version) => version.object.json === object.json);
        if (same !== undefined) return { kind: 'same-as', version: same };
      } else {
        const existing = stored.find((row) => row.v === object.versionMicros);
        if (existing !== undefined) {
          const { d, same } = this.statements
            .get(compareVersion)
            .get({ rowid: existing.r, json: object.json }) as { d: number; same: 0 | 1 };
          // TAXII 2.1 §5.5: re-posting an existing version is a success that stores nothing.
          const outcome: AddOutcome =
            same === 1
              ? { id: object.id, outcome: 'duplicate', versionMicros: existing.v, dateAdded: d }
              : {
                  id: object.id,
                  outcome: 'conflict',
                  versionMicros: existing.v,
                  message: conflictMessage,
                };
          return { kind: 'done', outcome };
        }
        const same = earlier.find(
          (version) => version.object.versionMicros === object.versionMicros,
        );
        if (same !== undefined) {
          if (same.object.json === object.json) return { kind: 'same-as', version: same };
          return {
            kind: 'done',
            outcome: {
              id: object.id,
              outcome: 'conflict',
              versionMicros: object.versionMicros,
              message: conflictMessage,
            },
          };
        }
      }
      const version: FreshVersion = { object };
      earlier.push(version);
      freshById.set(object.id, earlier);
      return { kind: 'new', version };
    });
  }

  /** Inserts one dated version, keeping the markers of its id; `stored` grows by it. */
  private insert(coll: number, version: FreshVersion, stored: StoredVersion[]): void {
    const object = version.object;
    const versionMicros = version.versionMicros as Micros;
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
    const { lastInsertRowid } = this.statements
      .get(insertObject)
      .run(
        coll,
        object.id,
        object.type,
        object.specVersion,
        versionMicros,
        version.dateAdded as Micros,
        isLatest ? 1 : 0,
        isFirst ? 1 : 0,
        object.tlp,
        object.revoked ? 1 : 0,
        object.json,
      );
    stored.push({ v: versionMicros, r: Number(lastInsertRowid) });
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

function outcomeOf(entry: Planned, object: NewObject): AddOutcome {
  if (entry.kind === 'done') return entry.outcome;
  const version = entry.version;
  if (version.dateAdded !== undefined && version.versionMicros !== undefined) {
    return {
      id: object.id,
      outcome: entry.kind === 'new' ? 'added' : 'duplicate',
      versionMicros: version.versionMicros,
      dateAdded: version.dateAdded,
    };
  }
  return {
    id: object.id,
    outcome: 'conflict',
    versionMicros: version.collidedAt ?? object.versionMicros ?? 0,
    message: 'another version of this object has the same version timestamp',
  };
}
