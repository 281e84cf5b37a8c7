// Bulk copy in and out of the embedded store for `stixgate migrate` (StoreTransfer in
// ../types.ts): date_added values, versions and audit seqs are kept as given, and re-running
// a copy skips what is already there.
import { ConflictError, NotFoundError } from '../../errors.js';
import type { AuditRecord, Micros, ObjectRecord, StatusRecord, StoreTransfer } from '../types.js';
import { auditRow, keepPayload } from './audit.js';
import type { Collections } from './collections.js';
import type { Db, StatementCache } from './database.js';
import { repairMarkers } from './object-writes.js';
import { guarded } from './sqlite-errors.js';
import { toRecord, type ObjectRow } from './object-queries.js';

const exportSql = `SELECT o.id, o.type, o.spec_version, o.version, o.date_added, o.is_latest,
    o.is_first, o.tlp, o.revoked, o.json
  FROM objects AS o INDEXED BY objects_by_added
  WHERE o.coll = @coll AND o.date_added > @after ORDER BY o.date_added LIMIT @limit`;
const versionExists =
  'SELECT 1 FROM objects WHERE coll = @coll AND id = @id AND version = @version';
const dateAddedTaken = 'SELECT 1 FROM objects WHERE coll = @coll AND date_added = @dateAdded';
const insertSql = `INSERT INTO objects
  (coll, id, type, spec_version, version, date_added, is_latest, is_first, tlp, revoked, json)
  VALUES (@coll, @id, @type, @specVersion, @version, @dateAdded, @isLatest, @isFirst, @tlp, @revoked, @json)`;

export class SqliteTransfer implements StoreTransfer {
  constructor(
    private readonly db: Db,
    private readonly statements: StatementCache,
    private readonly collections: Collections,
  ) {}

  /** Every stored version (any spec version) after `afterDateAdded`, ascending date_added. */
  async exportObjects(
    collectionId: string,
    afterDateAdded: Micros | undefined,
    limit: number,
  ): Promise<ObjectRecord[]> {
    return guarded(() => {
      const key = this.collections.key(collectionId);
      if (key === undefined) return [];
      const rows = this.statements.get(exportSql).all({
        coll: key.cid,
        after: afterDateAdded ?? Number.MIN_SAFE_INTEGER,
        limit,
      }) as ObjectRow[];
      return rows.map(toRecord);
    });
  }

  /**
   * Stores the versions as given, skipping (id, version) pairs already stored; markers are then
   * recomputed per id (the target may hold other versions). A date_added already used by a
   * different version is refused: the copy would no longer be exact.
   */
  async importObjects(collectionId: string, records: ObjectRecord[]): Promise<number> {
    return guarded(() => {
      const write = this.db.transaction((): number => {
        const key = this.collections.key(collectionId);
        if (key === undefined) throw new NotFoundError('collection', collectionId);
        const coll = key.cid;
        let stored = 0;
        let highest = key.lastAdded;
        const ids = new Set<string>();
        for (const record of records) {
          if (
            this.statements.get(versionExists).get({ coll, id: record.id, version: record.version })
          ) {
            continue;
          }
          if (this.statements.get(dateAddedTaken).get({ coll, dateAdded: record.dateAdded })) {
            throw new ConflictError(
              `date_added ${record.dateAdded} is already used in collection ${collectionId}`,
            );
          }
          this.statements.get(insertSql).run({
            coll,
            id: record.id,
            type: record.type,
            specVersion: record.specVersion,
            version: record.version,
            dateAdded: record.dateAdded,
            isLatest: record.isLatest ? 1 : 0,
            isFirst: record.isFirst ? 1 : 0,
            tlp: record.tlp,
            revoked: record.revoked ? 1 : 0,
            json: record.json,
          });
          stored++;
          ids.add(record.id);
          if (highest === null || record.dateAdded > highest) highest = record.dateAdded;
        }
        for (const id of ids) repairMarkers(this.statements, coll, id);
        if (highest !== null && highest !== key.lastAdded)
          this.collections.setLastAdded(coll, highest);
        else if (stored > 0) this.collections.touch(coll);
        return stored;
      });
      return write.immediate();
    });
  }

  /** Status resources in ascending id order, after `afterId`. */
  async exportStatuses(afterId: string | undefined, limit: number): Promise<StatusRecord[]> {
    return guarded(() => {
      const rows = (
        afterId === undefined
          ? this.statements.get('SELECT record FROM statuses ORDER BY id LIMIT ?').all(limit)
          : this.statements
              .get('SELECT record FROM statuses WHERE id > ? ORDER BY id LIMIT ?')
              .all(afterId, limit)
      ) as { record: string }[];
      return rows.map((row) => JSON.parse(row.record) as StatusRecord);
    });
  }

  /**
   * Appends audit records with their own seq (already stored seqs are skipped). AUTOINCREMENT
   * remembers the largest seq ever inserted, so later appends continue after it.
   */
  async importAudit(records: AuditRecord[]): Promise<number> {
    return guarded(() => {
      const insert = this.statements.get(
        `INSERT OR IGNORE INTO audit (seq, at, actor, action, collection_id, group_id, record, payload)
         VALUES (@seq, @at, @actor, @action, @collectionId, @groupId, @record, @payload)`,
      );
      const write = this.db.transaction((): number => {
        let stored = 0;
        for (const record of records) {
          if (record.seq === undefined) continue;
          const row = auditRow(record);
          const inserted = insert.run({ ...row.params, seq: record.seq }).changes;
          if (inserted > 0) keepPayload(this.statements, row);
          stored += inserted;
        }
        return stored;
      });
      return write.immediate();
    });
  }
}
