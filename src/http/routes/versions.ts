// GET /{api-root}/collections/{id}/objects/{object-id}/versions/ (TAXII 2.1 §5.8).
import type { Router } from 'express';
import type { TaxiiDeps } from '../../taxii/deps.js';
import { getVersions } from '../../taxii/versions.js';
import { principalOf } from '../request-context.js';
import { sendTaxii } from '../send.js';
import { param, queryOf } from './params.js';

export function versionsRoutes(router: Router, deps: TaxiiDeps): void {
  router.get('/:root/collections/:collection/objects/:object/versions/', async (req, res) => {
    const body = await getVersions(
      deps,
      principalOf(res),
      param(req, 'root'),
      param(req, 'collection'),
      param(req, 'object'),
      queryOf(req),
    );
    sendTaxii(res, 200, body);
  });
}
