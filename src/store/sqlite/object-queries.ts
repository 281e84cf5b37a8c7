// Object reads: one SQL shape per combination of filters, each pinned to the index that makes
// it a range walk in date_added order (INDEXED BY, so a plan cannot silently regress to a
// sort of the whole collection). Visibility is part of the WHERE clause, so LIMIT counts only
// what the caller may see: pages are full and `more` is exact.
//
// Filters that would make one walk skip far (match[type], a TLP allow-list) are served by
// several walks instead, one per type or TLP code, each an index-only scan that returns
// date_added positions; the first limit+1 positions of their merge are then fetched in full.
import { bodyPageFromAggregate, emptyBodyPage, takeBodies } from '../body-page.js';
import type {
  BodyPage,
  ObjectPage,
  ObjectQuery,
  ObjectRecord,
  TlpCode,
  VersionKey,
} from '../types.js';
import type { Collections } from './collections.js';
import type { Db, StatementCache } from './database.js';
import { inList, notInList, versionCondition, type Params } from './sql-filters.js';

/** Up to this many types, each type is its own walk. */
const maxTypeWalks = 16;

export interface ObjectRow {
  id: string;
  type: string;
  spec_version: string;
  version: VersionKey;
  date_added: number;
  is_latest: 0 | 1;
  is_first: 0 | 1;
  tlp: TlpCode;
  revoked: 0 | 1;
  json: string;
}

const columns =
  'o.id, o.type, o.spec_version, o.version, o.date_added, o.is_latest, o.is_first, o.tlp, o.revoked, o.json';

export function toRecord(row: ObjectRow): ObjectRecord {
  return {
    id: row.id,
    type: row.type,
    specVersion: row.spec_version,
    version: row.version,
    dateAdded: row.date_added,
    isLatest: row.is_latest === 1,
    isFirst: row.is_first === 1,
    tlp: row.tlp,
    revoked: row.revoked === 1,
    json: row.json,
  };
}

/** Narrows one walk to a single type or a single TLP code. */
export interface Walk {
  type?: string;
  tlp?: string;
}

function isLastOnly(query: ObjectQuery): boolean {
  const selector = query.versions;
  return (
    selector.kind === 'some' && selector.last && !selector.first && selector.versions.length === 0
  );
}

/** The index a walk uses; see the comments in schema.ts for why each exists. */
export function chooseIndex(query: ObjectQuery, walk: Walk): string {
  if (query.ids !== undefined) return 'objects_by_id';
  if (walk.type !== undefined) return 'objects_by_type';
  if (walk.tlp !== undefined) return 'objects_latest_by_tlp';
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

/**
 * The walks a query is split into, or undefined for a single walk. ids need none (few rows
 * per id); types, then a TLP allow-list under match[version]=last, are split per value.
 */
export function planWalks(query: ObjectQuery): Walk[] | undefined {
  if (query.ids !== undefined) return undefined;
  if (query.types !== undefined) {
    const types = [...new Set(query.types)];
    return types.length <= maxTypeWalks ? types.map((type) => ({ type })) : undefined;
  }
  const tlp = query.visibility?.tlp;
  if (tlp !== undefined && isLastOnly(query))
    return [...new Set(tlp)].map((code) => ({ tlp: code }));
  return undefined;
}

/**
 * The SQL and parameters of one walk. `positions` selects only date_added (so the walk can be
 * answered from its index alone); otherwise the full record columns.
 */
export function buildObjectSelect(
  coll: number,
  query: ObjectQuery,
  walk: Walk = {},
  select: Selection = 'records',
): { sql: string; params: Params } {
  const params: Params = {
    coll,
    after: query.addedAfter ?? Number.MIN_SAFE_INTEGER,
    limit: query.limit + 1,
  };
  const conditions = ['o.coll = @coll', 'o.date_added > @after'];
  if (walk.type !== undefined) {
    params.type = walk.type;
    conditions.push('o.type = @type');
  } else if (query.types !== undefined) {
    conditions.push(inList('o.type', 'types', query.types, params));
  }
  if (query.ids !== undefined) conditions.push(inList('o.id', 'ids', query.ids, params));
  const version = versionCondition(query.versions, params);
  if (version !== undefined) conditions.push(version);
  if (query.specVersions !== undefined)
    conditions.push(inList('o.spec_version', 'specVersions', query.specVersions, params));
  const visibility = query.visibility;
  if (walk.tlp !== undefined) {
    params.tlp = walk.tlp;
    conditions.push('o.tlp = @tlp');
  } else if (visibility?.tlp !== undefined) {
    conditions.push(inList('o.tlp', 'tlp', visibility.tlp, params));
  }
  if (visibility?.excludeTypes !== undefined && visibility.excludeTypes.length > 0) {
    conditions.push(notInList('o.type', 'excludeTypes', visibility.excludeTypes, params));
  }
  const index = chooseIndex(query, walk);
  const selected = selectedColumns[select];
  const sql = `SELECT ${selected} FROM objects AS o INDEXED BY ${index}
    WHERE ${conditions.join(' AND ')} ORDER BY o.date_added LIMIT @limit`;
  return { sql, params };
}

/**
 * What a walk reads: whole records, bodies (raw pages: position, byte length and stored JSON,
 * which `joined` aggregates), or positions only (merged walks).
 */
export type Selection = 'records' | 'bodies' | 'positions';
const selectedColumns: Record<Selection, string> = {
  records: columns,
  bodies: 'o.date_added AS d, octet_length(o.json) AS n, o.json AS j',
  positions: 'o.date_added',
};

/**
 * One row for a whole page of bodies: SQLite joins the stored bytes itself, so no string is
 * built per record in JavaScript (decoding and re-encoding them cost more than the walk).
 */
const joined = (inner: string) =>
  `SELECT group_concat(d, ',') AS positions, group_concat(n, ',') AS lengths,
    CAST(group_concat(j, ',') AS BLOB) AS body FROM (${inner})`;

interface JoinedRow {
  positions: string | null;
  lengths: string | null;
  body: Buffer | null;
}

const fetchByPositions = (select: Exclude<Selection, 'positions'>) =>
  `SELECT ${selectedColumns[select]} FROM objects AS o INDEXED BY objects_by_added
  WHERE o.coll = @coll AND o.date_added IN (SELECT value FROM json_each(@positions))
  ORDER BY o.date_added`;

export class ObjectQueries {
  constructor(
    private readonly db: Db,
    private readonly statements: StatementCache,
    private readonly collections: Collections,
  ) {}

  query(collectionId: string, query: ObjectQuery): ObjectPage {
    // One read transaction: a consistent snapshot across the walks and the fetch.
    const read = this.db.transaction((): ObjectPage => {
      const select = this.plannedSelect(collectionId, query, 'records');
      if (select === undefined) return { records: [], more: false };
      const rows = this.statements.get(select.sql).all(select.params) as ObjectRow[];
      return { records: rows.slice(0, query.limit).map(toRecord), more: rows.length > query.limit };
    });
    return read();
  }

  queryBodies(collectionId: string, query: ObjectQuery): BodyPage {
    const read = this.db.transaction((): BodyPage => {
      const select = this.plannedSelect(collectionId, query, 'bodies');
      if (select === undefined) return emptyBodyPage();
      const row = this.statements.get(joined(select.sql)).get(select.params) as JoinedRow;
      const page = bodyPageFromAggregate(row.positions, row.lengths, row.body, false);
      return takeBodies(page, query.limit, page.positions.length > query.limit);
    });
    return read();
  }

  count(collectionId: string): number {
    const key = this.collections.key(collectionId);
    if (key === undefined) return 0;
    const row = this.statements
      .get('SELECT count(*) AS n FROM objects WHERE coll = ?')
      .get(key.cid) as { n: number };
    return row.n;
  }

  /**
   * The SQL of one read, in date_added order: a single walk, or the fetch of the first
   * limit+1 positions of several walks merged. Undefined when nothing can match (an unknown
   * collection, or walks that found nothing).
   */
  private plannedSelect(
    collectionId: string,
    query: ObjectQuery,
    select: Exclude<Selection, 'positions'>,
  ): { sql: string; params: Params } | undefined {
    const key = this.collections.key(collectionId);
    if (key === undefined) return undefined;
    const walks = planWalks(query);
    if (walks === undefined) return buildObjectSelect(key.cid, query, {}, select);
    const wanted = this.mergedPositions(key.cid, query, walks);
    if (wanted.length === 0) return undefined;
    return {
      sql: fetchByPositions(select),
      params: { coll: key.cid, positions: JSON.stringify(wanted) },
    };
  }

  /** The first limit+1 positions of the merge of several walks, ascending. */
  private mergedPositions(coll: number, query: ObjectQuery, walks: Walk[]): number[] {
    const positions: number[] = [];
    for (const walk of walks) {
      const { sql, params } = buildObjectSelect(coll, query, walk, 'positions');
      for (const row of this.statements.get(sql).all(params) as { date_added: number }[]) {
        positions.push(row.date_added);
      }
    }
    // date_added is unique per collection, so the merge needs no tie-break.
    positions.sort((a, b) => a - b);
    return positions.slice(0, query.limit + 1);
  }
}
