// GET /{api-root}/collections/ (TAXII 2.1 §5.1).
import type { Router } from 'express';
import { listCollections } from '../../taxii/collections.js';
import type { TaxiiDeps } from '../../taxii/deps.js';
import { principalOf } from '../request-context.js';
import { sendTaxii } from '../send.js';
import { param, rejectQuery } from './params.js';

export function collectionsRoutes(router: Router, deps: TaxiiDeps): void {
  router.get('/:root/collections/', async (req, res) => {
    rejectQuery(req);
    sendTaxii(res, 200, await listCollections(deps, principalOf(res), param(req, 'root')));
  });
}
