// Documents of the MongoDB store and the indexes created at start. Every index below exists for
// a named query; `createIndexes` with fixed names is idempotent, so every instance runs it.
import type { Db, IndexDescription } from 'mongodb';
import type { TlpCode, VersionKey } from '../types.js';

export const collectionNames = {
  collections: 'collections',
  objects: 'objects',
  statuses: 'statuses',
  statusParts: 'status_parts',
  revokedTokens: 'revoked_tokens',
  audit: 'audit',
  counters: 'counters',
  meta: 'meta',
} as const;

/**
 * The layout of the documents, kept in `meta` as `{ _id: 'schema', version }` (migrate.ts):
 * 1 held versions as `versionMicros`, a double; 2 holds them as `version`, the exact key.
 */
export const latestSchemaVersion = 2;

export interface MetaDoc {
  _id: string;
  version: number;
}

/** A date_added block handed to one in-flight write (see date-added.ts). */
export interface Reservation {
  token: string;
  start: number;
  end: number;
  /** Wall-clock milliseconds after which a reader may discard it (writer presumed dead). */
  expiresAt: number;
  /** The instance that reserved it (so that, restarted, it releases its own at once). */
  owner?: string;
}

/** A document carrying a clock (date-added.ts): collections, and the audit seq counter. */
export interface ClockDoc {
  _id: string;
  /** High-water mark; never decreases, so a value is never handed out twice. */
  lastAdded: number | null;
  /** Blocks handed to in-flight writes; readers only see values below the first. */
  pending: Reservation[];
  /** Bumped by every change of lastAdded/pending: the compare-and-set guard. */
  clockRev: number;
}

export interface CollectionDoc extends ClockDoc {
  apiRoot: string;
  alias?: string;
  createdAt: number;
  /** The CollectionRecord as JSON, read back as is. */
  record: string;
  /**
   * Random per created collection (absent on documents of older builds): two lives of one id
   * never share a content revision.
   */
  incarnation?: string;
  /**
   * Moved by writes that change the objects without moving the clock (deletes, imports, marker
   * repairs); with clockRev it is the content revision (Store.collectionRevision).
   */
  contentRev?: number;
}

export interface ObjectDoc {
  collectionId: string;
  id: string;
  type: string;
  specVersion: string;
  /** YYYY-MM-DDTHH:MM:SS.ffffffZ: exact, and string order is chronological order. */
  version: VersionKey;
  dateAdded: number;
  isLatest: boolean;
  isFirst: boolean;
  tlp: TlpCode;
  revoked: boolean;
  /** The canonical JSON string, stored as a string so that the bytes served are the bytes posted. */
  json: string;
  /**
   * Only on unversioned objects (versioned by date_added): SHA-256 of `json`, the key that makes
   * re-posting the same bytes idempotent across retries and instances.
   */
  unversionedHash?: string;
}

export interface StatusDoc {
  _id: string;
  apiRoot: string;
  updatedAt: number;
  /** The record's JSON text, or its first part when `parts` > 0 (see statuses.ts). */
  record: string;
  /** How many further parts live in `status_parts`. */
  parts?: number;
}

/** One further part of a large status record; `_id` is `<status id>#<n>`. */
export interface StatusPartDoc {
  _id: string;
  statusId: string;
  n: number;
  updatedAt: number;
  text: string;
}

export interface RevokedTokenDoc {
  _id: string;
  revokedAt: number;
  expiresAt?: number;
  reason?: string;
}

export interface AuditDoc {
  /** The seq. */
  _id: number;
  at: number;
  actor: string;
  action: string;
  collectionId?: string;
  groupId?: string;
  record: string;
}

/** `counters`: `{ _id: 'audit' }` is the clock of audit seq values. */
export type CounterDoc = ClockDoc;

export const auditClockId = 'audit';

export const objectIndexes = {
  // Schema 1 called its (collectionId, id, versionMicros) index objects_by_id; a new name,
  // so that migrate.ts can drop the old one by name while other instances create this one.
  byId: 'objects_by_version',
  byAdded: 'objects_by_added',
  latest: 'objects_latest',
  first: 'objects_first',
  latestByType: 'objects_latest_by_type',
  latestByTlp: 'objects_latest_by_tlp',
  byType: 'objects_by_type',
  unversioned: 'objects_unversioned',
} as const;

const objectIndexSpecs: IndexDescription[] = [
  // One version per (collection, id, version): duplicate/conflict detection and idempotent
  // retries (the upsert key of versioned objects), the versions of one object, marker upkeep,
  // match[id] and deletes.
  { name: objectIndexes.byId, key: { collectionId: 1, id: 1, version: 1 }, unique: true },
  // match[version]=all (and first/last/exact combinations) in date_added order, and collection
  // deletion. Not unique: date_added uniqueness comes from the reservation protocol
  // (date-added.ts), and a sharded cluster only allows unique indexes prefixed by the shard key
  // ({collectionId, id}, docs/scaling.md).
  { name: objectIndexes.byAdded, key: { collectionId: 1, dateAdded: 1 } },
  // The default query (match[version]=last, date_added > position, limit n): an index walk over
  // latest versions only, so a page costs the same at any depth and old versions are skipped.
  { name: objectIndexes.latest, key: { collectionId: 1, isLatest: 1, dateAdded: 1 } },
  // Same walk for match[version]=first.
  { name: objectIndexes.first, key: { collectionId: 1, isFirst: 1, dateAdded: 1 } },
  // match[type] with the default version: one point interval per type, merged in date_added
  // order by the server (SORT_MERGE), so no in-memory sort and no old versions visited.
  {
    name: objectIndexes.latestByType,
    key: { collectionId: 1, isLatest: 1, type: 1, dateAdded: 1 },
  },
  // A partner allowed only some TLP codes (visibility pushed down): one point interval per
  // allowed code, merged in date_added order, so a page costs O(limit) even when almost
  // nothing in the collection is visible to that partner.
  { name: objectIndexes.latestByTlp, key: { collectionId: 1, isLatest: 1, tlp: 1, dateAdded: 1 } },
  // match[type] with any other version selector.
  { name: objectIndexes.byType, key: { collectionId: 1, type: 1, dateAdded: 1 } },
  // Idempotent re-posts of unversioned objects (most SCOs): same bytes, same id → one version.
  {
    name: objectIndexes.unversioned,
    key: { collectionId: 1, id: 1, unversionedHash: 1 },
    unique: true,
    partialFilterExpression: { unversionedHash: { $type: 'string' } },
  },
];

export async function ensureIndexes(db: Db): Promise<void> {
  await db.collection(collectionNames.objects).createIndexes(objectIndexSpecs);
  await db.collection(collectionNames.collections).createIndexes([
    // TAXII 2.1 §5.2: an alias is unique within its API root (the race-proof half of the check).
    {
      name: 'collections_alias',
      key: { apiRoot: 1, alias: 1 },
      unique: true,
      partialFilterExpression: { alias: { $type: 'string' } },
    },
    // Collection lists come in (createdAt, id) order, which is stable (TAXII §5.1).
    { name: 'collections_by_root', key: { apiRoot: 1, createdAt: 1, _id: 1 } },
  ]);
  await db.collection(collectionNames.statuses).createIndexes([
    // Retention purge (TAXII §4.3: kept at least 24 h after completion).
    { name: 'statuses_by_updated', key: { updatedAt: 1 } },
  ]);
  await db.collection(collectionNames.statusParts).createIndexes([
    // Reassembly of one status in part order.
    { name: 'status_parts_by_status', key: { statusId: 1, n: 1 } },
    // Retention purge, together with the statuses themselves.
    { name: 'status_parts_by_updated', key: { updatedAt: 1 } },
  ]);
  await db.collection(collectionNames.revokedTokens).createIndexes([
    // listRevokedTokens order.
    { name: 'revoked_by_time', key: { revokedAt: 1, _id: 1 } },
  ]);
  // The audit seq clock must exist before the first reservation.
  await db
    .collection<ClockDoc>(collectionNames.counters)
    .updateOne(
      { _id: auditClockId },
      { $setOnInsert: { lastAdded: null, pending: [], clockRev: 0 } },
      { upsert: true },
    );
  await db.collection(collectionNames.audit).createIndexes([
    // Retention purge and since/until filters.
    { name: 'audit_by_at', key: { at: 1 } },
  ]);
}

/** Names of the indexes ensureIndexes creates, per MongoDB collection (for tests and docs). */
export const expectedIndexes: Record<string, string[]> = {
  [collectionNames.objects]: objectIndexSpecs.map((spec) => spec.name ?? ''),
  [collectionNames.collections]: ['collections_alias', 'collections_by_root'],
  [collectionNames.statuses]: ['statuses_by_updated'],
  [collectionNames.statusParts]: ['status_parts_by_status', 'status_parts_by_updated'],
  [collectionNames.revokedTokens]: ['revoked_by_time'],
  [collectionNames.audit]: ['audit_by_at'],
};
