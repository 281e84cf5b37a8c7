// A request naming ids (object, versions, match[id]) may name a pseudonymous identity or
// location id; its original is looked up by pseudonymizing the stored ones.
import { pseudonymizeId } from '../sharing/pseudonym.js';
import { isPseudonymizedById, typeOfId } from '../sharing/rules/r04-pseudonyms.js';
import { LATEST_SPEC_VERSIONS } from '../stix/spec-versions.js';
import type { CollectionRecord, Store, Visibility } from '../store/types.js';
import type { ResolvedAudience, SharingState } from './state.js';

/** Bound on the identities/locations scanned to find the original of a pseudonymous id. */
export const MAX_PSEUDONYM_SCAN = 20_000;

/**
 * R4 pseudonyms are one-way: the original of a requested pseudonymous identity or location id
 * is found by pseudonymizing the ids of that type stored in the collection (what the audience
 * may see) until one matches. Only types pseudonymized by id are searched; SCOs re-identified
 * by content (R7) are listed and referenced, but cannot be fetched by their new id.
 */
export async function resolvePseudonymIds(
  store: Store,
  state: SharingState,
  resolved: ResolvedAudience,
  collection: CollectionRecord,
  visibility: Visibility,
  ids: readonly string[],
): Promise<string[]> {
  const out = new Set(ids);
  const env = { registry: state.prepared.registry, index: state.prepared.index };
  for (const type of ['identity', 'location']) {
    const wanted = new Set(ids.filter((id) => typeOfId(id) === type));
    if (wanted.size === 0) continue;
    let addedAfter: number | undefined;
    for (let scanned = 0; wanted.size > 0 && scanned < MAX_PSEUDONYM_SCAN;) {
      const page = await store.query(collection.id, {
        types: [type],
        versions: { kind: 'some', first: false, last: true, versions: [] },
        specVersions: LATEST_SPEC_VERSIONS,
        limit: 1000,
        visibility,
        ...(addedAfter !== undefined && { addedAfter }),
      });
      for (const record of page.records) {
        if (!isPseudonymizedById(record.id, env)) continue;
        const pseudonym = pseudonymizeId(resolved.key, record.id);
        if (wanted.delete(pseudonym)) out.add(record.id);
      }
      scanned += page.records.length;
      const last = page.records.at(-1);
      if (!page.more || last === undefined) break;
      addedAfter = last.dateAdded;
    }
  }
  return [...out];
}
