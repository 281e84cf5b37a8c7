// GET and POST /{api-root}/collections/{id}/objects/ (TAXII 2.1 §5.4, §5.5).
import type { Router } from 'express';
import type { TaxiiDeps } from '../../taxii/deps.js';
import { getObjects, postObjects } from '../../taxii/objects.js';
import { resolveApiRoot } from '../../taxii/resolve.js';
import { readExactJsonBody } from '../body.js';
import { assertTaxiiContentType } from '../media-type.js';
import { principalOf, requestState } from '../request-context.js';
import { sendTaxii } from '../send.js';
import { param, queryOf, rejectQuery } from './params.js';

export function objectsRoutes(router: Router, deps: TaxiiDeps): void {
  router.get('/:root/collections/:collection/objects/', async (req, res) => {
    const body = await getObjects(
      deps,
      principalOf(res),
      param(req, 'root'),
      param(req, 'collection'),
      queryOf(req),
    );
    sendTaxii(res, 200, body);
  });

  router.post('/:root/collections/:collection/objects/', async (req, res) => {
    rejectQuery(req);
    const principal = principalOf(res);
    const root = resolveApiRoot(deps, param(req, 'root'));
    const { status, statusJson } = await postObjects(
      deps,
      principal,
      root.path,
      param(req, 'collection'),
      async () => {
        assertTaxiiContentType(req.headers['content-type']);
        return readExactJsonBody(req, root.maxContentLength);
      },
    );
    requestState(res).log.info(
      {
        collectionId: status.collectionId,
        statusId: status.id,
        total: status.totalCount,
        succeeded: status.successCount,
        failed: status.failureCount,
      },
      'objects posted',
    );
    sendTaxii(res, 202, statusJson);
  });
}
