// GET /readyz: unauthenticated readiness for orchestrators and load balancers. Each check names
// a dependency (store, configuration, sharing model, keys) and answers ok or failing; nothing
// about collections, objects or the reason a check failed (that goes to the log).
import type { Router } from 'express';
import type { Logger } from 'pino';

export interface ReadinessCheck {
  name: string;
  /** Throws (or rejects) when the dependency is not usable. */
  check(): void | Promise<void>;
}

export function readinessRoutes(router: Router, checks: readonly ReadinessCheck[], log: Logger) {
  router.get('/readyz', async (_req, res) => {
    const results: Record<string, 'ok' | 'failing'> = {};
    await Promise.all(
      checks.map(async (c) => {
        try {
          await c.check();
          results[c.name] = 'ok';
        } catch (error) {
          results[c.name] = 'failing';
          log.warn({ check: c.name, err: error }, 'readiness check failed');
        }
      }),
    );
    const ready = Object.values(results).every((r) => r === 'ok');
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Cache-Control', 'no-store');
    res
      .status(ready ? 200 : 503)
      .end(JSON.stringify({ status: ready ? 'ready' : 'not_ready', checks: results }));
  });
}
