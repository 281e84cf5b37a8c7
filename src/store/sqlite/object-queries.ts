// Object reads: one SQL shape per combination of filters, each pinned to the index that makes
// it a range walk in date_added order (INDEXED BY, so a plan cannot silently regress to a
// sort of the whole collection). Visibility is part of the WHERE clause, so LIMIT counts only
// what the caller may see: pages are full and `more` is exact.
import type { ObjectPage, ObjectQuery, ObjectRecord, TlpCode } from '../types.js';
import type { Collections } from './collections.js';
import type { Db, StatementCache } from './database.js';
import {
  defaultSpecVersions,
  inList,
  notInList,
  versionCondition,
  type Params,
} from './sql-filters.js';

/** Up to this many types, each type is its own index walk and the walks are merged here. */
const maxTypeWalks = 16;

interface ObjectRow {
  id: string;
  type: string;
  spec_version: string;
  version_micros: number;
  date_added: number;
  is_latest: 0 | 1;
  is_first: 0 | 1;
  tlp: TlpCode;
  revoked: 0 | 1;
  json: string;
}

const columns =
  'o.id, o.type, o.spec_version, o.version_micros, o.date_added, o.is_latest, o.is_first, o.tlp, o.revoked, o.json';

function toRecord(row: ObjectRow): ObjectRecord {
  return {
    id: row.id,
    type: row.type,
    specVersion: row.spec_version,
    versionMicros: row.version_micros,
    dateAdded: row.date_added,
    isLatest: row.is_latest === 1,
    isFirst: row.is_first === 1,
    tlp: row.tlp,
    revoked: row.revoked === 1,
    json: row.json,
  };
}

/** The index a query walks; see the comments in schema.ts for why each exists. */
export function chooseIndex(query: ObjectQuery, singleType: boolean): string {
  if (query.ids !== undefined) return 'objects_by_id';
  if (singleType) return 'objects_by_type';
  const selector = query.versions;
  if (
    selector.kind === 'some' &&
    selector.versions.length === 0 &&
    selector.first !== selector.last
  ) {
    return selector.last ? 'objects_latest' : 'objects_first';
  }
  return 'objects_by_added';
}

/** The SQL and parameters of one walk; `type` narrows it to a single type. */
export function buildObjectSelect(
  coll: number,
  query: ObjectQuery,
  type: string | undefined,
): { sql: string; params: Params } {
  const params: Params = {
    coll,
    after: query.addedAfter ?? Number.MIN_SAFE_INTEGER,
    limit: query.limit + 1,
  };
  const conditions = ['o.coll = @coll', 'o.date_added > @after'];
  if (type !== undefined) {
    params.type = type;
    conditions.push('o.type = @type');
  } else if (query.types !== undefined) {
    conditions.push(inList('o.type', 'types', query.types, params));
  }
  if (query.ids !== undefined) conditions.push(inList('o.id', 'ids', query.ids, params));
  const version = versionCondition(query.versions, params);
  if (version !== undefined) conditions.push(version);
  conditions.push(
    inList('o.spec_version', 'specVersions', query.specVersions ?? defaultSpecVersions, params),
  );
  const visibility = query.visibility;
  if (visibility?.tlp !== undefined)
    conditions.push(inList('o.tlp', 'tlp', visibility.tlp, params));
  if (visibility?.excludeTypes !== undefined && visibility.excludeTypes.length > 0) {
    conditions.push(notInList('o.type', 'excludeTypes', visibility.excludeTypes, params));
  }
  const index = chooseIndex(query, type !== undefined);
  const sql = `SELECT ${columns} FROM objects AS o INDEXED BY ${index}
    WHERE ${conditions.join(' AND ')} ORDER BY o.date_added LIMIT @limit`;
  return { sql, params };
}

export class ObjectQueries {
  constructor(
    private readonly db: Db,
    private readonly statements: StatementCache,
    private readonly collections: Collections,
  ) {}

  query(collectionId: string, query: ObjectQuery): ObjectPage {
    // One read transaction: a consistent snapshot across the per-type walks.
    const read = this.db.transaction((): ObjectPage => {
      const key = this.collections.key(collectionId);
      if (key === undefined) return { records: [], more: false };
      const rows = this.selectRows(key.cid, query);
      return { records: rows.slice(0, query.limit).map(toRecord), more: rows.length > query.limit };
    });
    return read();
  }

  count(collectionId: string): number {
    const key = this.collections.key(collectionId);
    if (key === undefined) return 0;
    const row = this.statements
      .get('SELECT count(*) AS n FROM objects WHERE coll = ?')
      .get(key.cid) as {
      n: number;
    };
    return row.n;
  }

  private selectRows(coll: number, query: ObjectQuery): ObjectRow[] {
    const types = query.types === undefined ? undefined : [...new Set(query.types)];
    if (types === undefined || query.ids !== undefined || types.length > maxTypeWalks) {
      return this.run(buildObjectSelect(coll, query, undefined));
    }
    // match[type]: merging per-type walks keeps the cost at O(types × limit) at any depth.
    const merged = types.flatMap((type) => this.run(buildObjectSelect(coll, query, type)));
    merged.sort((a, b) => a.date_added - b.date_added);
    return merged.slice(0, query.limit + 1);
  }

  private run(select: { sql: string; params: Params }): ObjectRow[] {
    return this.statements.get(select.sql).all(select.params) as ObjectRow[];
  }
}
