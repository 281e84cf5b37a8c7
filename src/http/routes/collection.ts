// GET /{api-root}/collections/{id}/ (TAXII 2.1 §5.2).
import type { Router } from 'express';
import { getCollection } from '../../taxii/collections.js';
import type { TaxiiDeps } from '../../taxii/deps.js';
import { principalOf } from '../request-context.js';
import { sendTaxii } from '../send.js';
import { param, rejectQuery } from './params.js';

export function collectionRoutes(router: Router, deps: TaxiiDeps): void {
  router.get('/:root/collections/:collection/', async (req, res) => {
    rejectQuery(req);
    sendTaxii(
      res,
      200,
      await getCollection(deps, principalOf(res), param(req, 'root'), param(req, 'collection')),
    );
  });
}
