// Collections: CRUD, alias lookup within an API root, and the integer key objects refer to.
import { ConflictError } from '../../errors.js';
import type { CollectionRecord, Micros } from '../types.js';
import type { Db, StatementCache } from './database.js';

/** What object modules need of a collection: its row key and date_added high-water mark. */
export interface CollectionKey {
  cid: number;
  lastAdded: Micros | null;
}

export class Collections {
  constructor(
    private readonly db: Db,
    private readonly statements: StatementCache,
  ) {}

  list(apiRoot?: string): CollectionRecord[] {
    const rows = (
      apiRoot === undefined
        ? this.statements.get('SELECT record FROM collections ORDER BY created_at, id').all()
        : this.statements
            .get('SELECT record FROM collections WHERE api_root = ? ORDER BY created_at, id')
            .all(apiRoot)
    ) as { record: string }[];
    return rows.map((row) => JSON.parse(row.record) as CollectionRecord);
  }

  /** By id first, then by alias, both within the API root. */
  get(apiRoot: string, idOrAlias: string): CollectionRecord | undefined {
    const row = this.statements
      .get(
        `SELECT record FROM collections WHERE api_root = @apiRoot AND (id = @key OR alias = @key)
         ORDER BY id = @key DESC LIMIT 1`,
      )
      .get({ apiRoot, key: idOrAlias }) as { record: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.record) as CollectionRecord);
  }

  put(collection: CollectionRecord): void {
    const write = this.db.transaction(() => {
      if (collection.alias !== undefined) {
        const taken = this.statements
          .get('SELECT 1 FROM collections WHERE api_root = ? AND alias = ? AND id <> ?')
          .get(collection.apiRoot, collection.alias, collection.id);
        // TAXII 2.1 §5.2: alias "MUST be unique within the API root".
        if (taken !== undefined) {
          throw new ConflictError(`alias '${collection.alias}' is already used in this API root`);
        }
      }
      // An upsert, never INSERT OR REPLACE: replacing the row would cascade-delete its objects.
      this.statements
        .get(
          `INSERT INTO collections (id, api_root, alias, created_at, record, incarnation)
           VALUES (?, ?, ?, ?, ?, lower(hex(randomblob(16))))
           ON CONFLICT (id) DO UPDATE SET api_root = excluded.api_root, alias = excluded.alias,
             created_at = excluded.created_at, record = excluded.record`,
        )
        .run(
          collection.id,
          collection.apiRoot,
          collection.alias ?? null,
          collection.createdAt,
          JSON.stringify(collection),
        );
    });
    write.immediate();
  }

  delete(apiRoot: string, id: string): boolean {
    const result = this.statements
      .get('DELETE FROM collections WHERE api_root = ? AND id = ?')
      .run(apiRoot, id);
    return result.changes > 0;
  }

  key(collectionId: string): CollectionKey | undefined {
    const row = this.statements
      .get('SELECT cid, last_added FROM collections WHERE id = ?')
      .get(collectionId) as { cid: number; last_added: number | null } | undefined;
    return row === undefined ? undefined : { cid: row.cid, lastAdded: row.last_added };
  }

  /** Raises the high-water mark of a write that stored objects, which changes the content. */
  setLastAdded(cid: number, lastAdded: Micros): void {
    this.statements
      .get('UPDATE collections SET last_added = ?, revision = revision + 1 WHERE cid = ?')
      .run(lastAdded, cid);
  }

  /** Marks the content changed without new date_added values (deletes, imports below the mark). */
  touch(cid: number): void {
    this.statements.get('UPDATE collections SET revision = revision + 1 WHERE cid = ?').run(cid);
  }

  /**
   * cid and incarnation tell two lives of one id apart (SQLite may reuse a deleted cid); the
   * counter moves in the transaction of every write that changes the collection's objects.
   */
  revision(collectionId: string): string | undefined {
    const row = this.statements
      .get('SELECT cid, incarnation, revision FROM collections WHERE id = ?')
      .get(collectionId) as { cid: number; incarnation: string; revision: number } | undefined;
    return row === undefined ? undefined : `${row.cid}.${row.incarnation}.${row.revision}`;
  }
}
