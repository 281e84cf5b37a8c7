// The MongoDB Store (chosen when MONGODB_URI is set): same contract and outcomes as the embedded
// store, for any number of stateless stixgate instances sharing one database. Nothing here is
// kept in process memory between calls; see date-added.ts for how date_added stays strictly
// increasing per collection across instances, and docs/scaling.md for deployment.
import {
  MongoClient,
  MongoServerError,
  ReadConcern,
  type Collection,
  type Db,
  type Filter,
} from 'mongodb';
import { ConflictError, InternalError } from '../../errors.js';
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
  StoreTransfer,
} from '../types.js';
import { DateAddedClock } from './date-added.js';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { guarded } from './mongo-errors.js';
import { ObjectQueries } from './object-queries.js';
import { ObjectWrites } from './object-writes.js';
import { migrateSchema, type MigrationReport } from './migrate.js';
import { MongoStatuses } from './statuses.js';
import { MongoTransfer } from './transfer.js';
import {
  collectionNames,
  ensureIndexes,
  type AuditDoc,
  type CollectionDoc,
  auditClockId,
  type CounterDoc,
  type ObjectDoc,
  type RevokedTokenDoc,
} from './schema.js';

export interface MongoStoreOptions {
  uri: string;
  /** Database name; defaults to the one in the URI, else `stixgate`. */
  dbName?: string;
  /** How long an unfinished write holds readers back before it is presumed dead (default 60 s). */
  reservationTtlMs?: number;
  /** Wall clock (ms) for reservation expiry; tests replace it. */
  wallClock?: () => number;
  /**
   * Names this instance's reservations; stable across restarts and distinct per instance, so
   * that a restarted instance releases what it left pending at once (default: the host name).
   */
  instanceId?: string;
  /** How often abandoned reservations are looked for (default: half the reservation timeout). */
  sweepIntervalMs?: number;
}

export async function openMongoStore(options: MongoStoreOptions): Promise<MongoStore> {
  const client = new MongoClient(options.uri, { retryWrites: true, retryReads: true });
  try {
    return await guarded(async () => {
      await client.connect();
      // "Nothing acknowledged is lost" (docs/scaling.md): majority, journaled writes; majority
      // reads from the primary, so a reader sees every write acknowledged before the horizon it
      // read. Set on the database handle, so that URI options (w=1, readPreference=secondary,
      // readConcernLevel=local) cannot weaken them.
      const db = client.db(options.dbName ?? (dbNameOf(options.uri) || 'stixgate'), {
        writeConcern: { w: 'majority', journal: true },
        readPreference: 'primary',
        readConcern: new ReadConcern('majority'),
      });
      const store = new MongoStore(client, db, options);
      // Before the indexes: the version index needs every document in the current layout.
      store.migration = await migrateSchema(db, (collectionId, ids) =>
        store.repairMarkers(collectionId, ids),
      );
      await ensureIndexes(db);
      await store.startMaintenance(options.sweepIntervalMs);
      return store;
    });
  } catch (error) {
    await client.close();
    throw error;
  }
}

function dbNameOf(uri: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(uri);
  return decodeURIComponent(match?.[1] ?? '');
}

export class MongoStore implements Store {
  readonly backend = 'mongodb' as const;
  private readonly collections: Collection<CollectionDoc>;
  private readonly objects: Collection<ObjectDoc>;
  private readonly statusStore: MongoStatuses;
  private readonly revoked: Collection<RevokedTokenDoc>;
  private readonly audit: Collection<AuditDoc>;
  private readonly counters: Collection<CounterDoc>;
  private readonly writes: ObjectWrites;
  private readonly reads: ObjectQueries;
  private readonly auditClock: DateAddedClock;
  private readonly clock: DateAddedClock;
  private readonly reservationTtlMs: number;
  private sweepTimer: NodeJS.Timeout | undefined;
  /** Reservations left by a previous run (or expired) that opening repaired and released. */
  abandonedAtStart = 0;
  /** What opening migrated (migrate.ts); undefined for a store constructed without opening. */
  migration: MigrationReport | undefined;
  readonly transfer: StoreTransfer;

  constructor(
    private readonly client: MongoClient,
    readonly db: Db,
    options: Pick<MongoStoreOptions, 'reservationTtlMs' | 'wallClock' | 'instanceId'> = {},
  ) {
    this.collections = db.collection<CollectionDoc>(collectionNames.collections);
    this.objects = db.collection<ObjectDoc>(collectionNames.objects);
    this.statusStore = new MongoStatuses(db);
    this.revoked = db.collection<RevokedTokenDoc>(collectionNames.revokedTokens);
    this.audit = db.collection<AuditDoc>(collectionNames.audit);
    this.counters = db.collection<CounterDoc>(collectionNames.counters);
    this.reservationTtlMs = options.reservationTtlMs ?? DEFAULT_RESERVATION_TTL_MS;
    const clockOptions = {
      reservationTtlMs: this.reservationTtlMs,
      wallClock: options.wallClock ?? Date.now,
      owner: options.instanceId ?? hostname(),
    };
    const clock = new DateAddedClock(this.collections, {
      ...clockOptions,
      endOnMillisecond: true,
      onAbandoned: (collectionId, block) => this.writes.repairBlock(collectionId, block),
    });
    this.clock = clock;
    this.auditClock = new DateAddedClock(this.counters, clockOptions);
    this.writes = new ObjectWrites(this.collections, this.objects, clock);
    this.reads = new ObjectQueries(this.objects, clock);
    this.transfer = new MongoTransfer({
      collections: this.collections,
      objects: this.objects,
      statuses: this.statusStore,
      audit: this.audit,
      auditClock: this.auditClock,
      clock,
      writes: this.writes,
      toAuditDoc,
    });
  }

  // Collections

  async listCollections(apiRoot?: string): Promise<CollectionRecord[]> {
    return guarded(async () => {
      const filter: Filter<CollectionDoc> = apiRoot === undefined ? {} : { apiRoot };
      const docs = await this.collections.find(filter).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map((doc) => JSON.parse(doc.record) as CollectionRecord);
    });
  }

  /** By id first, then by alias, both within the API root. */
  async getCollection(apiRoot: string, idOrAlias: string): Promise<CollectionRecord | undefined> {
    return guarded(async () => {
      const doc =
        (await this.collections.findOne({ _id: idOrAlias, apiRoot })) ??
        (await this.collections.findOne({ apiRoot, alias: idOrAlias }));
      return doc === null ? undefined : (JSON.parse(doc.record) as CollectionRecord);
    });
  }

  async putCollection(collection: CollectionRecord): Promise<void> {
    return guarded(async () => {
      if (collection.alias !== undefined) {
        const taken = await this.collections.findOne({
          apiRoot: collection.apiRoot,
          alias: collection.alias,
          _id: { $ne: collection.id },
        });
        // TAXII 2.1 §5.2: alias "MUST be unique within the API root".
        if (taken !== null) throw aliasTaken(collection.alias);
      }
      const set = {
        apiRoot: collection.apiRoot,
        createdAt: collection.createdAt,
        record: JSON.stringify(collection),
        ...(collection.alias === undefined ? {} : { alias: collection.alias }),
      };
      try {
        // An upsert that keeps the date_added clock of an existing collection.
        await this.collections.updateOne(
          { _id: collection.id },
          {
            $set: set,
            ...(collection.alias === undefined ? { $unset: { alias: '' } } : {}),
            $setOnInsert: { lastAdded: null, pending: [], clockRev: 0, incarnation: randomUUID() },
          },
          { upsert: true },
        );
      } catch (error) {
        // The unique index caught an alias taken concurrently by another instance.
        if (
          error instanceof MongoServerError &&
          error.code === 11000 &&
          collection.alias !== undefined
        ) {
          throw aliasTaken(collection.alias);
        }
        throw error;
      }
    });
  }

  async deleteCollection(apiRoot: string, id: string): Promise<boolean> {
    return guarded(async () => {
      const result = await this.collections.deleteOne({ _id: id, apiRoot });
      if (result.deletedCount === 0) return false;
      await this.objects.deleteMany({ collectionId: id });
      return true;
    });
  }

  async collectionRevision(collectionId: string): Promise<string | undefined> {
    return guarded(async () => {
      const doc = await this.collections.findOne(
        { _id: collectionId },
        { projection: { incarnation: 1, createdAt: 1, clockRev: 1, contentRev: 1 } },
      );
      if (doc === null) return undefined;
      // Every visible change moves one of the two counters: the clock's on every reservation,
      // release and discard (what readers may see), contentRev on the other writes.
      return `${doc.incarnation ?? `c${doc.createdAt}`}.${doc.clockRev ?? 0}.${doc.contentRev ?? 0}`;
    });
  }

  // Objects

  async addObjects(collectionId: string, objects: NewObject[], now: Micros): Promise<AddOutcome[]> {
    return guarded(async () => {
      return this.writes.add(collectionId, objects, now);
    });
  }

  async query(collectionId: string, query: ObjectQuery): Promise<ObjectPage> {
    return guarded(async () => {
      return this.reads.query(collectionId, query);
    });
  }

  async queryBodies(collectionId: string, query: ObjectQuery): Promise<BodyPage> {
    return guarded(async () => {
      return this.reads.queryBodies(collectionId, query);
    });
  }

  async deleteObject(collectionId: string, id: string, query: DeleteQuery): Promise<number> {
    return guarded(async () => {
      return this.writes.delete(collectionId, id, query);
    });
  }

  /** Recomputes the first/last markers of these objects from their stored versions. */
  async repairMarkers(collectionId: string, ids: string[]): Promise<void> {
    return guarded(async () => this.writes.repairMarkers(collectionId, ids));
  }

  async countObjects(collectionId: string): Promise<number> {
    return guarded(async () => {
      return this.reads.count(collectionId);
    });
  }

  // Status resources

  async putStatus(status: StatusRecord): Promise<void> {
    return guarded(async () => this.statusStore.put(status));
  }

  async getStatus(apiRoot: string, id: string): Promise<StatusRecord | undefined> {
    return guarded(async () => this.statusStore.get(apiRoot, id));
  }

  async purgeStatuses(updatedBefore: Micros): Promise<number> {
    return guarded(async () => this.statusStore.purge(updatedBefore));
  }

  // Token revocations

  async revokeToken(token: RevokedToken): Promise<void> {
    return guarded(async () => {
      const doc: Omit<RevokedTokenDoc, '_id'> = { revokedAt: token.revokedAt };
      if (token.expiresAt !== undefined) doc.expiresAt = token.expiresAt;
      if (token.reason !== undefined) doc.reason = token.reason;
      await this.revoked.replaceOne({ _id: token.jti }, doc, { upsert: true });
    });
  }

  async isTokenRevoked(jti: string): Promise<boolean> {
    return guarded(async () => {
      return (await this.revoked.countDocuments({ _id: jti }, { limit: 1 })) > 0;
    });
  }

  async listRevokedTokens(): Promise<RevokedToken[]> {
    return guarded(async () => {
      const docs = await this.revoked.find({}).sort({ revokedAt: 1, _id: 1 }).toArray();
      return docs.map((doc) => {
        const token: RevokedToken = { jti: doc._id, revokedAt: doc.revokedAt };
        if (doc.expiresAt !== undefined && doc.expiresAt !== null) token.expiresAt = doc.expiresAt;
        if (doc.reason !== undefined && doc.reason !== null) token.reason = doc.reason;
        return token;
      });
    });
  }

  // Audit trail

  async appendAudit(records: AuditRecord[]): Promise<void> {
    return guarded(async () => {
      if (records.length === 0) return;
      // A block of seq values from the audit clock: never reused, even after purges, and
      // hidden from queryAudit until written, so a reader paging by afterSeq never skips one.
      for (;;) {
        const block = await this.auditClock.reserve(auditClockId, records.length, 1);
        if (block === undefined) throw new InternalError('the audit seq clock is missing');
        // The seq is the store's; a caller-supplied one is not kept.
        const docs = records.map((record, index) => toAuditDoc(block.start + index, record));
        let released = false;
        try {
          await this.audit.insertMany(docs, { ordered: false });
        } finally {
          released = await this.auditClock.release(auditClockId, block.token);
        }
        if (released) return;
        // Presumed dead by a reader: move the records past what readers have passed.
        await this.audit.deleteMany({ _id: { $in: docs.map((doc) => doc._id) } });
      }
    });
  }

  /** Ascending seq; `since` is inclusive, `until` exclusive. */
  async queryAudit(query: AuditQuery): Promise<AuditRecord[]> {
    return guarded(async () => {
      const filter: Filter<AuditDoc> = {};
      const at: { $gte?: number; $lt?: number } = {};
      if (query.since !== undefined) at.$gte = query.since;
      if (query.until !== undefined) at.$lt = query.until;
      if (at.$gte !== undefined || at.$lt !== undefined) filter.at = at;
      if (query.actor !== undefined) filter.actor = query.actor;
      if (query.action !== undefined) filter.action = query.action;
      if (query.collectionId !== undefined) filter.collectionId = query.collectionId;
      if (query.groupId !== undefined) filter.groupId = query.groupId;
      const horizon = await this.auditClock.horizon(auditClockId);
      if (horizon === undefined || horizon === null) return [];
      filter._id = { $lte: horizon, ...(query.afterSeq !== undefined && { $gt: query.afterSeq }) };
      const docs = await this.audit.find(filter).sort({ _id: 1 }).limit(query.limit).toArray();
      return docs.map((doc) => ({ seq: doc._id, ...(JSON.parse(doc.record) as AuditRecord) }));
    });
  }

  async purgeAudit(before: Micros): Promise<number> {
    return guarded(async () => {
      return (await this.audit.deleteMany({ at: { $lt: before } })).deletedCount;
    });
  }

  /**
   * Releases what a previous run of this instance left pending (its writers are certainly
   * dead), repairing first, then keeps sweeping expired reservations so that markers are
   * repaired and readers released even when nobody reads.
   */
  async startMaintenance(intervalMs?: number): Promise<void> {
    this.abandonedAtStart = await this.sweepAbandoned(true);
    const every = intervalMs ?? Math.max(1_000, Math.floor(this.reservationTtlMs / 2));
    this.sweepTimer = setInterval(() => {
      this.sweepAbandoned(false).catch(() => {
        // The next sweep, or the next reader's horizon, retries.
      });
    }, every);
    this.sweepTimer.unref();
  }

  /** Abandoned reservations repaired and discarded (own: also this instance's, at start-up). */
  async sweepAbandoned(own: boolean): Promise<number> {
    return guarded(async () => {
      const objects = await this.clock.sweep(own);
      const audit = await this.auditClock.sweep(own);
      return objects + audit;
    });
  }

  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.client.close();
  }
}

/** How long an unfinished write holds readers back before it is presumed dead. */
export const DEFAULT_RESERVATION_TTL_MS = 60_000;

function aliasTaken(alias: string): ConflictError {
  return new ConflictError(`alias '${alias}' is already used in this API root`);
}

function toAuditDoc(seq: number, record: AuditRecord): AuditDoc {
  const { seq: _ignored, ...rest } = record;
  const doc: AuditDoc = {
    _id: seq,
    at: record.at,
    actor: record.actor,
    action: record.action,
    record: JSON.stringify(rest),
  };
  if (record.collectionId !== undefined) doc.collectionId = record.collectionId;
  if (record.groupId !== undefined) doc.groupId = record.groupId;
  return doc;
}
