// StoreTransfer for the MongoDB store (`stixgate migrate`): exact copies in and out, with the
// same idempotent inserts as ordinary writes so that a copy can be re-run after a failure.
import { ObjectId, type Collection } from 'mongodb';
import { ConflictError, NotFoundError } from '../../errors.js';
import { versionKeyFromMicros } from '../../stix/timestamp.js';
import type { AuditRecord, Micros, ObjectRecord, StatusRecord, StoreTransfer } from '../types.js';
import type { DateAddedClock } from './date-added.js';
import { toRecord } from './object-queries.js';
import { touchContent } from './object-writes.js';
import type { MongoStatuses } from './statuses.js';
import { hashJson, insertAll, type ObjectWrites } from './object-writes.js';
import { auditClockId, type AuditDoc, type CollectionDoc, type ObjectDoc } from './schema.js';

export interface TransferDeps {
  collections: Collection<CollectionDoc>;
  objects: Collection<ObjectDoc>;
  statuses: MongoStatuses;
  audit: Collection<AuditDoc>;
  auditClock: DateAddedClock;
  clock: DateAddedClock;
  writes: ObjectWrites;
  toAuditDoc: (seq: number, record: AuditRecord) => AuditDoc;
}

export class MongoTransfer implements StoreTransfer {
  constructor(private readonly deps: TransferDeps) {}

  async exportObjects(
    collectionId: string,
    afterDateAdded: Micros | undefined,
    limit: number,
  ): Promise<ObjectRecord[]> {
    const horizon = await this.deps.clock.horizon(collectionId);
    if (horizon === undefined || horizon === null) return [];
    const dateAdded: { $lte: number; $gt?: number } = { $lte: horizon };
    if (afterDateAdded !== undefined) dateAdded.$gt = afterDateAdded;
    const docs = await this.deps.objects
      .find({ collectionId, dateAdded })
      .sort({ dateAdded: 1 })
      .limit(limit)
      .toArray();
    return docs.map(toRecord);
  }

  async importObjects(collectionId: string, records: ObjectRecord[]): Promise<number> {
    const exists = await this.deps.collections.countDocuments({ _id: collectionId }, { limit: 1 });
    if (exists === 0) throw new NotFoundError('collection', collectionId);
    if (records.length === 0) return 0;
    // Skip what a previous run stored, so a re-run does not lean on duplicate-key errors.
    const present = new Set<string>();
    const ids = [...new Set(records.map((record) => record.id))];
    for await (const doc of this.deps.objects.find({ collectionId, id: { $in: ids } })) {
      present.add(`${doc.id}@${doc.version}`);
    }
    const missing = records.filter((record) => !present.has(`${record.id}@${record.version}`));
    // date_added is a paging position: two versions holding one would make `next` skip or
    // repeat. Checked before anything is written, as the embedded store's transaction does.
    const taken = await this.deps.objects.findOne(
      { collectionId, dateAdded: { $in: missing.map((record) => record.dateAdded) } },
      { projection: { _id: 0, dateAdded: 1 } },
    );
    if (taken !== null) {
      throw new ConflictError(
        `date_added ${taken.dateAdded} is already used in collection ${collectionId}`,
      );
    }
    const docs = missing.map((record) => {
      const doc: ObjectDoc & { _id: ObjectId } = {
        _id: new ObjectId(),
        collectionId,
        id: record.id,
        type: record.type,
        specVersion: record.specVersion,
        version: record.version,
        dateAdded: record.dateAdded,
        isLatest: record.isLatest,
        isFirst: record.isFirst,
        tlp: record.tlp,
        revoked: record.revoked,
        json: record.json,
      };
      // Versioned by date_added: most likely unversioned, so keep re-posts of it idempotent.
      if (record.version === versionKeyFromMicros(record.dateAdded))
        doc.unversionedHash = hashJson(record.json);
      return doc;
    });
    // Versions already there (a re-run) fail on the unique indexes and are skipped.
    const results = await insertAll(this.deps.objects, docs);
    const inserted = results.filter((result) => result === 'inserted').length;
    // The markers came from the source, which held every version; recomputing them here keeps
    // them exact even when the target already held some versions.
    await this.deps.writes.repairMarkers(collectionId, ids);
    await this.deps.clock.raise(collectionId, Math.max(...records.map((r) => r.dateAdded)));
    if (inserted > 0) await touchContent(this.deps.collections, collectionId);
    return inserted;
  }

  async exportStatuses(afterId: string | undefined, limit: number): Promise<StatusRecord[]> {
    return this.deps.statuses.list(afterId, limit);
  }

  async importAudit(records: AuditRecord[]): Promise<number> {
    const withSeq = records.filter((record) => record.seq !== undefined);
    if (withSeq.length === 0) return 0;
    const seqs = withSeq.map((record) => record.seq as number);
    const present = new Set<number>();
    for await (const doc of this.deps.audit.find({ _id: { $in: seqs } })) present.add(doc._id);
    const docs = withSeq
      .filter((record) => !present.has(record.seq as number))
      .map((record) => this.deps.toAuditDoc(record.seq as number, record));
    const results = await insertAll(this.deps.audit, docs);
    // Later appends continue after the largest seq copied.
    await this.deps.auditClock.raise(auditClockId, Math.max(...seqs));
    return results.filter((result) => result === 'inserted').length;
  }
}
