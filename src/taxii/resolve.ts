// Finds the API root and collection a request names, and applies the access rules: a
// collection the caller can neither read nor write answers exactly like a missing one
// (TAXII 2.1 §5.2 and App. B), with canRead/canWrite as the only judges.
import { canRead, canWrite } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import type { ApiRootConfig } from '../config/types.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { CollectionRecord } from '../store/types.js';
import type { TaxiiDeps } from './deps.js';

export function resolveApiRoot(deps: TaxiiDeps, rootPath: string): ApiRootConfig {
  const root = deps.config.apiRoots.find((r) => r.path === rootPath);
  if (!root) throw new NotFoundError('api root', rootPath);
  return root;
}

export interface ResolvedCollection {
  root: ApiRootConfig;
  collection: CollectionRecord;
}

/** The collection if the caller may read or write it; NotFoundError otherwise. */
export async function resolveVisibleCollection(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  idOrAlias: string,
): Promise<ResolvedCollection> {
  const root = resolveApiRoot(deps, rootPath);
  const collection = await deps.store.getCollection(root.path, idOrAlias);
  if (!collection || !(canRead(principal, collection) || canWrite(principal, collection))) {
    throw new NotFoundError('collection', idOrAlias);
  }
  return { root, collection };
}

export async function resolveReadableCollection(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  idOrAlias: string,
): Promise<ResolvedCollection> {
  const resolved = await resolveVisibleCollection(deps, principal, rootPath, idOrAlias);
  // TAXII 2.1 §5.4: can_read false → 403 (the collection itself is visible through can_write).
  if (!canRead(principal, resolved.collection))
    throw new ForbiddenError('this collection is not readable with your credentials');
  return resolved;
}

export async function resolveWritableCollection(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  idOrAlias: string,
): Promise<ResolvedCollection> {
  const resolved = await resolveVisibleCollection(deps, principal, rootPath, idOrAlias);
  if (!canWrite(principal, resolved.collection))
    throw new ForbiddenError('this collection is not writable with your credentials');
  return resolved;
}
