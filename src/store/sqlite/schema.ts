// Schema of the embedded store and its forward-only migrations (schema_migrations holds the
// versions applied). A file written by a newer stixgate is refused rather than misread.
import { ConfigError } from '../../errors.js';
import { formatTaxiiTimestamp, versionKeyOf, type VersionKey } from '../../stix/timestamp.js';
import type { Db } from './database.js';

interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * The SQL function migration 3 fills the version column with: the exact key of the stored
 * body's `modified`, else `created` (the same rule as ingest), else the old number, which for an
 * object without either was its date_added, a server clock value and so exact. An older build
 * stored `modified` beyond 2255 rounded to the nearest double; the body still has the instant.
 */
const versionKeyFunction = 'stixgate_version_key';

function versionKeyFromRow(modified: unknown, created: unknown, micros: unknown): VersionKey {
  for (const text of [modified, created]) {
    if (typeof text !== 'string') continue;
    const key = versionKeyOf(text);
    if (key !== undefined) return key;
  }
  return formatTaxiiTimestamp(Number(micros)) as VersionKey;
}

function registerFunctions(db: Db): void {
  db.function(versionKeyFunction, { deterministic: true }, versionKeyFromRow);
}

/** The object indexes of the current schema; see migrations 1 and 2 for why each exists. */
const objectIndexesSql = `
      CREATE UNIQUE INDEX objects_by_added ON objects (coll, date_added);
      CREATE UNIQUE INDEX objects_by_id ON objects (coll, id, version);
      CREATE INDEX objects_latest ON objects (coll, date_added) WHERE is_latest = 1;
      CREATE INDEX objects_first ON objects (coll, date_added) WHERE is_first = 1;
      CREATE INDEX objects_latest_by_tlp ON objects (coll, tlp, date_added, type, spec_version)
        WHERE is_latest = 1;
      CREATE INDEX objects_by_type ON objects
        (coll, type, date_added, is_latest, is_first, tlp, spec_version);
`;

const migrations: Migration[] = [
  {
    version: 1,
    description: 'collections, objects, statuses, revoked tokens, audit',
    sql: `
      CREATE TABLE collections (
        -- Small integer key, so that every object row and index entry does not repeat a UUID.
        cid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        api_root TEXT NOT NULL,
        alias TEXT,
        created_at INTEGER NOT NULL,
        -- High-water mark of date_added: never decreases, even when the newest object is
        -- deleted, so a date_added is never handed out twice (readers paging never skip).
        last_added INTEGER,
        -- The whole CollectionRecord as JSON; the columns above are what queries need.
        record TEXT NOT NULL
      );
      -- TAXII 2.1 §5.2: an alias is unique within its API root.
      CREATE UNIQUE INDEX collections_alias ON collections (api_root, alias) WHERE alias IS NOT NULL;
      -- Collection lists come in (created_at, id) order, which is stable (TAXII §5.1).
      CREATE INDEX collections_by_root ON collections (api_root, created_at, id);

      CREATE TABLE objects (
        coll INTEGER NOT NULL REFERENCES collections (cid) ON DELETE CASCADE,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        spec_version TEXT NOT NULL,
        version_micros INTEGER NOT NULL,
        date_added INTEGER NOT NULL,
        is_latest INTEGER NOT NULL,
        is_first INTEGER NOT NULL,
        tlp TEXT NOT NULL,
        revoked INTEGER NOT NULL,
        json TEXT NOT NULL
      );
      -- Paging order of match[version]=all (and of first+last combinations), the per-collection
      -- uniqueness of date_added, and the index the ON DELETE CASCADE of a collection uses.
      CREATE UNIQUE INDEX objects_by_added ON objects (coll, date_added);
      -- One version per (id, version): duplicate/conflict detection on add, the versions of one
      -- object, first/last marker upkeep, match[id] filters and deletes.
      CREATE UNIQUE INDEX objects_by_id ON objects (coll, id, version_micros);
      -- The default query (match[version]=last, ordered by date_added after a position, LIMIT n):
      -- a range walk over latest versions only, so a page costs the same at any depth and old
      -- versions are never visited.
      CREATE INDEX objects_latest ON objects (coll, date_added) WHERE is_latest = 1;
      -- Same walk for match[version]=first.
      CREATE INDEX objects_first ON objects (coll, date_added) WHERE is_first = 1;
      -- match[type]: one range walk per requested type in date_added order (merged in memory);
      -- the markers are in the index so non-matching versions are skipped without a row lookup.
      CREATE INDEX objects_by_type ON objects (coll, type, date_added, is_latest, is_first);

      CREATE TABLE statuses (
        id TEXT PRIMARY KEY,
        api_root TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        record TEXT NOT NULL
      );
      -- Retention purge (TAXII §4.3: kept at least 24 h after completion).
      CREATE INDEX statuses_by_updated ON statuses (updated_at);

      CREATE TABLE revoked_tokens (
        jti TEXT PRIMARY KEY,
        revoked_at INTEGER NOT NULL,
        expires_at INTEGER,
        reason TEXT
      );

      CREATE TABLE audit (
        -- AUTOINCREMENT: a seq is never reused, even after the newest records are purged, so
        -- readers paging with afterSeq never miss a record.
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        collection_id TEXT,
        group_id TEXT,
        record TEXT NOT NULL
      );
      -- Retention purge and since/until filters.
      CREATE INDEX audit_by_at ON audit (at);
    `,
  },
  {
    version: 2,
    description: 'covering indexes for match[type] and TLP-restricted (partner) reads',
    sql: `
      -- A reader allowed only some TLP codes walks each allowed code separately (merged in
      -- memory), so a page costs O(limit) even where almost nothing is visible to it. type and
      -- spec_version make the walk index-only: the other visibility filters need no row lookup.
      CREATE INDEX objects_latest_by_tlp ON objects (coll, tlp, date_added, type, spec_version)
        WHERE is_latest = 1;
      -- match[type] walks also skip versions of other TLP codes or spec versions in-index.
      DROP INDEX objects_by_type;
      CREATE INDEX objects_by_type ON objects
        (coll, type, date_added, is_latest, is_first, tlp, spec_version);
    `,
  },
  {
    version: 3,
    description: 'exact versions: version_micros (a double) becomes the fixed-width version key',
    // A table rebuild rather than ADD COLUMN, so that the new column is NOT NULL and the old
    // one is gone. Rows keep their order (and date_added, markers, bytes); the markers are then
    // recomputed from the exact keys, in case rounding had made an older build misjudge them.
    sql: `
      CREATE TABLE objects_v3 (
        coll INTEGER NOT NULL REFERENCES collections (cid) ON DELETE CASCADE,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        spec_version TEXT NOT NULL,
        -- YYYY-MM-DDTHH:MM:SS.ffffffZ: exact, and BINARY order is chronological order.
        version TEXT NOT NULL,
        date_added INTEGER NOT NULL,
        is_latest INTEGER NOT NULL,
        is_first INTEGER NOT NULL,
        tlp TEXT NOT NULL,
        revoked INTEGER NOT NULL,
        json TEXT NOT NULL
      );
      INSERT INTO objects_v3
        (coll, id, type, spec_version, version, date_added, is_latest, is_first, tlp, revoked, json)
        SELECT coll, id, type, spec_version,
          ${versionKeyFunction}(json_extract(json, '$.modified'), json_extract(json, '$.created'),
            version_micros),
          date_added, is_latest, is_first, tlp, revoked, json
        FROM objects ORDER BY rowid;
      DROP TABLE objects;
      ALTER TABLE objects_v3 RENAME TO objects;
      ${objectIndexesSql}
      UPDATE objects AS o
        SET is_latest = (o.version = m.maxv), is_first = (o.version = m.minv)
        FROM (SELECT coll, id, max(version) AS maxv, min(version) AS minv
              FROM objects GROUP BY coll, id) AS m
        WHERE o.coll = m.coll AND o.id = m.id
          AND (o.is_latest <> (o.version = m.maxv) OR o.is_first <> (o.version = m.minv));
    `,
  },
  {
    version: 4,
    description: 'collection content revisions (cached read pages), shared audit payloads',
    // The revision moves with every write that changes a collection's objects; the incarnation
    // is random per created collection, because SQLite may give a deleted cid to a new one.
    // Audit rows of repeated partner pages name one shared copy of their served/hit lists.
    sql: `
      ALTER TABLE collections ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE collections ADD COLUMN incarnation TEXT NOT NULL DEFAULT '';
      UPDATE collections SET incarnation = lower(hex(randomblob(16)));
      CREATE TABLE audit_payloads (digest TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
      ALTER TABLE audit ADD COLUMN payload TEXT;
      CREATE INDEX audit_by_payload ON audit (payload) WHERE payload IS NOT NULL;
    `,
  },
];

export const latestSchemaVersion = migrations[migrations.length - 1]?.version ?? 0;

/**
 * Applies pending migrations (up to `target`, by default all) in one write transaction; safe
 * when several processes open the file at once.
 */
export function migrate(db: Db, target = latestSchemaVersion, now: () => number = Date.now): void {
  registerFunctions(db);
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  const apply = db.transaction(() => {
    const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as {
      version: number | null;
    };
    const current = row.version ?? 0;
    if (current > latestSchemaVersion) {
      throw new ConfigError(
        'DATA_DIR',
        `database schema version ${current} is newer than this stixgate supports (${latestSchemaVersion})`,
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
    for (const migration of migrations) {
      if (migration.version <= current || migration.version > target) continue;
      db.exec(migration.sql);
      record.run(migration.version, now());
    }
  });
  apply.immediate();
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  return row.version ?? 0;
}
