// Admin API: partner groups, read-only. Groups are declared in the configuration file's
// sharing section together with their sharing policy, because a group is only as safe as its
// policy: both are reviewed together, versioned with the file, identical on every instance,
// and changed by editing the file and reloading (SIGHUP), never by a runtime call that one
// instance would see and another not. This endpoint shows what is in force and which
// collections each group may read or write.
import type { Router } from 'express';
import { sendJson, type AdminContext } from './support.js';

export function adminGroupRoutes(router: Router, ctx: AdminContext): void {
  router.get('/groups/', async (_req, res) => {
    const collections = await ctx.store.listCollections();
    const groups = ctx.listGroups().map((g) => {
      const grants = (list: 'read' | 'write') =>
        collections
          .filter((c) => c[list].groups.includes(g.id))
          .map((c) => ({ api_root: c.apiRoot, id: c.id, title: c.title }));
      return {
        id: g.id,
        ...(g.name !== undefined && { name: g.name }),
        ...(g.policyId !== undefined && { policy: g.policyId }),
        ...(g.singleOrganization !== undefined && { single_organization: g.singleOrganization }),
        can_read: grants('read'),
        can_write: grants('write'),
      };
    });
    sendJson(res, 200, { groups });
  });
}
