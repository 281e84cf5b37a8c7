// GET and DELETE /{api-root}/collections/{id}/objects/{object-id}/ (TAXII 2.1 §5.6, §5.7).
import type { Router } from 'express';
import type { TaxiiDeps } from '../../taxii/deps.js';
import { deleteObject, getObject } from '../../taxii/object.js';
import { principalOf, requestState } from '../request-context.js';
import { sendTaxii } from '../send.js';
import { param, queryOf } from './params.js';

export function objectRoutes(router: Router, deps: TaxiiDeps): void {
  router.get('/:root/collections/:collection/objects/:object/', async (req, res) => {
    const body = await getObject(
      deps,
      principalOf(res),
      param(req, 'root'),
      param(req, 'collection'),
      param(req, 'object'),
      queryOf(req),
    );
    sendTaxii(res, 200, body);
  });

  router.delete('/:root/collections/:collection/objects/:object/', async (req, res) => {
    const principal = principalOf(res);
    await deleteObject(
      deps,
      principal,
      param(req, 'root'),
      param(req, 'collection'),
      param(req, 'object'),
      queryOf(req),
    );
    requestState(res).log.info(
      { collection: param(req, 'collection'), objectId: param(req, 'object') },
      'object deleted',
    );
    // §5.7: 200 with no content.
    sendTaxii(res, 200, '');
  });
}
