// Counts every answered request by route template (never the concrete path: ids would make the
// label set unbounded) and observes its latency.
import type { RequestHandler } from 'express';
import type { Metrics } from '../observability/metrics.js';

function routeOf(req: Parameters<RequestHandler>[0]): string {
  const route = (req as { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  // A route declared for several spellings (`['/audit', '/audit/']`) counts under its first.
  if (route && Array.isArray(route.path) && typeof route.path[0] === 'string')
    return `${req.baseUrl}${route.path[0]}`;
  return 'unmatched';
}

export function requestMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest(routeOf(req), req.method, res.statusCode, seconds);
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
