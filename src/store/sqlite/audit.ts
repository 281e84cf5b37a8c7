// Audit trail (R14): append-only records with a store-assigned, never reused seq.
//
// A partner page's record lists every object served and every rule hit: tens of kilobytes for
// a page of a thousand, and a client polling the same page writes the same lists again and
// again. Large lists are therefore kept once, by digest, in audit_payloads, and each audit row
// names its payload: a repeated poll costs a small row. Queries put the lists back; a purge
// drops the payloads no row names any more.
import { createHash } from 'node:crypto';
import type { AuditQuery, AuditRecord, Micros } from '../types.js';
import type { Db, StatementCache } from './database.js';
import type { Params } from './sql-filters.js';

/** Lists shorter than this (as JSON) stay in the row: a shared payload would cost more. */
const SHARED_PAYLOAD_MIN_CHARS = 1024;

/** The lists an audit row may share with others. */
type AuditPayload = Pick<AuditRecord, 'served' | 'ruleHits'>;

export interface AuditRow {
  /** Bound parameters: the filterable columns, the record without its seq or shared lists. */
  params: Params;
  /** The shared lists, when large enough to be kept once. */
  payload?: { digest: string; body: string };
}

// Pages remembered by the partner view hand over the same (frozen) list objects on every
// read: their serialization and digest are computed once. A pure function of those objects.
const serialized = new WeakMap<object, { ruleHits: unknown; body: string; digest: string }>();

function sharedPayload(record: AuditRecord): { digest: string; body: string } | undefined {
  const anchor = record.served ?? record.ruleHits;
  if (anchor === undefined) return undefined;
  const known = serialized.get(anchor);
  if (known !== undefined && known.ruleHits === record.ruleHits) return known;
  const lists: AuditPayload = {};
  if (record.served !== undefined) lists.served = record.served;
  if (record.ruleHits !== undefined) lists.ruleHits = record.ruleHits;
  const body = JSON.stringify(lists);
  if (body.length < SHARED_PAYLOAD_MIN_CHARS) return undefined;
  const digest = createHash('sha256').update(body).digest('base64url');
  if (Object.isFrozen(anchor)) serialized.set(anchor, { ruleHits: record.ruleHits, body, digest });
  return { digest, body };
}

/** The row of one audit record: filterable columns plus the record without its seq. */
export function auditRow(record: AuditRecord): AuditRow {
  const { seq: _seq, ...rest } = record;
  const payload = sharedPayload(record);
  if (payload !== undefined) {
    delete rest.served;
    delete rest.ruleHits;
  }
  return {
    params: {
      at: record.at,
      actor: record.actor,
      action: record.action,
      collectionId: record.collectionId ?? null,
      groupId: record.groupId ?? null,
      record: JSON.stringify(rest),
      payload: payload?.digest ?? null,
    },
    ...(payload !== undefined && { payload }),
  };
}

/** Keeps a shared payload once (its digest names its content, so an existing one is the same). */
export function keepPayload(statements: StatementCache, row: AuditRow): void {
  if (row.payload === undefined) return;
  statements
    .get('INSERT OR IGNORE INTO audit_payloads (digest, body) VALUES (?, ?)')
    .run(row.payload.digest, row.payload.body);
}

/** A stored row back as its record, with its shared lists put back. */
function recordOf(row: { seq: number; record: string; payload: string | null }): AuditRecord {
  const record = { seq: row.seq, ...(JSON.parse(row.record) as AuditRecord) };
  if (row.payload === null) return record;
  const lists = JSON.parse(row.payload) as AuditPayload;
  // The lists' place in the record as appended: after the fields before them.
  return { ...record, ...lists };
}

export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly statements: StatementCache,
  ) {}

  append(records: readonly AuditRecord[]): void {
    const insert = this.statements.get(
      `INSERT INTO audit (at, actor, action, collection_id, group_id, record, payload)
       VALUES (@at, @actor, @action, @collectionId, @groupId, @record, @payload)`,
    );
    const write = this.db.transaction(() => {
      // The seq is the row's; a caller-supplied one is not kept.
      for (const record of records) {
        const row = auditRow(record);
        keepPayload(this.statements, row);
        insert.run(row.params);
      }
    });
    write.immediate();
  }

  /** Ascending seq; `since` is inclusive, `until` exclusive. */
  query(query: AuditQuery): AuditRecord[] {
    const params: Params = { limit: query.limit };
    const conditions: string[] = [];
    const filters: [keyof AuditQuery, string, string][] = [
      ['since', 'a.at >= @since', 'since'],
      ['until', 'a.at < @until', 'until'],
      ['actor', 'a.actor = @actor', 'actor'],
      ['action', 'a.action = @action', 'action'],
      ['collectionId', 'a.collection_id = @collectionId', 'collectionId'],
      ['groupId', 'a.group_id = @groupId', 'groupId'],
      ['afterSeq', 'a.seq > @afterSeq', 'afterSeq'],
    ];
    for (const [field, condition, name] of filters) {
      const value = query[field];
      if (value === undefined) continue;
      params[name] = value;
      conditions.push(condition);
    }
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const rows = this.statements
      .get(
        `SELECT a.seq, a.record, p.body AS payload FROM audit AS a
         LEFT JOIN audit_payloads AS p ON p.digest = a.payload
         ${where} ORDER BY a.seq LIMIT @limit`,
      )
      .all(params) as { seq: number; record: string; payload: string | null }[];
    return rows.map(recordOf);
  }

  purge(before: Micros): number {
    const purge = this.db.transaction((): number => {
      const removed = this.statements.get('DELETE FROM audit WHERE at < ?').run(before).changes;
      if (removed > 0) {
        this.statements
          .get(
            `DELETE FROM audit_payloads
             WHERE NOT EXISTS (SELECT 1 FROM audit WHERE audit.payload = audit_payloads.digest)`,
          )
          .run();
      }
      return removed;
    });
    return purge.immediate();
  }
}
