// Audit trail (R14): append-only records with a store-assigned, never reused seq.
import type { AuditQuery, AuditRecord, Micros } from '../types.js';
import type { Db, StatementCache } from './database.js';
import type { Params } from './sql-filters.js';

/** Bound parameters of one audit row: filterable columns plus the record without its seq. */
export function auditRowParams(record: AuditRecord): Params {
  const { seq: _seq, ...rest } = record;
  return {
    at: record.at,
    actor: record.actor,
    action: record.action,
    collectionId: record.collectionId ?? null,
    groupId: record.groupId ?? null,
    record: JSON.stringify(rest),
  };
}

export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly statements: StatementCache,
  ) {}

  append(records: readonly AuditRecord[]): void {
    const insert = this.statements.get(
      `INSERT INTO audit (at, actor, action, collection_id, group_id, record)
       VALUES (@at, @actor, @action, @collectionId, @groupId, @record)`,
    );
    const write = this.db.transaction(() => {
      // The seq is the row's; a caller-supplied one is not kept.
      for (const record of records) insert.run(auditRowParams(record));
    });
    write.immediate();
  }

  /** Ascending seq; `since` is inclusive, `until` exclusive. */
  query(query: AuditQuery): AuditRecord[] {
    const params: Params = { limit: query.limit };
    const conditions: string[] = [];
    const filters: [keyof AuditQuery, string, string][] = [
      ['since', 'at >= @since', 'since'],
      ['until', 'at < @until', 'until'],
      ['actor', 'actor = @actor', 'actor'],
      ['action', 'action = @action', 'action'],
      ['collectionId', 'collection_id = @collectionId', 'collectionId'],
      ['groupId', 'group_id = @groupId', 'groupId'],
      ['afterSeq', 'seq > @afterSeq', 'afterSeq'],
    ];
    for (const [field, condition, name] of filters) {
      const value = query[field];
      if (value === undefined) continue;
      params[name] = value;
      conditions.push(condition);
    }
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const rows = this.statements
      .get(`SELECT seq, record FROM audit ${where} ORDER BY seq LIMIT @limit`)
      .all(params) as { seq: number; record: string }[];
    return rows.map((row) => ({ seq: row.seq, ...(JSON.parse(row.record) as AuditRecord) }));
  }

  purge(before: Micros): number {
    return this.statements.get('DELETE FROM audit WHERE at < ?').run(before).changes;
  }
}
