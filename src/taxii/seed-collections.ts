// Puts the configured collections into the store at start. Collections declared in the file
// are the configuration's to own: created when missing, updated when they differ (keeping
// createdAt, so the listing order is stable). The built-in default collection is only
// created when its API root has no collections at all.
import type { Config, CollectionSeed } from '../config/types.js';
import type { CollectionRecord, Micros, Store } from '../store/types.js';

export interface SeedSummary {
  created: string[];
  updated: string[];
}

export async function seedCollections(
  store: Store,
  config: Readonly<Config>,
  now: Micros,
): Promise<SeedSummary> {
  const summary: SeedSummary = { created: [], updated: [] };
  for (const [i, seed] of config.collections.entries()) {
    if (config.usesDefaultCollections) {
      const existing = await store.listCollections(seed.apiRoot);
      if (existing.length > 0) continue;
    }
    const current = await store.getCollection(seed.apiRoot, seed.id);
    const record = collectionRecordOf(seed, current?.createdAt ?? now + i);
    if (current === undefined) {
      await store.putCollection(record);
      summary.created.push(seed.id);
    } else if (!sameCollection(current, record)) {
      await store.putCollection(record);
      summary.updated.push(seed.id);
    }
  }
  return summary;
}

/** The stored form of a validated collection declaration. */
export function collectionRecordOf(seed: CollectionSeed, createdAt: Micros): CollectionRecord {
  const record: CollectionRecord = {
    id: seed.id,
    apiRoot: seed.apiRoot,
    title: seed.title,
    read: { roles: [...new Set(seed.read.roles)], groups: [...new Set(seed.read.groups)] },
    write: { roles: [...new Set(seed.write.roles)], groups: [...new Set(seed.write.groups)] },
    validation: seed.validation,
    defaultTlp: seed.defaultTlp,
    createdAt,
  };
  if (seed.description !== undefined) record.description = seed.description;
  if (seed.alias !== undefined) record.alias = seed.alias;
  if (seed.partnerTitle !== undefined) record.partnerTitle = seed.partnerTitle;
  if (seed.partnerDescription !== undefined) record.partnerDescription = seed.partnerDescription;
  return record;
}

function sameCollection(a: CollectionRecord, b: CollectionRecord): boolean {
  const canonical = (c: CollectionRecord): string =>
    JSON.stringify([
      c.id,
      c.apiRoot,
      c.title,
      c.description,
      c.alias,
      c.read,
      c.write,
      c.validation,
      c.defaultTlp,
      c.partnerTitle,
      c.partnerDescription,
    ]);
  return canonical(a) === canonical(b);
}
