// One page of object records as the caller may see them: shared by objects, object,
// versions and manifest. Sorting is ascending date_added (TAXII 2.1 §3.3); `added_after` is
// strict (§3.4); `next` is a sealed date_added position (cursor.ts).
import type { Principal } from '../auth/principal.js';
import { bodyPageOf, takeBodies } from '../store/body-page.js';
import type {
  BodyPage,
  CollectionRecord,
  Micros,
  ObjectRecord,
  VersionSelector,
} from '../store/types.js';
import type { CursorScope } from './cursor.js';
import type { TaxiiDeps } from './deps.js';
import { effectiveLimit, normalizeFilter, type TaxiiFilter } from './filter.js';
import { RAW_VIEW, type ReadContext, type ReadView } from './read-view.js';
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
  const view = await deps.readViews(request.principal, request.resolved.collection);
  return readViewPage(deps, request, view);
}

/** A page of what the caller receives, reduced to positions and joined bytes (the objects endpoint). */
export interface BodyPageResult extends BodyPage {
  next?: string;
}

/**
 * readPage for callers that need only the served bytes. Through the raw view nothing is
 * derived, so the store reads date_added and the stored bytes alone: no other column, no
 * record objects, no parsing.
 */
export async function readBodyPage(deps: TaxiiDeps, request: PageRequest): Promise<BodyPageResult> {
  const view = await deps.readViews(request.principal, request.resolved.collection);
  if (view !== RAW_VIEW || request.ids !== undefined || request.versions !== undefined) {
    const page = await readViewPage(deps, request, view);
    const bodies: BodyPageResult = bodyPageOf(page.records, page.more);
    if (page.next !== undefined) bodies.next = page.next;
    return bodies;
  }
  const { resolved, filter } = request;
  const collection = resolved.collection;
  const { scope, addedAfter } = startOf(deps, request);
  const limit = effectiveLimit(filter, resolved.root);
  const fetched = await deps.store.queryBodies(collection.id, {
    ...(filter.ids !== undefined && { ids: filter.ids }),
    ...(filter.types !== undefined && { types: filter.types }),
    versions: filter.versions,
    specVersions: filter.specVersions,
    ...(addedAfter !== undefined && { addedAfter }),
    limit: limit + 1,
  });
  const kept = keptToMillisecond(fetched.positions, limit, fetched.more);
  const result: BodyPageResult = takeBodies(fetched, kept.count, kept.more);
  const last = result.positions.at(-1);
  if (result.more && last !== undefined) result.next = deps.cursors.encode(last, scope);
  return result;
}

/**
 * Where a page starts: the cursor scope (what a `next` is bound to) and the position to read
 * after, the later of `added_after` and a decoded `next`.
 */
function startOf(
  deps: TaxiiDeps,
  request: PageRequest,
): { scope: CursorScope; addedAfter: Micros | undefined } {
  const { filter } = request;
  const scope: CursorScope = {
    resource: request.resource,
    collectionId: request.resolved.collection.id,
    filter: normalizeFilter(filter),
    subject: request.principal.subject,
  };
  let addedAfter = filter.addedAfter;
  if (filter.next !== undefined) {
    const position = deps.cursors.decode(filter.next, scope);
    addedAfter = addedAfter === undefined ? position : Math.max(addedAfter, position);
  }
  return { scope, addedAfter };
}

async function readViewPage(
  deps: TaxiiDeps,
  request: PageRequest,
  view: ReadView,
): Promise<RecordPage> {
  const { principal, resolved, filter } = request;
  const collection: CollectionRecord = resolved.collection;
  const { scope, addedAfter } = startOf(deps, request);
  const ids = request.ids ?? filter.ids;
  const limit = effectiveLimit(filter, resolved.root);
  const storeIds =
    ids !== undefined && view.resolveIds !== undefined ? await view.resolveIds(ids) : ids;
  const query = {
    ...(storeIds !== undefined && { ids: storeIds }),
    ...(filter.types !== undefined && { types: filter.types }),
    versions: request.versions ?? filter.versions,
    specVersions: filter.specVersions,
    ...(view.visibility !== undefined && { visibility: view.visibility }),
  };
  // Read before the first record, so that whatever the view derives is at least this recent.
  const revision =
    view === RAW_VIEW ? undefined : await deps.store.collectionRevision(collection.id);
  const context: ReadContext = {
    principal,
    collection,
    apiRoot: resolved.root.path,
    now: deps.now(),
    surface: request.surface,
    ...(ids !== undefined && { ids }),
    ...(revision !== undefined && { revision }),
  };
  // One record of look-ahead tells where the next page starts (see trimToMillisecond). A view
  // that may withhold (a partner view) also derives a few following records in the same call,
  // neither served nor audited, to learn whether anything after the page will be served.
  const followers = view === RAW_VIEW ? 0 : FIRST_PROBE;
  const step = async (after: Micros | undefined, want: number) => {
    const fetched = await deps.store.query(collection.id, {
      ...query,
      ...(after !== undefined && { addedAfter: after }),
      limit: want + 1 + followers,
    });
    const raw = trimToMillisecond(
      fetched.records.slice(0, want + 1),
      want,
      fetched.records.length > want + 1 || fetched.more,
    );
    const last = raw.records.at(-1);
    if (followers === 0 || last === undefined) {
      return {
        records: await view.derive(raw.records, context),
        raw,
        last,
        followerServed: false,
        followersExhausted: false,
      };
    }
    const tail = fetched.records.slice(raw.records.length);
    const derived = await view.derive(
      raw.records.concat(tail),
      tail.length > 0 ? { ...context, lookAhead: tail.length } : context,
    );
    return {
      records: derived.filter((r) => r.dateAdded <= last.dateAdded),
      raw,
      last,
      followerServed: derived.some((r) => r.dateAdded > last.dateAdded),
      // Every record after the page was among the followers: none left unread.
      followersExhausted: !fetched.more,
      tailEnd: tail.at(-1)?.dateAdded,
    };
  };
  let current = await step(addedAfter, limit);
  let records = current.records;
  let lastRaw = current.last;
  let more = current.raw.more;
  // A view may withhold records the store could not filter (decided by their
  // content): the page is filled from the following records so that its size and `more` do not
  // reveal them. Bounded; the cursor continues after the rest.
  for (
    let round = 0;
    current.records.length < current.raw.records.length &&
    more &&
    records.length < limit &&
    lastRaw !== undefined &&
    round < MAX_FILL_ROUNDS;
    round++
  ) {
    current = await step(lastRaw.dateAdded, limit - records.length);
    records = records.concat(current.records);
    lastRaw = current.last ?? lastRaw;
    more = current.raw.more;
  }
  // And `more` is true only when a following record will be served: a page
  // whose followers are all withheld ends the listing like the end of the collection. The
  // records probed are derived (and cached by the view) but neither served nor audited.
  if (more && followers > 0 && !current.followerServed) {
    if (current.followersExhausted) more = false;
    for (
      let round = 0, after = current.tailEnd;
      more && after !== undefined && round < MAX_FILL_ROUNDS;
      round++
    ) {
      const ahead = await deps.store.query(collection.id, {
        ...query,
        addedAfter: after,
        limit: Math.min(limit, FIRST_PROBE * 4 ** (round + 1)),
      });
      if (ahead.records.length === 0) more = false;
      else if (
        (await view.derive(ahead.records, { ...context, lookAhead: ahead.records.length })).length >
        0
      )
        break;
      else more = ahead.more;
      after = ahead.records.at(-1)?.dateAdded;
    }
  }
  const result: RecordPage = { records, more };
  // The position is the last raw record read, so withheld records are never read twice.
  if (more && lastRaw !== undefined) result.next = deps.cursors.encode(lastRaw.dateAdded, scope);
  return result;
}

/** Extra store reads a page may take to replace records its view withheld (and to look ahead). */
export const MAX_FILL_ROUNDS = 8;
/** Followers derived with a page (most records are served: one suffices); ×4 per further round. */
const FIRST_PROBE = 8;

/**
 * Cuts a full page (`limit` records out of `limit + 1` fetched) so that it does not end in
 * the middle of a millisecond of date_added when the next record shares that millisecond.
 * A client that truncates X-TAXII-Date-Added-Last to milliseconds then re-reads at most
 * that page's last millisecond instead of looping on it; the page is kept whole when one
 * millisecond holds more than `limit` records (nothing better exists without a cursor).
 * Fewer records than `limit` with more=true is legal (TAXII 2.1 §3.5).
 */
export function trimToMillisecond<R extends { dateAdded: Micros }>(
  fetched: R[],
  limit: number,
  storeMore: boolean,
): { records: R[]; more: boolean } {
  const kept = keptToMillisecond(
    fetched.map((r) => r.dateAdded),
    limit,
    storeMore,
  );
  return {
    records: kept.count === fetched.length ? fetched : fetched.slice(0, kept.count),
    more: kept.more,
  };
}

/** trimToMillisecond over positions alone: how many of them the page keeps. */
export function keptToMillisecond(
  positions: readonly Micros[],
  limit: number,
  storeMore: boolean,
): { count: number; more: boolean } {
  if (positions.length <= limit) return { count: positions.length, more: storeMore };
  const boundary = Math.floor(positions[limit]! / 1000);
  let end = limit;
  while (end > 0 && Math.floor(positions[end - 1]! / 1000) === boundary) end -= 1;
  return { count: end === 0 ? limit : end, more: true };
}

/**
 * buildListBody over items already joined by commas (a BodyPage's bytes), as the chunks of the
 * body: the joined bytes are sent as they are, never copied into a string or a new buffer.
 */
export function buildListBodyChunks(
  key: string,
  joined: Buffer,
  count: number,
  page: { more: boolean; next?: string },
): Buffer[] {
  if (count === 0 && !page.more) return [Buffer.from('{}')];
  let head = `{"more":${page.more}`;
  if (page.next !== undefined) head += `,"next":${JSON.stringify(page.next)}`;
  return [Buffer.from(`${head},"${key}":[`), joined, LIST_END];
}
const LIST_END = Buffer.from(']}');

/** `{"more":…,"next":…,"<key>":[…]}` from pre-serialized items; `{}` when nothing is left. */
export function buildListBody(
  key: string,
  items: readonly string[],
  page: { more: boolean; next?: string },
): string {
  if (items.length === 0 && !page.more) return '{}';
  let head = `{"more":${page.more}`;
  if (page.next !== undefined) head += `,"next":${JSON.stringify(page.next)}`;
  return `${head},"${key}":[${items.join(',')}]}`;
}
