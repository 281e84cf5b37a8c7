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
import { toErrorResponse } from './error-envelope.js';
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
import { requestState } from './request-context.js';
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
  };
}

export function createApp(options: AppOptions): Express {
  const deps = createTaxiiDeps(options);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('case sensitive routing', true);
  app.set('strict routing', true);

  app.use(requestContext(options.log));
  app.use(securityHeaders({ tls: options.config.tls !== undefined }));
  app.use(requireOneHost);
  app.use(cors(options.config.cors.allowOrigins));
  app.use(answerOptions);

  const health = express.Router({ strict: true, caseSensitive: true });
  healthRoutes(health, options.store);
  app.use(health);

  app.use(consoleRedirect);
  app.use(CONSOLE_PATH, consoleRouter(options.consoleDir));

  const auth: RequestHandler = authenticate(options.authenticator);
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
