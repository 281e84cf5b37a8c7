// TAXII 2.1 §5.8 object versions resource: `{more, versions[]}`, ascending by date_added.
import type { Principal } from '../auth/principal.js';
import type { TaxiiBody, TaxiiDeps } from './deps.js';
import type { QueryParams } from './filter.js';
import { readObjectPage } from './object.js';
import { withDateRange } from './objects.js';
import { buildListBody } from './read-page.js';

export async function getVersions(
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
    'versions',
  );
  // The stored key is the TAXII 2.1 §3.2 form already: nothing to format, nothing to fail.
  const versions = page.records.map((r) => `"${r.version}"`);
  return withDateRange(buildListBody('versions', versions, page), page.records);
}
