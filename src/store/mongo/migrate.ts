// Forward-only migrations of the MongoDB documents, run by every instance at open before the
// indexes are made. Each step is idempotent and safe while other upgraded instances run it
// too: documents are only ever changed from the old layout to the new one, by conditional
// updates, and the schema version only grows. Instances of an older build must be stopped
// first (they would write the old layout).
import type { AnyBulkWriteOperation, Collection, Db, Document } from 'mongodb';
import { ConfigError } from '../../errors.js';
import { versionOf } from '../../stix/object-version.js';
import { formatTaxiiTimestamp, type VersionKey } from '../../stix/timestamp.js';
import { collectionNames, latestSchemaVersion, type MetaDoc, type ObjectDoc } from './schema.js';

const schemaDocId = 'schema';
/** Updates sent per bulk write while backfilling. */
const batchSize = 1000;

/** What one open migrated, for tests and the start-up log. */
export interface MigrationReport {
  from: number;
  to: number;
  /** Documents whose `version` was filled in. */
  versionsFilled: number;
  /** Of those, the ones whose stored double was not their exact instant. */
  versionsCorrected: number;
}

/** A schema-1 document: the version as a double of microseconds. */
type LegacyObjectDoc = Omit<ObjectDoc, 'version'> & {
  _id: unknown;
  version?: VersionKey;
  versionMicros?: number;
};

/** Ids of objects whose markers must be recomputed, by collection. */
export type RepairMarkers = (collectionId: string, ids: string[]) => Promise<void>;

export async function migrateSchema(db: Db, repair: RepairMarkers): Promise<MigrationReport> {
  const meta = db.collection<MetaDoc>(collectionNames.meta);
  const current = (await meta.findOne({ _id: schemaDocId }))?.version ?? 1;
  if (current > latestSchemaVersion) {
    throw new ConfigError(
      'MONGODB_URI',
      `database schema version ${current} is newer than this stixgate supports (${latestSchemaVersion})`,
    );
  }
  const report: MigrationReport = {
    from: current,
    to: latestSchemaVersion,
    versionsFilled: 0,
    versionsCorrected: 0,
  };
  if (current < 2) await toVersionKeys(db, repair, report);
  // Only ever raised: when the document already holds this version or a later one, the filter
  // misses and the upsert's insert fails on the _id, which is the answer we want.
  await meta
    .updateOne(
      { _id: schemaDocId, version: { $lt: latestSchemaVersion } },
      { $set: { version: latestSchemaVersion } },
      { upsert: true },
    )
    .catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== 11000) throw error;
    });
  return report;
}

/**
 * Schema 1 → 2: each object gets `version`, the exact key of its stored body's `modified`, else
 * `created` (the rule ingest applies), else of the old double, which for an object without
 * either was its date_added (a server clock value, so exact). An older build stored versions
 * beyond 2255 rounded; the body still holds the instant, so those are corrected, and their
 * markers recomputed. Then the unique index on the double goes, and the double with it.
 */
async function toVersionKeys(
  db: Db,
  repair: RepairMarkers,
  report: MigrationReport,
): Promise<void> {
  // Untyped: these documents are in the old layout, or half way.
  const objects = db.collection(collectionNames.objects);
  const corrected = new Map<string, Set<string>>();
  let batch: { _id: unknown; version: VersionKey }[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const updates: AnyBulkWriteOperation[] = batch.map(({ _id, version }) => ({
      updateOne: {
        filter: { _id, version: { $exists: false } } as Document,
        update: { $set: { version } },
      },
    }));
    await objects.bulkWrite(updates, { ordered: false });
    batch = [];
  };
  // Whole documents: the server may ignore projections.
  for await (const found of objects.find({ version: { $exists: false } })) {
    const doc = found as LegacyObjectDoc;
    const version = versionKeyOfDoc(doc);
    if (doc.versionMicros === undefined || formatTaxiiTimestamp(doc.versionMicros) !== version) {
      const ids = corrected.get(doc.collectionId) ?? new Set<string>();
      ids.add(doc.id);
      corrected.set(doc.collectionId, ids);
      report.versionsCorrected++;
    }
    batch.push({ _id: doc._id, version });
    report.versionsFilled++;
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  await dropLegacyIndex(objects);
  await objects.updateMany({ versionMicros: { $exists: true } }, { $unset: { versionMicros: '' } });
  for (const [collectionId, ids] of corrected) await repair(collectionId, [...ids]);
}

function versionKeyOfDoc(doc: LegacyObjectDoc): VersionKey {
  let body: unknown;
  try {
    body = JSON.parse(doc.json);
  } catch {
    body = undefined;
  }
  return versionOf(body) ?? (formatTaxiiTimestamp(doc.versionMicros ?? 0) as VersionKey);
}

/** Schema 1's unique (collectionId, id, versionMicros) index, named objects_by_id. */
async function dropLegacyIndex(objects: Collection<Document>): Promise<void> {
  const indexes = await objects
    .listIndexes()
    .toArray()
    .catch(() => []);
  const legacy = indexes.find(
    (index) =>
      index.name === 'objects_by_id' &&
      Object.keys((index.key ?? {}) as Record<string, unknown>).includes('versionMicros'),
  );
  if (legacy === undefined) return;
  await objects.dropIndex('objects_by_id').catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    // Another instance dropped it first.
    if (code === 27 /* IndexNotFound */) return;
    // Left in place it would refuse the second version of every object (its key is gone from
    // the documents), so a server that cannot drop it must not be used as is.
    if (code === 59 /* CommandNotFound */) {
      throw new ConfigError(
        'MONGODB_URI',
        'the index objects.objects_by_id of an older stixgate must be dropped, and this server cannot drop indexes; drop it by hand and start again',
      );
    }
    throw error;
  });
}
