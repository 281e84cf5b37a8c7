// GET /{api-root}/collections/{id}/manifest/ (TAXII 2.1 §5.3).
import type { Router } from 'express';
import type { TaxiiDeps } from '../../taxii/deps.js';
import { getManifest } from '../../taxii/manifest.js';
import { principalOf } from '../request-context.js';
import { sendTaxii } from '../send.js';
import { param, queryOf } from './params.js';

export function manifestRoutes(router: Router, deps: TaxiiDeps): void {
  router.get('/:root/collections/:collection/manifest/', async (req, res) => {
    const body = await getManifest(
      deps,
      principalOf(res),
      param(req, 'root'),
      param(req, 'collection'),
      queryOf(req),
    );
    sendTaxii(res, 200, body);
  });
}
