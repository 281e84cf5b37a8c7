// POST /{api-root}/collections/{id}/objects/{object-id}/revoke/ — stixgate extension, not a
// TAXII 2.1 endpoint: adds a `revoked: true` version (see taxii/revoke.ts). No request body.
import type { Router } from 'express';
import type { TaxiiDeps } from '../../taxii/deps.js';
import { revokeObject } from '../../taxii/revoke.js';
import { principalOf, requestState } from '../request-context.js';
import { sendTaxii } from '../send.js';
import { param, rejectQuery } from './params.js';

export function revokeRoutes(router: Router, deps: TaxiiDeps): void {
  router.post('/:root/collections/:collection/objects/:object/revoke/', async (req, res) => {
    rejectQuery(req);
    const { status, statusJson } = await revokeObject(
      deps,
      principalOf(res),
      param(req, 'root'),
      param(req, 'collection'),
      param(req, 'object'),
    );
    requestState(res).log.info(
      { collectionId: status.collectionId, objectId: param(req, 'object'), statusId: status.id },
      'object revoked',
    );
    sendTaxii(res, 202, statusJson);
  });
}
