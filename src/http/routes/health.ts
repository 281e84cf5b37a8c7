// GET /healthz: unauthenticated liveness + store reachability (Docker HEALTHCHECK, load balancers).
// Says nothing about collections or data.
import type { Router } from 'express';
import type { Store } from '../../store/types.js';

export function healthRoutes(router: Router, store: Store): void {
  router.get('/healthz', async (_req, res) => {
    let ok = true;
    try {
      await store.listCollections('healthz');
    } catch {
      ok = false;
    }
    res.setHeader('Content-Type', 'application/json');
    res
      .status(ok ? 200 : 503)
      .end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', backend: store.backend }));
  });
}
