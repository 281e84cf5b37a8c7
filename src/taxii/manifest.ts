// TAXII 2.1 §5.3 manifest resource: the same filters as objects, applied to the objects
// themselves; one record per object version. stixgate also offers `next`.
import type { Principal } from '../auth/principal.js';
import { formatTaxiiTimestamp } from '../stix/timestamp.js';
import type { TaxiiBody, TaxiiDeps } from './deps.js';
import { ENDPOINT_PARAMS, parseFilter, type QueryParams } from './filter.js';
import { withDateRange } from './objects.js';
import { buildListBody, readPage } from './read-page.js';
import { resolveReadableCollection } from './resolve.js';

export async function getManifest(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  collectionId: string,
  params: QueryParams,
): Promise<TaxiiBody> {
  const resolved = await resolveReadableCollection(deps, principal, rootPath, collectionId);
  const filter = parseFilter(params, ENDPOINT_PARAMS.manifest);
  const page = await readPage(deps, {
    principal,
    resolved,
    filter,
    surface: 'manifest',
    resource: 'manifest',
  });
  const entries = page.records.map((r) =>
    JSON.stringify({
      id: r.id,
      date_added: formatTaxiiTimestamp(r.dateAdded),
      version: r.version,
      media_type: `application/stix+json;version=${r.specVersion}`,
    }),
  );
  return withDateRange(buildListBody('objects', entries, page), page.records);
}
