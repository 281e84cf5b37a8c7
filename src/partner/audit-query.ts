// R14: reading the audit trail, shared by `GET /admin/audit` and `stixgate audit`: the filters
// (since/until as RFC 3339 timestamps, actor, action, collection, group, after = seq, limit)
// and the JSON shape of one record (timestamps as TAXII timestamps, snake_case keys).
import { InvalidFilterError } from '../errors.js';
import { formatTaxiiTimestamp, parseStixTimestamp } from '../stix/timestamp.js';
import type { AuditQuery, AuditRecord, Micros, Store } from '../store/types.js';

export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 1000;

export interface AuditFilterInput {
  since?: string;
  until?: string;
  actor?: string;
  action?: string;
  collection?: string;
  group?: string;
  after?: string;
  limit?: string;
}

function timestamp(name: string, value: string): Micros {
  const exact = parseStixTimestamp(value);
  if (exact !== undefined) return exact;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    throw new InvalidFilterError(name, 'must be an RFC 3339 timestamp or a date');
  return ms * 1000;
}

function integer(name: string, value: string, min: number, max: number): number {
  if (!/^\d{1,15}$/.test(value))
    throw new InvalidFilterError(name, 'must be a non-negative integer');
  const n = Number(value);
  if (n < min || n > max) throw new InvalidFilterError(name, `must be between ${min} and ${max}`);
  return n;
}

/** `since` inclusive, `until` exclusive; `after` is the `seq` of the last record already read. */
export function parseAuditFilter(input: AuditFilterInput): AuditQuery {
  const query: AuditQuery = {
    limit:
      input.limit === undefined
        ? DEFAULT_AUDIT_LIMIT
        : integer('limit', input.limit, 1, MAX_AUDIT_LIMIT),
  };
  if (input.since !== undefined) query.since = timestamp('since', input.since);
  if (input.until !== undefined) query.until = timestamp('until', input.until);
  if (input.actor !== undefined) query.actor = input.actor;
  if (input.action !== undefined) query.action = input.action;
  if (input.collection !== undefined) query.collectionId = input.collection;
  if (input.group !== undefined) query.groupId = input.group;
  if (input.after !== undefined)
    query.afterSeq = integer('after', input.after, 0, Number.MAX_SAFE_INTEGER);
  return query;
}

export interface AuditPage {
  records: AuditRecord[];
  more: boolean;
  /** Pass as `after` to read the next page. */
  next?: number;
}

export async function readAudit(
  store: Pick<Store, 'queryAudit'>,
  query: AuditQuery,
): Promise<AuditPage> {
  const fetched = await store.queryAudit({ ...query, limit: query.limit + 1 });
  const records = fetched.slice(0, query.limit);
  const page: AuditPage = { records, more: fetched.length > query.limit };
  const last = records.at(-1);
  if (page.more && last?.seq !== undefined) page.next = last.seq;
  return page;
}

export function describeAuditRecord(r: AuditRecord): Record<string, unknown> {
  return {
    ...(r.seq !== undefined && { seq: r.seq }),
    at: formatTaxiiTimestamp(r.at),
    actor: r.actor,
    role: r.role,
    groups: r.groups,
    action: r.action,
    ...(r.apiRoot !== undefined && { api_root: r.apiRoot }),
    ...(r.collectionId !== undefined && { collection: r.collectionId }),
    ...(r.groupId !== undefined && { group: r.groupId }),
    ...(r.policyRevision !== undefined && { policy_revision: r.policyRevision }),
    ...(r.served !== undefined && { served: r.served }),
    ...(r.ruleHits !== undefined && { rule_hits: r.ruleHits }),
    ...(r.withheld !== undefined && { withheld: r.withheld }),
    ...(r.details !== undefined && { details: r.details }),
  };
}
