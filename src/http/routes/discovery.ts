// GET /taxii2/ (TAXII 2.1 §4.1). Public when `discovery.public` is set, else authenticated.
import type { RequestHandler, Router } from 'express';
import { getDiscovery } from '../../taxii/discovery.js';
import type { TaxiiDeps } from '../../taxii/deps.js';
import { sendTaxii } from '../send.js';
import { rejectQuery } from './params.js';

export function discoveryRoutes(router: Router, deps: TaxiiDeps, auth: RequestHandler): void {
  const handlers: RequestHandler[] = deps.config.discovery.public ? [] : [auth];
  router.get('/taxii2/', ...handlers, (req, res) => {
    rejectQuery(req);
    sendTaxii(res, 200, getDiscovery(deps));
  });
}
