// TAXII 2.1 §5.4 (GET) and §5.5 (POST) objects resource.
import type { Principal } from '../auth/principal.js';
import { BadRequestError, UnprocessableError } from '../errors.js';
import { versionOf } from '../stix/object-version.js';
import { formatTaxiiTimestamp } from '../stix/timestamp.js';
import { tlpOf } from '../stix/tlp.js';
import type { AddOutcome, NewObject, StatusDetail, StatusRecord } from '../store/types.js';
import type { TaxiiBody, TaxiiDeps } from './deps.js';
import { ENDPOINT_PARAMS, parseFilter, type QueryParams } from './filter.js';
import { buildListBody, readPage } from './read-page.js';
import { resolveReadableCollection, resolveWritableCollection } from './resolve.js';
import { serializeStatus } from './status.js';

export async function getObjects(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  collectionId: string,
  params: QueryParams,
): Promise<TaxiiBody> {
  const resolved = await resolveReadableCollection(deps, principal, rootPath, collectionId);
  const filter = parseFilter(params, ENDPOINT_PARAMS.objects);
  const page = await readPage(deps, { principal, resolved, filter, surface: 'objects', resource: 'objects' });
  // The envelope is built from the stored bytes: nothing is parsed or re-serialized.
  return withDateRange(buildListBody('objects', page.records.map((r) => r.json), page), page.records);
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

interface Candidate {
  index: number;
  object: NewObject;
}

export async function postObjects(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  collectionId: string,
  body: unknown,
): Promise<PostResult> {
  const { root, collection } = await resolveWritableCollection(deps, principal, rootPath, collectionId);
  // TAXII 2.1 §5.5: the request body is an envelope; only `objects` matters on a write.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError('the request body must be a TAXII envelope');
  }
  const objects = (body as Record<string, unknown>).objects;
  if (objects !== undefined && !Array.isArray(objects)) throw new BadRequestError('envelope "objects" must be a list');
  const items: unknown[] = objects ?? [];
  items.forEach((item, i) => {
    // Without an id no status entry can name the object: refuse the whole envelope.
    if (typeof item !== 'object' || item === null || Array.isArray(item) || typeof (item as { id?: unknown }).id !== 'string') {
      throw new UnprocessableError(`objects[${i}] is not a STIX object with an "id"`);
    }
  });

  const now = deps.now();
  const failures: StatusDetail[] = [];
  const candidates: Candidate[] = [];
  items.forEach((item, index) => {
    const obj = item as Record<string, unknown>;
    const result = deps.validator.validateObject(obj, { mode: collection.validation });
    if (!result.ok) {
      const message = result.errors
        .slice(0, 5)
        .map((e) => `${e.path || '/'} ${e.code}: ${e.message}`)
        .join('; ');
      failures.push({ id: obj.id as string, version: rawVersion(obj), message: `invalid STIX: ${message}` });
      return;
    }
    candidates.push({ index, object: toNewObject(obj) });
  });

  const outcomes: AddOutcome[] = candidates.length > 0 ? await deps.store.addObjects(collection.id, candidates.map((c) => c.object), now) : [];
  const successes: StatusDetail[] = [];
  outcomes.forEach((outcome) => {
    const version = formatTaxiiTimestamp(outcome.versionMicros);
    if (outcome.outcome === 'added') successes.push({ id: outcome.id, version });
    // TAXII 2.1 §5.5: an exact duplicate is not an error.
    else if (outcome.outcome === 'duplicate') successes.push({ id: outcome.id, version, message: 'duplicate of a stored version; nothing stored' });
    else failures.push({ id: outcome.id, version, message: `conflict: ${outcome.message}` });
  });

  const status: StatusRecord = {
    id: deps.newStatusId(),
    apiRoot: root.path,
    collectionId: collection.id,
    submitter: principal.subject,
    status: 'complete',
    requestTimestamp: formatTaxiiTimestamp(now),
    totalCount: items.length,
    successCount: successes.length,
    failureCount: failures.length,
    pendingCount: 0,
    successes,
    failures,
    pendings: [],
    updatedAt: now,
  };
  await deps.store.putStatus(status);
  return { status, statusJson: serializeStatus(status) };
}

/** The stored form of a validated object: its JSON text is what readers receive, byte for byte. */
export function toNewObject(obj: Record<string, unknown>): NewObject {
  return {
    id: obj.id as string,
    type: typeof obj.type === 'string' ? obj.type : '',
    // STIX 2.1 §3.1: SCOs may omit spec_version; it then means 2.1.
    specVersion: typeof obj.spec_version === 'string' ? obj.spec_version : '2.1',
    versionMicros: versionOf(obj),
    tlp: tlpOf(obj),
    revoked: obj.revoked === true,
    json: JSON.stringify(obj),
  };
}

function rawVersion(obj: Record<string, unknown>): string {
  // TAXII 2.1 §4.3.1: version is `modified`, else `created`.
  const value = obj.modified ?? obj.created;
  return typeof value === 'string' ? value : '';
}
