// The express app factory: TAXII 2.1 routes over the taxii/ use cases, plus mount points
// for other routers (the admin API). No listening here; main.ts and tests do that.
import { randomUUID } from 'node:crypto';
import express, {
  type ErrorRequestHandler,
  type Express,
  type RequestHandler,
  type Router,
} from 'express';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import type { Config } from '../config/types.js';
import { BadRequestError, NotFoundError, StixgateError } from '../errors.js';
import type { Micros, Store } from '../store/types.js';
import { createCursorCodec } from '../taxii/cursor.js';
import type { ObjectValidator, TaxiiDeps } from '../taxii/deps.js';
import { createReadViewProvider, type ReadViewProvider } from '../taxii/read-view.js';
import { CONSOLE_PATH, consoleRedirect, consoleRouter } from './console-static.js';
import { createClientAddress } from './client-address.js';
import { toErrorResponse } from './error-envelope.js';
import { concurrencyCap, principalRateLimit } from './request-limits.js';
import { TAXII_MEDIA_TYPE } from './media-type.js';
import {
  answerOptions,
  authenticate,
  cors,
  rejectUnknownMethod,
  requireOneHost,
  requestContext,
  requireTaxiiAccept,
  requireTrailingSlash,
  securityHeaders,
} from './middleware.js';
import type { Metrics } from '../observability/metrics.js';
import { countedAuthenticator } from '../observability/counted-authenticator.js';
import { createChangeRecorder } from '../taxii/changes.js';
import { requestMetrics } from './request-metrics.js';
import { requestState } from './request-context.js';
import { metricsRoutes, type MetricsAccess } from './routes/metrics.js';
import { openApiRoutes } from './routes/openapi.js';
import { readinessRoutes, type ReadinessCheck } from './routes/readiness.js';
import { apiRootRoutes } from './routes/api-root.js';
import { collectionRoutes } from './routes/collection.js';
import { collectionsRoutes } from './routes/collections.js';
import { discoveryRoutes } from './routes/discovery.js';
import { healthRoutes } from './routes/health.js';
import { manifestRoutes } from './routes/manifest.js';
import { objectRoutes } from './routes/object.js';
import { objectsRoutes } from './routes/objects.js';
import { revokeRoutes } from './routes/revoke.js';
import { statusRoutes } from './routes/status.js';
import { versionsRoutes } from './routes/versions.js';

/** A router mounted at `path` behind authentication (e.g. the admin API, http/routes/admin/router.ts). */
export interface ExtraRouter {
  path: string;
  router: Router;
  /** Default true: the Principal is set (401 otherwise) before the router runs. */
  authenticated?: boolean;
}

export interface AppOptions {
  config: Readonly<Config>;
  store: Store;
  authenticator: Authenticator;
  log: Logger;
  /** stix/validate.ts createStixValidator(), compiled once by the caller. */
  validator: ObjectValidator;
  /** At least 32 bytes, identical on every instance sharing a store (next cursors). */
  cursorSecret: Buffer;
  /** The partner read view (partner/view.ts). Absent → partners are served nothing (fail closed). */
  partnerReadView?: ReadViewProvider;
  /** Routers mounted before the TAXII routes, e.g. `{ path: '/admin', router: createAdminRouter(…) }`. */
  extraRouters?: ExtraRouter[];
  /** Clock in microseconds (tests may pin it). */
  now?: () => Micros;
  /** Prometheus metrics of this instance; absent → nothing is counted and /metrics is off. */
  metrics?: Metrics;
  /** How /metrics is served on this listener; absent → not at all (404). */
  metricsAccess?: MetricsAccess;
  /** Dependencies /readyz checks besides the store (configuration, sharing model, keys). */
  readiness?: ReadinessCheck[];
  /** The built review console served at /console/; default dist/console of this checkout. */
  consoleDir?: string;
}

export function nowMicros(): Micros {
  return Date.now() * 1000;
}

export function createTaxiiDeps(options: AppOptions): TaxiiDeps {
  return {
    config: options.config,
    store: options.store,
    validator: options.validator,
    cursors: createCursorCodec(options.cursorSecret),
    readViews: createReadViewProvider(options.partnerReadView),
    now: options.now ?? nowMicros,
    newStatusId: () => randomUUID(),
    recordChange: createChangeRecorder({
      store: options.store,
      now: options.now ?? nowMicros,
      onError: (error, change) =>
        options.log.error(
          { err: error, action: change.action, collectionId: change.collectionId },
          'audit record of a committed change could not be written',
        ),
    }),
    ...(options.metrics && {
      countWrites: (counts) => options.metrics!.objectsWritten('http', counts),
    }),
  };
}

/** The store answers a cheap query. */
export function storeReadiness(store: Store): ReadinessCheck {
  return {
    name: 'store',
    check: async () => {
      await store.listCollections('readyz');
    },
  };
}

export function createApp(options: AppOptions): Express {
  const deps = createTaxiiDeps(options);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('case sensitive routing', true);
  app.set('strict routing', true);

  if (options.metrics) app.use(requestMetrics(options.metrics));
  app.use(requestContext(options.log, createClientAddress(options.config.trustProxy)));
  app.use(securityHeaders({ tls: options.config.tls !== undefined }));
  app.use(requireOneHost);
  app.use(cors(options.config.cors.allowOrigins));
  app.use(answerOptions((options.extraRouters ?? []).map((extra) => extra.path)));

  const health = express.Router({ strict: true, caseSensitive: true });
  healthRoutes(health, options.store);
  readinessRoutes(
    health,
    [storeReadiness(options.store), ...(options.readiness ?? [])],
    options.log,
  );
  if (options.metrics && options.metricsAccess)
    metricsRoutes(health, options.metrics, options.metricsAccess);
  app.use(health);
  // After the health probe, so that an overloaded instance still answers its orchestrator.
  app.use(concurrencyCap(options.config.limits.maxConcurrentRequests));

  const openapi = express.Router({ strict: true, caseSensitive: true });
  openApiRoutes(openapi);
  app.use(openapi);

  app.use(consoleRedirect);
  app.use(CONSOLE_PATH, consoleRouter(options.consoleDir));

  const auth: RequestHandler = authenticate(
    options.metrics
      ? countedAuthenticator(options.authenticator, options.metrics)
      : options.authenticator,
    principalRateLimit(options.config.limits.principalRequestsPerMinute),
  );
  for (const extra of options.extraRouters ?? []) {
    if (extra.authenticated === false) app.use(extra.path, extra.router);
    else app.use(extra.path, auth, extra.router);
  }

  const taxii = express.Router({ strict: true, caseSensitive: true });
  taxii.use(
    rejectUnknownMethod([CONSOLE_PATH, ...(options.extraRouters ?? []).map((extra) => extra.path)]),
  );
  taxii.use(requireTrailingSlash);
  taxii.use(requireTaxiiAccept);
  discoveryRoutes(taxii, deps, auth);
  taxii.use(auth);
  apiRootRoutes(taxii, deps);
  statusRoutes(taxii, deps);
  collectionsRoutes(taxii, deps);
  collectionRoutes(taxii, deps);
  objectsRoutes(taxii, deps);
  objectRoutes(taxii, deps);
  versionsRoutes(taxii, deps);
  manifestRoutes(taxii, deps);
  revokeRoutes(taxii, deps);
  app.use(taxii);

  app.use(() => {
    throw new NotFoundError('resource');
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const log = (res.locals as { stixgate?: unknown }).stixgate
      ? requestState(res).log
      : options.log;
    const response = toErrorResponse(asStixgateError(error), log);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
    res.status(response.status).end(response.body);
  };
  app.use(onError);
  return app;
}

/** Client errors raised by express itself (e.g. a malformed percent-encoded path) are 400s. */
function asStixgateError(error: unknown): unknown {
  if (error instanceof StixgateError) return error;
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new BadRequestError('malformed request', { cause: error });
  return error;
}

/** The dedicated metrics listener: GET /metrics and nothing else. */
export function createMetricsApp(metrics: Metrics, access: MetricsAccess, log: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('strict routing', true);
  const router = express.Router({ strict: true, caseSensitive: true });
  metricsRoutes(router, metrics, access);
  app.use(router);
  app.use((_req, res) => {
    res.status(404).type('text/plain').end('not found\n');
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    log.error({ err: error }, 'metrics request failed');
    if (!res.headersSent) res.status(500).type('text/plain').end('error\n');
  };
  app.use(onError);
  return app;
}
