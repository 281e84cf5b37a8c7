// TAXII 2.1 §5.1 collections and §5.2 collection resources. Only collections the caller can
// read or write are listed; partners see only the partner title/description (R12: never the
// internal ones; no partner title → a neutral one, no partner description → none).
import { canRead, canWrite, readsRaw } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { partnerCollectionText } from '../sharing/rules/r12-surfaces.js';
import type { CollectionRecord } from '../store/types.js';
import { STIX_MEDIA_TYPE, type TaxiiDeps } from './deps.js';
import { resolveApiRoot, resolveVisibleCollection } from './resolve.js';

export function describeCollection(
  principal: Principal,
  c: CollectionRecord,
): Record<string, unknown> {
  const { title, description } = readsRaw(principal) ? c : partnerCollectionText(c);
  return {
    id: c.id,
    title,
    ...(description !== undefined && { description }),
    ...(c.alias !== undefined && { alias: c.alias }),
    can_read: canRead(principal, c),
    can_write: canWrite(principal, c),
    media_types: [STIX_MEDIA_TYPE],
  };
}

export async function listCollections(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
): Promise<string> {
  const root = resolveApiRoot(deps, rootPath);
  // The store lists in (createdAt, id) order, which is stable (§5.1 MUST).
  const all = await deps.store.listCollections(root.path);
  const visible = all.filter((c) => canRead(principal, c) || canWrite(principal, c));
  // §5.1: no collections → an empty resource.
  if (visible.length === 0) return '{}';
  return JSON.stringify({ collections: visible.map((c) => describeCollection(principal, c)) });
}

export async function getCollection(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  idOrAlias: string,
): Promise<string> {
  const { collection } = await resolveVisibleCollection(deps, principal, rootPath, idOrAlias);
  return JSON.stringify(describeCollection(principal, collection));
}
