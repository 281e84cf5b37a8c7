// The admin API, mounted at /admin/ behind authentication (app.ts `extraRouters`): admin role
// only, JSON in and out (`application/json`), errors through the shared TAXII error envelope,
// every change appended to the audit trail. Documented in docs/auth.md.
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Principal } from '../../auth/principal.js';
import { parseSharingConfig } from '../../config/sharing-config.js';
import type { Config } from '../../config/types.js';
import { ForbiddenError, NotFoundError, UnsupportedMediaTypeError } from '../../errors.js';
import type { AuditRecord, Micros, Store } from '../../store/types.js';
import type { ExtraRouter } from '../app.js';
import { readJsonBody } from '../body.js';
import { principalOf } from '../request-context.js';
import { adminCollectionRoutes } from './admin-collections.js';
import { adminGroupRoutes, type PartnerGroupInfo } from './admin-groups.js';
import { adminTokenRoutes } from './admin-tokens.js';

export interface AdminOptions {
  config: Readonly<Config>;
  store: Store;
  log?: Logger;
  /**
   * Partner groups as declared in the configuration's sharing section (SHARING-ENGINE parses
   * it); read at each request so that a SIGHUP reload shows. Absent → no groups declared.
   */
  listGroups?: () => readonly PartnerGroupInfo[];
  /** Microseconds; injectable for tests. */
  now?: () => Micros;
}

export interface AdminContext {
  config: Readonly<Config>;
  store: Store;
  listGroups: () => readonly PartnerGroupInfo[];
  now: () => Micros;
}

/** Admin requests are small; a collection definition is well under this. */
export const ADMIN_BODY_LIMIT = 64 * 1024;

/**
 * The admin API as app.ts mounts it (`startServer`'s `extraRouters`). Partner groups come
 * from the configuration's sharing section unless `listGroups` is given (e.g. by the sharing
 * wiring, so that a SIGHUP reload shows).
 */
export function adminMount(
  ctx: { config: Readonly<Config>; store: Store; log?: Logger },
  listGroups?: () => readonly PartnerGroupInfo[],
): ExtraRouter {
  let groups = listGroups;
  if (groups === undefined) {
    const declared = parseSharingConfig(ctx.config.sharing).groups;
    groups = () => declared;
  }
  return { path: '/admin', router: createAdminRouter({ ...ctx, listGroups: groups }) };
}

export function createAdminRouter(options: AdminOptions): Router {
  const ctx: AdminContext = {
    config: options.config,
    store: options.store,
    listGroups: options.listGroups ?? (() => []),
    now: options.now ?? (() => Date.now() * 1000),
  };
  // Not strict: `/admin/collections` and `/admin/collections/` are the same resource.
  const router = express.Router({ caseSensitive: true });
  router.use(requireAdmin);
  adminCollectionRoutes(router, ctx);
  adminGroupRoutes(router, ctx);
  adminTokenRoutes(router, ctx);
  // Unknown admin paths end here rather than falling through to the TAXII routes.
  router.use(() => {
    throw new NotFoundError('admin resource');
  });
  return router;
}

/**
 * Admin role only. The admin API's existence is documented, so a 403 for an authenticated
 * non-admin leaks nothing (unlike TAXII resources, where invisible means 404).
 */
const requireAdmin: RequestHandler = (_req, res, next) => {
  if (principalOf(res).role !== 'admin')
    throw new ForbiddenError('the admin API requires the admin role');
  next();
};

export function sendJson(res: Response, status: number, body: unknown): void {
  res.setHeader('Content-Type', 'application/json');
  res.status(status).end(status === 204 ? undefined : JSON.stringify(body));
}

/** A JSON request body (Content-Type application/json, at most ADMIN_BODY_LIMIT bytes). */
export async function readAdminBody(req: Request): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json')
    throw new UnsupportedMediaTypeError('the admin API takes application/json');
  return readJsonBody(req, ADMIN_BODY_LIMIT);
}

/** Appends one audit record for an admin action by the caller. */
export async function audit(
  ctx: AdminContext,
  res: Response,
  action: string,
  fields: Omit<AuditRecord, 'at' | 'actor' | 'role' | 'groups' | 'action'>,
): Promise<void> {
  const principal: Principal = principalOf(res);
  await ctx.store.appendAudit([
    {
      at: ctx.now(),
      actor: principal.subject,
      role: principal.role,
      groups: [...principal.groups],
      action,
      ...fields,
      details: { source: 'http', ...fields.details },
    },
  ]);
}

export function isoFromMicros(micros: Micros): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}
