// Object reads: one filter per query, walked in date_added order over the index chosen for it
// (pinned with a hint, so a plan cannot silently regress to sorting the collection), bounded
// above by the visibility horizon (date-added.ts) so that paging never skips a late commit.
// Visibility is part of the filter, so the limit counts only what the caller may see.
import type { Collection, Filter } from 'mongodb';
import { bodyPageOf } from '../body-page.js';
import type { BodyPage, ObjectPage, ObjectQuery, ObjectRecord } from '../types.js';
import type { DateAddedClock } from './date-added.js';
import { versionFilter } from './filters.js';
import { objectIndexes, type ObjectDoc } from './schema.js';

/** The fields of a stored version a caller may see; never `_id`, hashes or other internals. */
export function toRecord(doc: ObjectDoc): ObjectRecord {
  return {
    id: doc.id,
    type: doc.type,
    specVersion: doc.specVersion,
    version: doc.version,
    dateAdded: doc.dateAdded,
    isLatest: doc.isLatest,
    isFirst: doc.isFirst,
    tlp: doc.tlp,
    revoked: doc.revoked,
    json: doc.json,
  };
}

/** The index a query walks; see schema.ts for why each exists. */
export function chooseIndex(query: ObjectQuery): string {
  const selector = query.versions;
  const lastOnly =
    selector.kind === 'some' && selector.last && !selector.first && selector.versions.length === 0;
  const firstOnly =
    selector.kind === 'some' && selector.first && !selector.last && selector.versions.length === 0;
  if (query.ids !== undefined) return objectIndexes.byId;
  if (query.types !== undefined)
    return lastOnly ? objectIndexes.latestByType : objectIndexes.byType;
  if (lastOnly && query.visibility?.tlp !== undefined) return objectIndexes.latestByTlp;
  if (lastOnly) return objectIndexes.latest;
  if (firstOnly) return objectIndexes.first;
  return objectIndexes.byAdded;
}

/** The filter of a query, or undefined when it can match nothing. */
export function buildObjectFilter(
  collectionId: string,
  query: ObjectQuery,
  horizon: number,
): Filter<ObjectDoc> | undefined {
  const dateAdded: { $lte: number; $gt?: number } = { $lte: horizon };
  if (query.addedAfter !== undefined) dateAdded.$gt = query.addedAfter;
  const filter: Filter<ObjectDoc> = { collectionId, dateAdded };
  const version = versionFilter(query.versions);
  if (version === 'none') return undefined;
  // Equality on the marker first: it is the second key of the marker indexes.
  if (version !== undefined) Object.assign(filter, version);
  const type: { $in?: string[]; $nin?: string[] } = {};
  if (query.types !== undefined) type.$in = [...new Set(query.types)];
  const excluded = query.visibility?.excludeTypes;
  if (excluded !== undefined && excluded.length > 0) type.$nin = excluded;
  if (type.$in !== undefined || type.$nin !== undefined) filter.type = type;
  if (query.ids !== undefined) filter.id = { $in: [...new Set(query.ids)] };
  if (query.specVersions !== undefined) filter.specVersion = { $in: query.specVersions };
  if (query.visibility?.tlp !== undefined) filter.tlp = { $in: query.visibility.tlp };
  return filter;
}

export class ObjectQueries {
  constructor(
    private readonly objects: Collection<ObjectDoc>,
    private readonly clock: DateAddedClock,
  ) {}

  async query(collectionId: string, query: ObjectQuery): Promise<ObjectPage> {
    const { docs, more } = await this.find(collectionId, query);
    return { records: docs.map(toRecord), more };
  }

  async queryBodies(collectionId: string, query: ObjectQuery): Promise<BodyPage> {
    const { docs, more } = await this.find(collectionId, query, { _id: 0, dateAdded: 1, json: 1 });
    return bodyPageOf(docs, more);
  }

  private async find(
    collectionId: string,
    query: ObjectQuery,
    projection?: Record<string, 0 | 1>,
  ): Promise<{ docs: ObjectDoc[]; more: boolean }> {
    // The horizon is read before the objects: everything at or below it was written already.
    const horizon = await this.clock.horizon(collectionId);
    if (horizon === undefined || horizon === null) return { docs: [], more: false };
    const filter = buildObjectFilter(collectionId, query, horizon);
    if (filter === undefined) return { docs: [], more: false };
    const cursor = this.objects
      .find(filter)
      .sort({ dateAdded: 1 })
      .hint(chooseIndex(query))
      .limit(query.limit + 1);
    const docs: ObjectDoc[] =
      projection === undefined
        ? await cursor.toArray()
        : await cursor.project<ObjectDoc>(projection).toArray();
    return { docs: docs.slice(0, query.limit), more: docs.length > query.limit };
  }

  async count(collectionId: string): Promise<number> {
    return this.objects.countDocuments({ collectionId });
  }
}
