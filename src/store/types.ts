// The storage contract every backend implements (sqlite/, mongo/). Nothing here knows HTTP,
// express or a database driver. The conformance suite in test/store/conformance.ts is the
// executable form of this contract and runs unchanged against every backend.

import type { CollectionRecord, Micros, Role, TlpCode } from '../domain.js';
import type { VersionKey } from '../stix/timestamp.js';

export type { VersionKey } from '../stix/timestamp.js';

// The domain types live in a leaf module so config/ and auth/ need not import the store.
export type {
  AccessList,
  CollectionRecord,
  Micros,
  Role,
  TlpCode,
  ValidationMode,
} from '../domain.js';

/** One object version as handed to the store by the TAXII layer (already validated). */
export interface NewObject {
  id: string;
  type: string;
  specVersion: string;
  /** `modified`, else `created`, as an exact key; null for unversioned objects (most SCOs). */
  version: VersionKey | null;
  /** TLP computed from object_marking_refs. */
  tlp: TlpCode;
  revoked: boolean;
  /** Canonical JSON serialization, stored once and served byte for byte. */
  json: string;
}

/** One stored object version. */
export interface ObjectRecord {
  id: string;
  type: string;
  specVersion: string;
  /**
   * The version: `modified`, else `created`, else `dateAdded` (TAXII 2.1 §3.4.1: objects
   * without them are versioned by date_added), as an exact key ordered like the instants.
   */
  version: VersionKey;
  /**
   * Server-assigned, strictly increasing per collection; unique within a collection. One
   * addObjects call takes consecutive values in object order, from `max(now, last + 1)` on but
   * ending on a whole millisecond (`end = ceil_ms(first + n - 1)`, `start = end - n + 1`;
   * src/store/date-added-block.ts): its last added version's date_added is a multiple of 1000,
   * so a client truncating X-TAXII-Date-Added-Last to milliseconds gets exactly that value.
   * Duplicates and conflicts take no value (one that only turns out a conflict once it would
   * get its value — an unversioned object whose date_added is already a version timestamp of
   * its id — leaves that value unused at the start of the block).
   */
  dateAdded: Micros;
  isLatest: boolean;
  isFirst: boolean;
  tlp: TlpCode;
  revoked: boolean;
  json: string;
}

export type AddOutcome =
  | { id: string; outcome: 'added'; version: VersionKey; dateAdded: Micros }
  /** Same id, same version, same bytes: success, nothing stored (TAXII 2.1 §5.5 M). */
  | { id: string; outcome: 'duplicate'; version: VersionKey; dateAdded: Micros }
  /** Same id and version but different content: refused (STIX 2.1 §3.6 leaves it undefined). */
  | { id: string; outcome: 'conflict'; version: VersionKey; message: string };

/**
 * Which versions of each matching object to return (TAXII 2.1 §3.4.1). `last` is the
 * default. `all` stands alone; otherwise first, last and exact versions are ORed.
 */
export type VersionSelector =
  { kind: 'all' } | { kind: 'some'; first: boolean; last: boolean; versions: VersionKey[] };

/**
 * What the caller may see, decided from stored metadata and pushed down into the query so
 * that pages stay full and `more` is computed over the served set.
 */
export interface Visibility {
  /** Only these TLP codes are returned; absent = no restriction. */
  tlp?: TlpCode[];
  /** Object types never returned. */
  excludeTypes?: string[];
}

export interface ObjectQuery {
  /** Strictly after this date_added (TAXII added_after, or the position of a `next` cursor). */
  addedAfter?: Micros;
  ids?: string[];
  types?: string[];
  versions: VersionSelector;
  /** Absent = every spec version (the TAXII default is applied by taxii/filter.ts). */
  specVersions?: readonly string[];
  /** At least 1; the TAXII layer applies the server maximum before calling. */
  limit: number;
  visibility?: Visibility;
}

/** Records in ascending date_added order; `more` when further records match. */
export interface ObjectPage {
  records: ObjectRecord[];
  more: boolean;
}

/**
 * The records of `query()` reduced to what a raw page serves: their positions and their stored
 * bytes, already joined, so that serving a page copies bytes instead of building strings.
 * Same records, same order, same `more`.
 */
export interface BodyPage {
  /** date_added of each record, ascending. */
  positions: Micros[];
  /** The records' stored JSON (UTF-8), in that order, separated by single commas. */
  body: Buffer;
  /** Byte offset in `body` where each record ends: record i is body[ends[i-1]+1 … ends[i]). */
  ends: number[];
  more: boolean;
}

export interface DeleteQuery {
  versions: VersionSelector;
  /** Absent = every spec version. */
  specVersions?: readonly string[];
}

export interface StatusDetail {
  id: string;
  version: string;
  message?: string;
}

/** TAXII 2.1 §4.3 status resource, plus who submitted it (only they and admins may read it). */
export interface StatusRecord {
  id: string;
  apiRoot: string;
  collectionId: string;
  submitter: string;
  status: 'pending' | 'complete';
  requestTimestamp: string;
  totalCount: number;
  successCount: number;
  failureCount: number;
  pendingCount: number;
  successes: StatusDetail[];
  failures: StatusDetail[];
  pendings: StatusDetail[];
  /** For retention (status kept ≥ 24 h after completion, TAXII §4.3 S). */
  updatedAt: Micros;
}

export interface RevokedToken {
  jti: string;
  revokedAt: Micros;
  /** When the token would have expired anyway; the record may be purged after it. */
  expiresAt?: Micros;
  reason?: string;
}

/** One audited event (R14). Never holds matched text, tokens or object bodies. */
export interface AuditRecord {
  /** Assigned by the store; strictly increasing. */
  seq?: number;
  at: Micros;
  actor: string;
  role: Role;
  groups: string[];
  /** e.g. `objects.read`, `policy.reload`, `token.revoke`, `collection.create`. */
  action: string;
  apiRoot?: string;
  collectionId?: string;
  groupId?: string;
  policyRevision?: number;
  /** Object ids served: original → derived. */
  served?: { original: string; derived: string }[];
  /** Rule hits by field path (R14), never the matched text. */
  ruleHits?: { rule: string; path: string; operator: string; objectId?: string }[];
  withheld?: number;
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  since?: Micros;
  until?: Micros;
  actor?: string;
  action?: string;
  collectionId?: string;
  groupId?: string;
  /** Records with seq greater than this (paging). */
  afterSeq?: number;
  limit: number;
}

export interface Store {
  readonly backend: 'sqlite' | 'mongodb';

  // Collections (API roots are configuration, collections live in the store).
  listCollections(apiRoot?: string): Promise<CollectionRecord[]>;
  /** By id or alias within the API root. */
  getCollection(apiRoot: string, idOrAlias: string): Promise<CollectionRecord | undefined>;
  /** Insert or replace by id. Throws ConflictError when the alias is taken by another collection. */
  putCollection(collection: CollectionRecord): Promise<void>;
  /** Removes the collection and all its objects; false when it did not exist. */
  deleteCollection(apiRoot: string, id: string): Promise<boolean>;

  // Objects. All writes of one call are one transaction / one idempotent unit.
  addObjects(collectionId: string, objects: NewObject[], now: Micros): Promise<AddOutcome[]>;
  query(collectionId: string, query: ObjectQuery): Promise<ObjectPage>;
  /**
   * The same selection as query(), reduced to date_added and the stored bytes: the raw read
   * path reads no other column (a page costs what its bytes cost).
   */
  queryBodies(collectionId: string, query: ObjectQuery): Promise<BodyPage>;
  /** Deletes the selected versions of one object and fixes first/last markers; returns how many. */
  deleteObject(collectionId: string, id: string, query: DeleteQuery): Promise<number>;
  countObjects(collectionId: string): Promise<number>;
  /**
   * An opaque value that changes whenever what query() or queryBodies() could return for the
   * collection changes (objects added, deleted, imported, markers repaired), and that a
   * collection deleted and created again under the same id never repeats. Equal values mean
   * equal answers to the same query, which lets a reader cache pages (store/cached-reads.ts).
   * Undefined when the collection does not exist.
   */
  collectionRevision(collectionId: string): Promise<string | undefined>;

  // Status resources.
  putStatus(status: StatusRecord): Promise<void>;
  getStatus(apiRoot: string, id: string): Promise<StatusRecord | undefined>;
  purgeStatuses(updatedBefore: Micros): Promise<number>;

  // Token revocations (shared by every instance on the same store).
  revokeToken(token: RevokedToken): Promise<void>;
  isTokenRevoked(jti: string): Promise<boolean>;
  listRevokedTokens(): Promise<RevokedToken[]>;

  // Audit trail.
  appendAudit(records: AuditRecord[]): Promise<void>;
  queryAudit(query: AuditQuery): Promise<AuditRecord[]>;
  purgeAudit(before: Micros): Promise<number>;

  /** Bulk copy for `stixgate migrate`; optional, a backend without it cannot take part. */
  readonly transfer?: StoreTransfer;

  close(): Promise<void>;
}

/**
 * Exact copy of a store's content to another backend (`stixgate migrate`): unlike addObjects,
 * date_added values and markers are taken as given. Re-running a copy is harmless.
 */
export interface StoreTransfer {
  /** Every stored version with date_added > `afterDateAdded`, any spec version, ascending date_added. */
  exportObjects(
    collectionId: string,
    afterDateAdded: Micros | undefined,
    limit: number,
  ): Promise<ObjectRecord[]>;
  /**
   * Stores the versions exactly as given into an existing collection, skipping any (id, version)
   * already stored, and raises the collection's date_added high-water mark to the largest one
   * imported. Returns how many were stored. Throws NotFoundError for an unknown collection.
   */
  importObjects(collectionId: string, records: ObjectRecord[]): Promise<number>;
  /** Status resources in ascending id order, after `afterId`. */
  exportStatuses(afterId: string | undefined, limit: number): Promise<StatusRecord[]>;
  /**
   * Appends audit records keeping their `seq` (records whose seq is already stored are skipped)
   * and makes later appends continue after the largest one. Returns how many were stored.
   */
  importAudit(records: AuditRecord[]): Promise<number>;
}
