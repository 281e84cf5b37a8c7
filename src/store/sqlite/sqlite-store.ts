// The embedded Store: one SQLite file (<dataDir>/stixgate.db, WAL) that several processes may
// open at once. better-sqlite3 is synchronous; results are wrapped in promises for the contract.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type {
  AddOutcome,
  AuditQuery,
  AuditRecord,
  BodyPage,
  CollectionRecord,
  DeleteQuery,
  Micros,
  NewObject,
  ObjectPage,
  ObjectQuery,
  RevokedToken,
  StatusRecord,
  Store,
} from '../types.js';
import { AuditLog } from './audit.js';
import { Collections } from './collections.js';
import { openDatabase, StatementCache, type Db } from './database.js';
import { ObjectQueries } from './object-queries.js';
import { ObjectWrites } from './object-writes.js';
import { Revocations } from './revocations.js';
import { migrate } from './schema.js';
import { Statuses } from './statuses.js';
import { guarded } from './sqlite-errors.js';
import { SqliteTransfer } from './transfer.js';

export const databaseFileName = 'stixgate.db';

export interface SqliteStoreOptions {
  /** Directory holding stixgate.db; created when missing. */
  dataDir: string;
  busyTimeoutMs?: number;
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, databaseFileName);
  const db = await guarded(() => openDatabase({ file, busyTimeoutMs: options.busyTimeoutMs }));
  try {
    await guarded(() => migrate(db));
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteStore(db);
}

export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  private readonly collections: Collections;
  private readonly writes: ObjectWrites;
  private readonly reads: ObjectQueries;
  private readonly statuses: Statuses;
  private readonly revocations: Revocations;
  private readonly audit: AuditLog;
  /** Bulk copy for `stixgate migrate`. */
  readonly transfer: SqliteTransfer;

  constructor(readonly db: Db) {
    const statements = new StatementCache(db);
    this.collections = new Collections(db, statements);
    this.writes = new ObjectWrites(db, statements, this.collections);
    this.reads = new ObjectQueries(db, statements, this.collections);
    this.statuses = new Statuses(statements);
    this.revocations = new Revocations(statements);
    this.audit = new AuditLog(db, statements);
    this.transfer = new SqliteTransfer(db, statements, this.collections);
  }

  async listCollections(apiRoot?: string): Promise<CollectionRecord[]> {
    return guarded(() => this.collections.list(apiRoot));
  }

  async getCollection(apiRoot: string, idOrAlias: string): Promise<CollectionRecord | undefined> {
    return guarded(() => this.collections.get(apiRoot, idOrAlias));
  }

  async putCollection(collection: CollectionRecord): Promise<void> {
    return guarded(() => this.collections.put(collection));
  }

  async deleteCollection(apiRoot: string, id: string): Promise<boolean> {
    return guarded(() => this.collections.delete(apiRoot, id));
  }

  async addObjects(collectionId: string, objects: NewObject[], now: Micros): Promise<AddOutcome[]> {
    return guarded(() => this.writes.add(collectionId, objects, now));
  }

  async query(collectionId: string, query: ObjectQuery): Promise<ObjectPage> {
    return guarded(() => this.reads.query(collectionId, query));
  }

  async queryBodies(collectionId: string, query: ObjectQuery): Promise<BodyPage> {
    return guarded(() => this.reads.queryBodies(collectionId, query));
  }

  async deleteObject(collectionId: string, id: string, query: DeleteQuery): Promise<number> {
    return guarded(() => this.writes.delete(collectionId, id, query));
  }

  async countObjects(collectionId: string): Promise<number> {
    return guarded(() => this.reads.count(collectionId));
  }

  async collectionRevision(collectionId: string): Promise<string | undefined> {
    return guarded(() => this.collections.revision(collectionId));
  }

  async putStatus(status: StatusRecord): Promise<void> {
    return guarded(() => this.statuses.put(status));
  }

  async getStatus(apiRoot: string, id: string): Promise<StatusRecord | undefined> {
    return guarded(() => this.statuses.get(apiRoot, id));
  }

  async purgeStatuses(updatedBefore: Micros): Promise<number> {
    return guarded(() => this.statuses.purge(updatedBefore));
  }

  async revokeToken(token: RevokedToken): Promise<void> {
    return guarded(() => this.revocations.revoke(token));
  }

  async isTokenRevoked(jti: string): Promise<boolean> {
    return guarded(() => this.revocations.isRevoked(jti));
  }

  async listRevokedTokens(): Promise<RevokedToken[]> {
    return guarded(() => this.revocations.list());
  }

  async appendAudit(records: AuditRecord[]): Promise<void> {
    return guarded(() => this.audit.append(records));
  }

  async queryAudit(query: AuditQuery): Promise<AuditRecord[]> {
    return guarded(() => this.audit.query(query));
  }

  async purgeAudit(before: Micros): Promise<number> {
    return guarded(() => this.audit.purge(before));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
