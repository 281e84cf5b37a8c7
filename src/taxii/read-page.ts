// One page of object records as the caller may see them: shared by objects, object,
// versions and manifest. Sorting is ascending date_added (TAXII 2.1 §3.3); `added_after` is
// strict (§3.4); `next` is a sealed date_added position (cursor.ts).
import type { Principal } from '../auth/principal.js';
import type { CollectionRecord, ObjectRecord, VersionSelector } from '../store/types.js';
import type { TaxiiDeps } from './deps.js';
import { effectiveLimit, normalizeFilter, type TaxiiFilter } from './filter.js';
import type { ReadContext } from './read-view.js';
import type { ResolvedCollection } from './resolve.js';

export interface RecordPage {
  /** What the caller receives (after the read view). */
  records: ObjectRecord[];
  more: boolean;
  next?: string;
}

export interface PageRequest {
  principal: Principal;
  resolved: ResolvedCollection;
  filter: TaxiiFilter;
  surface: ReadContext['surface'];
  /** Cursor scope resource, e.g. `objects` or `versions:<id>`. */
  resource: string;
  /** Overrides for endpoints that fix part of the selection (object id, all versions). */
  ids?: string[];
  versions?: VersionSelector;
}

export async function readPage(deps: TaxiiDeps, request: PageRequest): Promise<RecordPage> {
  const { principal, resolved, filter } = request;
  const collection: CollectionRecord = resolved.collection;
  const view = await deps.readViews(principal, collection);
  const scope = { resource: request.resource, collectionId: collection.id, filter: normalizeFilter(filter), subject: principal.subject };
  let addedAfter = filter.addedAfter;
  if (filter.next !== undefined) {
    const position = deps.cursors.decode(filter.next, scope);
    addedAfter = addedAfter === undefined ? position : Math.max(addedAfter, position);
  }
  const ids = request.ids ?? filter.ids;
  const page = await deps.store.query(collection.id, {
    ...(addedAfter !== undefined && { addedAfter }),
    ...(ids !== undefined && { ids }),
    ...(filter.types !== undefined && { types: filter.types }),
    versions: request.versions ?? filter.versions,
    ...(filter.specVersions !== undefined && { specVersions: filter.specVersions }),
    limit: effectiveLimit(filter, resolved.root),
    ...(view.visibility !== undefined && { visibility: view.visibility }),
  });
  const records = await view.derive(page.records, {
    principal,
    collection,
    apiRoot: resolved.root.path,
    now: deps.now(),
    surface: request.surface,
  });
  const result: RecordPage = { records, more: page.more };
  const lastRaw = page.records.at(-1);
  // The position is the last raw record read, so withheld records are never read twice.
  if (page.more && lastRaw !== undefined) result.next = deps.cursors.encode(lastRaw.dateAdded, scope);
  return result;
}

/** `{"more":…,"next":…,"<key>":[…]}` from pre-serialized items; `{}` when nothing is left. */
export function buildListBody(key: string, items: readonly string[], page: { more: boolean; next?: string }): string {
  if (items.length === 0 && !page.more) return '{}';
  let head = `{"more":${page.more}`;
  if (page.next !== undefined) head += `,"next":${JSON.stringify(page.next)}`;
  return `${head},"${key}":[${items.join(',')}]}`;
}
