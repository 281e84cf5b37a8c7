// TAXII 2.1 §5.6 (GET) and §5.7 (DELETE) object resource.
import { canRead, canWrite } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { TaxiiBody, TaxiiDeps } from './deps.js';
import { ALL_VERSIONS, ENDPOINT_PARAMS, parseFilter, type QueryParams } from './filter.js';
import { withDateRange } from './objects.js';
import { buildListBody, readPage, type RecordPage } from './read-page.js';
import { resolveReadableCollection, resolveVisibleCollection } from './resolve.js';

const IDENTIFIER =
  /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * The records of one object (object and versions endpoints). Nothing selected on a first page →
 * the object (or this version of it) does not exist for the caller: 404. Later pages
 * (added_after/next) may legitimately be empty envelopes.
 */
export async function readObjectPage(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  collectionId: string,
  objectId: string,
  params: QueryParams,
  endpoint: 'object' | 'versions',
): Promise<RecordPage> {
  const resolved = await resolveReadableCollection(deps, principal, rootPath, collectionId);
  const filter = parseFilter(params, ENDPOINT_PARAMS[endpoint]);
  if (!IDENTIFIER.test(objectId)) throw new NotFoundError('object', objectId);
  const page = await readPage(deps, {
    principal,
    resolved,
    filter,
    surface: endpoint,
    resource: `${endpoint}:${objectId}`,
    ids: [objectId],
    ...(endpoint === 'versions' && { versions: ALL_VERSIONS }),
  });
  if (
    page.records.length === 0 &&
    !page.more &&
    filter.addedAfter === undefined &&
    filter.next === undefined
  ) {
    throw new NotFoundError('object', objectId);
  }
  return page;
}

export async function getObject(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  collectionId: string,
  objectId: string,
  params: QueryParams,
): Promise<TaxiiBody> {
  const page = await readObjectPage(
    deps,
    principal,
    rootPath,
    collectionId,
    objectId,
    params,
    'object',
  );
  return withDateRange(
    buildListBody(
      'objects',
      page.records.map((r) => r.json),
      page,
    ),
    page.records,
  );
}

export async function deleteObject(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  collectionId: string,
  objectId: string,
  params: QueryParams,
): Promise<void> {
  const { collection } = await resolveVisibleCollection(deps, principal, rootPath, collectionId);
  // TAXII 2.1 §5.7: deleting needs both rights; with only one of them the answer is 403.
  if (!canRead(principal, collection) || !canWrite(principal, collection)) {
    throw new ForbiddenError('deleting objects needs read and write access to the collection');
  }
  const filter = parseFilter(params, ENDPOINT_PARAMS.objectDelete);
  if (!IDENTIFIER.test(objectId)) throw new NotFoundError('object', objectId);
  // Without match[version] the object is deleted entirely, so a later GET answers 404 (§5.7 M).
  const deleted = await deps.store.deleteObject(collection.id, objectId, {
    versions: filter.hasVersionMatch ? filter.versions : ALL_VERSIONS,
    specVersions: filter.specVersions,
  });
  if (deleted === 0) throw new NotFoundError('object', objectId);
  await deps.recordChange({
    principal,
    source: 'http',
    action: 'object.delete',
    apiRoot: rootPath,
    collectionId: collection.id,
    details: { ids: [objectId], versionsDeleted: deleted },
  });
}

export { IDENTIFIER as OBJECT_ID_PATTERN };
