// TAXII 2.1 §5.8 object versions resource: `{more, versions[]}`, ascending by date_added.
import type { Principal } from '../auth/principal.js';
import { NotFoundError } from '../errors.js';
import { formatTaxiiTimestamp } from '../stix/timestamp.js';
import type { TaxiiBody, TaxiiDeps } from './deps.js';
import { ALL_VERSIONS, ENDPOINT_PARAMS, parseFilter, type QueryParams } from './filter.js';
import { OBJECT_ID_PATTERN } from './object.js';
import { withDateRange } from './objects.js';
import { buildListBody, readPage } from './read-page.js';
import { resolveReadableCollection } from './resolve.js';

export async function getVersions(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  collectionId: string,
  objectId: string,
  params: QueryParams,
): Promise<TaxiiBody> {
  const resolved = await resolveReadableCollection(deps, principal, rootPath, collectionId);
  const filter = parseFilter(params, ENDPOINT_PARAMS.versions);
  if (!OBJECT_ID_PATTERN.test(objectId)) throw new NotFoundError('object', objectId);
  const page = await readPage(deps, {
    principal,
    resolved,
    filter,
    surface: 'versions',
    resource: `versions:${objectId}`,
    ids: [objectId],
    versions: ALL_VERSIONS,
  });
  if (
    page.records.length === 0 &&
    !page.more &&
    filter.addedAfter === undefined &&
    filter.next === undefined
  ) {
    throw new NotFoundError('object', objectId);
  }
  const versions = page.records.map((r) => `"${formatTaxiiTimestamp(r.versionMicros)}"`);
  return withDateRange(buildListBody('versions', versions, page), page.records);
}
