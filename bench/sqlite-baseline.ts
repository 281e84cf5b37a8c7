// Reference points for bench/store.ts: the cheapest ingest the same engine can do with the
// same pragmas and batches, (a) into a bare table without indexes and (b) into the store's own
// schema and indexes but without duplicate detection or marker upkeep.
import { openDatabase } from '../src/store/sqlite/database.js';
import { migrate } from '../src/store/sqlite/schema.js';

export interface BaselineRow {
  id: string;
  type: string;
  specVersion: string;
  version: string;
  json: string;
}

export type BaselineKind = 'bare-table' | 'same-indexes';

/** Elapsed wall-clock time and CPU time (user + system) of this process, in ms. */
export interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Inserts the batches, one transaction each, into a new database file; returns the time taken. */
export function measureBaselineIngest(
  file: string,
  kind: BaselineKind,
  batches: readonly BaselineRow[][],
): Timing {
  const db = openDatabase({ file });
  try {
    let insertSql: string;
    if (kind === 'bare-table') {
      db.exec(`CREATE TABLE bare (id TEXT, type TEXT, spec_version TEXT, version TEXT,
        date_added INTEGER, is_latest INTEGER, is_first INTEGER, tlp TEXT, revoked INTEGER, json TEXT)`);
      insertSql = 'INSERT INTO bare VALUES (?, ?, ?, ?, ?, 1, 1, ?, 0, ?)';
    } else {
      migrate(db);
      db.prepare(
        "INSERT INTO collections (cid, id, api_root, created_at, record) VALUES (1, 'baseline', 'api1', 0, '{}')",
      ).run();
      // Version rows get plain inserts too (is_latest = is_first = 1): no marker upkeep.
      insertSql =
        'INSERT INTO objects (id, type, spec_version, version, date_added, is_latest, is_first, tlp, revoked, json, coll) VALUES (?, ?, ?, ?, ?, 1, 1, ?, 0, ?, 1)';
    }
    const insert = db.prepare(insertSql);
    let dateAdded = 0;
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (const batch of batches) {
      db.transaction(() => {
        for (const row of batch) {
          insert.run(
            row.id,
            row.type,
            row.specVersion,
            row.version,
            ++dateAdded,
            'clear',
            row.json,
          );
        }
      }).immediate();
    }
    const used = process.cpuUsage(cpu);
    return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    db.close();
  }
}
