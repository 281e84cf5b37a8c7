// GET /{api-root}/ (TAXII 2.1 §4.2).
import type { Router } from 'express';
import { getApiRoot } from '../../taxii/api-root.js';
import type { TaxiiDeps } from '../../taxii/deps.js';
import { sendTaxii } from '../send.js';
import { param, rejectQuery } from './params.js';

export function apiRootRoutes(router: Router, deps: TaxiiDeps): void {
  router.get('/:root/', (req, res) => {
    rejectQuery(req);
    sendTaxii(res, 200, getApiRoot(deps, param(req, 'root')));
  });
}
