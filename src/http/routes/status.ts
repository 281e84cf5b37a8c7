// GET /{api-root}/status/{status-id}/ (TAXII 2.1 §4.3).
import type { Router } from 'express';
import type { TaxiiDeps } from '../../taxii/deps.js';
import { getStatus } from '../../taxii/status.js';
import { principalOf } from '../request-context.js';
import { sendTaxii } from '../send.js';
import { param, rejectQuery } from './params.js';

export function statusRoutes(router: Router, deps: TaxiiDeps): void {
  router.get('/:root/status/:statusId/', async (req, res) => {
    rejectQuery(req);
    sendTaxii(
      res,
      200,
      await getStatus(deps, principalOf(res), param(req, 'root'), param(req, 'statusId')),
    );
  });
}
