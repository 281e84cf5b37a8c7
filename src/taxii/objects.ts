// TAXII 2.1 §5.4 (GET) and §5.5 (POST) objects resource.
import { readsRaw } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { BadRequestError, UnprocessableError } from '../errors.js';
import type { InexactNumber } from '../stix/json-numbers.js';
import type { StatusRecord } from '../store/types.js';
import type { TaxiiBody, TaxiiDeps } from './deps.js';
import { ENDPOINT_PARAMS, parseFilter, type QueryParams } from './filter.js';
import { auditedIds } from './changes.js';
import { ingestObjects, numberRefusals } from './ingest.js';
import { buildListBodyChunks, readBodyPage } from './read-page.js';
import { resolveReadableCollection, resolveWritableCollection } from './resolve.js';
import { recordCompletedStatus } from './status.js';

export async function getObjects(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  collectionId: string,
  params: QueryParams,
): Promise<TaxiiBody> {
  const resolved = await resolveReadableCollection(deps, principal, rootPath, collectionId);
  const filter = parseFilter(params, ENDPOINT_PARAMS.objects);
  const page = await readBodyPage(deps, {
    principal,
    resolved,
    filter,
    surface: 'objects',
    resource: 'objects',
  });
  // The envelope is built from the stored bytes: nothing is parsed or re-serialized.
  const json = buildListBodyChunks('objects', page.body, page.positions.length, page);
  const first = page.positions[0];
  const last = page.positions.at(-1);
  if (first === undefined || last === undefined) return { json };
  return { json, dateAddedFirst: first, dateAddedLast: last };
}

export function withDateRange(json: string, records: readonly { dateAdded: number }[]): TaxiiBody {
  const first = records[0];
  const last = records.at(-1);
  if (first === undefined || last === undefined) return { json };
  return { json, dateAddedFirst: first.dateAdded, dateAddedLast: last.dateAdded };
}

export interface PostResult {
  statusJson: string;
  status: StatusRecord;
}

export interface PostedBody {
  value: unknown;
  /** Numbers of the body JSON.parse could not hold exactly (stix/json-numbers.ts). */
  inexactNumbers: readonly InexactNumber[];
}

export async function postObjects(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  collectionId: string,
  /** Reads the request body; called only once the caller may write here, so nobody else makes us read one. */
  readBody: () => Promise<PostedBody>,
): Promise<PostResult> {
  const { root, collection } = await resolveWritableCollection(
    deps,
    principal,
    rootPath,
    collectionId,
  );
  const { value: body, inexactNumbers } = await readBody();
  // TAXII 2.1 §5.5: the request body is an envelope; only `objects` matters on a write.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError('the request body must be a TAXII envelope');
  }
  const objects = (body as Record<string, unknown>).objects;
  if (objects !== undefined && !Array.isArray(objects))
    throw new BadRequestError('envelope "objects" must be a list');
  const items: unknown[] = objects ?? [];
  if (items.length > root.maxObjectsPerRequest) {
    throw new UnprocessableError(
      `the envelope holds ${items.length} objects; this API root accepts at most ${root.maxObjectsPerRequest} per request`,
    );
  }
  items.forEach((item, i) => {
    // Without an id no status entry can name the object: refuse the whole envelope.
    if (
      typeof item !== 'object' ||
      item === null ||
      Array.isArray(item) ||
      typeof (item as { id?: unknown }).id !== 'string'
    ) {
      throw new UnprocessableError(`objects[${i}] is not a STIX object with an "id"`);
    }
  });

  const now = deps.now();
  const { successes, failures, tally } = await ingestObjects(
    deps.store,
    deps.validator,
    collection,
    items as Record<string, unknown>[],
    now,
    { maskExisting: !readsRaw(principal), refused: numberRefusals(inexactNumbers, 'objects') },
  );
  deps.countWrites?.({
    added: tally.addedIds.length,
    duplicates: tally.duplicates,
    rejected: tally.rejected,
  });
  await deps.recordChange({
    principal,
    source: 'http',
    action: 'objects.add',
    apiRoot: root.path,
    collectionId: collection.id,
    details: {
      ...auditedIds(tally.addedIds),
      added: tally.addedIds.length,
      duplicates: tally.duplicates,
      failed: failures.length,
      total: items.length,
    },
  });

  return recordCompletedStatus(deps, {
    apiRoot: root.path,
    collectionId: collection.id,
    submitter: principal.subject,
    now,
    totalCount: items.length,
    successes: successes,
    failures: failures,
  });
}
