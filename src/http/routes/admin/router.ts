// The admin API, mounted at /admin/ behind authentication (app.ts `extraRouters`) as one
// router: admin role only, JSON in and out (`application/json`), errors through the shared
// TAXII error envelope, every change appended to the audit trail. Documented in docs/auth.md
// and docs/partner-reads.md.
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../../../config/types.js';
import { NotFoundError } from '../../../errors.js';
import type { Micros, Store } from '../../../store/types.js';
import type { ExtraRouter } from '../../app.js';
import { adminCollectionRoutes } from './collections.js';
import { adminGroupRoutes } from './groups.js';
import { adminSharingRoutes, type SharingAdminOptions } from './sharing.js';
import { requireAdmin, type AdminContext, type PartnerGroupInfo } from './support.js';
import { adminTokenRoutes } from './tokens.js';

export interface AdminOptions {
  config: Readonly<Config>;
  store: Store;
  log?: Logger;
  /**
   * Partner groups as declared in the configuration's sharing section; read at each request
   * so that a SIGHUP reload shows. Absent → no groups declared.
   */
  listGroups?: () => readonly PartnerGroupInfo[];
  /** The sharing endpoints (audit, preview, sharing state and reload); absent → not served. */
  sharing?: SharingAdminOptions;
  /** Microseconds; injectable for tests. */
  now?: () => Micros;
}

/**
 * The admin API as app.ts mounts it (`startServer`'s `extraRouters`). Partner groups come
 * from the running sharing model when `sharing` is given, else from the configuration's
 * sharing section.
 */
export function adminMount(
  ctx: { config: Readonly<Config>; store: Store; log?: Logger },
  sharing?: SharingAdminOptions,
): ExtraRouter {
  let groups: () => readonly PartnerGroupInfo[];
  if (sharing !== undefined) groups = () => sharing.runtime.groups();
  else {
    const declared = ctx.config.sharing.groups;
    groups = () => declared;
  }
  return {
    path: '/admin',
    router: createAdminRouter({
      ...ctx,
      listGroups: groups,
      ...(sharing !== undefined && { sharing }),
    }),
  };
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
  if (options.sharing !== undefined) adminSharingRoutes(router, ctx, options.sharing);
  // Unknown admin paths end here rather than falling through to the TAXII routes.
  router.use(() => {
    throw new NotFoundError('admin resource');
  });
  return router;
}
