// Schema of the embedded store and its forward-only migrations (schema_migrations holds the
// versions applied). A file written by a newer stixgate is refused rather than misread.
import { ConfigError } from '../../errors.js';
import type { Db } from './database.js';

interface Migration {
  version: number;
  description: string;
  sql: string;
}

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
];

export const latestSchemaVersion = migrations[migrations.length - 1]?.version ?? 0;

/**
 * Applies pending migrations (up to `target`, by default all) in one write transaction; safe
 * when several processes open the file at once.
 */
export function migrate(db: Db, target = latestSchemaVersion, now: () => number = Date.now): void {
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
