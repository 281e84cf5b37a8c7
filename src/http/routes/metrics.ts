// GET /metrics: Prometheus text. Either open (served only on the dedicated metrics listener,
// whose bind address is the protection) or behind a bearer token compared in constant time.
// Off, it does not exist (404 like any unknown path).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Router } from 'express';
import type { Metrics } from '../../observability/metrics.js';

export type MetricsAccess = { mode: 'open' } | { mode: 'token'; token: string };

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export function metricsRoutes(router: Router, metrics: Metrics, access: MetricsAccess): void {
  const expected = access.mode === 'token' ? digest(access.token) : undefined;
  router.get('/metrics', async (req, res) => {
    if (expected !== undefined) {
      const header = req.headers.authorization ?? '';
      const presented = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
      if (!timingSafeEqual(digest(presented), expected)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="stixgate-metrics"');
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.status(401).end('metrics token required\n');
        return;
      }
    }
    const text = await metrics.text();
    res.setHeader('Content-Type', metrics.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).end(text);
  });
}
