// Admin API: collections and their rights. Bodies use the configuration file's snake_case
// shape and are validated by the same parser (parseCollectionSeed), so a collection is
// valid one way whether it comes from the file, the CLI or this API.
//
// Collections declared in the configuration file belong to the file (re-applied at every
// start): the API refuses to change or delete them, rather than let a restart silently undo
// the change.
import { randomUUID } from 'node:crypto';
import type { Request, Router } from 'express';
import { parseCollectionSeed } from '../../config/load-config.js';
import { collectionRecordOf } from '../../taxii/seed-collections.js';
import type { CollectionSeed } from '../../config/types.js';
import { BadRequestError, ConfigError, ConflictError, NotFoundError } from '../../errors.js';
import type { CollectionRecord } from '../../store/types.js';
import { param, queryOf } from './params.js';
import { audit, isoFromMicros, readAdminBody, sendJson, type AdminContext } from './admin.js';

const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function adminCollectionRoutes(router: Router, ctx: AdminContext): void {
  router.get('/collections/', async (req, res) => {
    const root = singleQuery(req, 'api_root');
    if (root !== undefined) requireRoot(ctx, root);
    const all = await ctx.store.listCollections(root);
    sendJson(res, 200, { collections: all.map((c) => describe(ctx, c)) });
  });

  // Object counts apart from the listing: counting is a store query per collection, which a
  // client that only wants rights should not pay for.
  router.get('/collection-counts/', async (req, res) => {
    const root = singleQuery(req, 'api_root');
    if (root !== undefined) requireRoot(ctx, root);
    const all = await ctx.store.listCollections(root);
    const counts = await Promise.all(all.map((c) => ctx.store.countObjects(c.id)));
    sendJson(res, 200, {
      collections: all.map((c, i) => ({ api_root: c.apiRoot, id: c.id, objects: counts[i] })),
    });
  });

  router.post('/collections/', async (req, res) => {
    const body = await readAdminBody(req);
    const raw = isObject(body) ? { ...body } : body;
    if (isObject(raw) && raw.id === undefined) raw.id = randomUUID();
    const seed = parse(ctx, raw);
    validateSeed(ctx, seed);
    if (await ctx.store.getCollection(seed.apiRoot, seed.id)) {
      throw new ConflictError(`collection ${seed.id} already exists`);
    }
    const record = collectionRecordOf(seed, ctx.now());
    // The store refuses an alias already used in the API root (ConflictError).
    await ctx.store.putCollection(record);
    await audit(ctx, res, 'collection.create', {
      apiRoot: record.apiRoot,
      collectionId: record.id,
      details: { read: record.read, write: record.write },
    });
    res.setHeader('Location', `${req.baseUrl}/collections/${record.apiRoot}/${record.id}/`);
    sendJson(res, 201, describe(ctx, record));
  });

  router.get('/collections/:root/:id/', async (req, res) => {
    sendJson(res, 200, describe(ctx, await existing(ctx, param(req, 'root'), param(req, 'id'))));
  });

  router.put('/collections/:root/:id/', async (req, res) => {
    const root = param(req, 'root');
    const id = param(req, 'id');
    const current = await existing(ctx, root, id);
    refuseConfigured(ctx, current);
    const body = await readAdminBody(req);
    if (!isObject(body)) throw new BadRequestError('the body must be a JSON object');
    if (body.id !== undefined && body.id !== id) throw new BadRequestError('id cannot be changed');
    if (body.api_root !== undefined && body.api_root !== root)
      throw new BadRequestError('api_root cannot be changed');
    // `created` and `source` are read-only: accepted (ignored) so that GET → edit → PUT works.
    const { created: _created, source: _source, ...fields } = body;
    const seed = parse(ctx, { ...fields, id, api_root: root });
    validateSeed(ctx, seed);
    const record = collectionRecordOf(seed, current.createdAt);
    await ctx.store.putCollection(record);
    await audit(ctx, res, 'collection.update', {
      apiRoot: root,
      collectionId: id,
      details: { read: record.read, write: record.write },
    });
    sendJson(res, 200, describe(ctx, record));
  });

  router.delete('/collections/:root/:id/', async (req, res) => {
    const root = param(req, 'root');
    const id = param(req, 'id');
    const current = await existing(ctx, root, id);
    refuseConfigured(ctx, current);
    const objects = await ctx.store.countObjects(id);
    if (!(await ctx.store.deleteCollection(root, id))) throw new NotFoundError('collection', id);
    await audit(ctx, res, 'collection.delete', {
      apiRoot: root,
      collectionId: id,
      details: { objects },
    });
    sendJson(res, 200, { deleted: id, objects });
  });
}

function parse(ctx: AdminContext, raw: unknown): CollectionSeed {
  try {
    return parseCollectionSeed(raw, 'collection', ctx.config.apiRoots);
  } catch (error) {
    // A configuration error here is the client's input, not the server's setup.
    if (error instanceof ConfigError) throw new BadRequestError(error.message);
    throw error;
  }
}

function validateSeed(ctx: AdminContext, seed: CollectionSeed): void {
  // An alias shaped like an id would make `/collections/{id}/` ambiguous.
  if (seed.alias !== undefined && UUID_LIKE.test(seed.alias)) {
    throw new BadRequestError('collection.alias: must not look like a collection id');
  }
  const declared = new Set(ctx.listGroups().map((g) => g.id));
  if (declared.size === 0) return;
  for (const [list, access] of [
    ['read', seed.read],
    ['write', seed.write],
  ] as const) {
    for (const group of access.groups) {
      if (!declared.has(group))
        throw new BadRequestError(`collection.${list}.groups: unknown partner group "${group}"`);
    }
  }
}

function requireRoot(ctx: AdminContext, root: string): void {
  if (!ctx.config.apiRoots.some((r) => r.path === root)) throw new NotFoundError('api root', root);
}

async function existing(ctx: AdminContext, root: string, id: string): Promise<CollectionRecord> {
  requireRoot(ctx, root);
  const record = await ctx.store.getCollection(root, id);
  // By id only: an alias names a collection for TAXII clients, not for the admin API.
  if (!record || record.id !== id) throw new NotFoundError('collection', id);
  return record;
}

function isConfigured(ctx: AdminContext, c: CollectionRecord): boolean {
  return (
    !ctx.config.usesDefaultCollections &&
    ctx.config.collections.some((s) => s.id === c.id && s.apiRoot === c.apiRoot)
  );
}

function refuseConfigured(ctx: AdminContext, c: CollectionRecord): void {
  if (isConfigured(ctx, c)) {
    throw new ConflictError(
      `collection ${c.id} is declared in the configuration file; change it there`,
    );
  }
}

/** The admin view of a collection, in the configuration file's shape. */
function describe(ctx: AdminContext, c: CollectionRecord): Record<string, unknown> {
  return {
    id: c.id,
    api_root: c.apiRoot,
    title: c.title,
    ...(c.description !== undefined && { description: c.description }),
    ...(c.alias !== undefined && { alias: c.alias }),
    read: c.read,
    write: c.write,
    validation: c.validation,
    default_tlp: c.defaultTlp,
    ...(c.partnerTitle !== undefined && { partner_title: c.partnerTitle }),
    ...(c.partnerDescription !== undefined && { partner_description: c.partnerDescription }),
    created: isoFromMicros(c.createdAt),
    source: isConfigured(ctx, c) ? 'config' : 'api',
  };
}

/** One optional parameter; anything else in the query is refused (no silent typos). */
function singleQuery(req: Request, name: string): string | undefined {
  const query = queryOf(req);
  for (const key of query.keys())
    if (key !== name) throw new BadRequestError(`unknown query parameter ${key}`);
  const value = query.get(name);
  if (value === '') throw new BadRequestError(`${name} must not be empty`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
