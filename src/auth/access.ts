// The one place where collection rights are decided. Every handler asks here.
import type { AccessList, CollectionRecord } from '../domain.js';
import type { Principal } from './principal.js';

function isListed(principal: Principal, list: AccessList): boolean {
  if (list.roles.includes(principal.role)) return true;
  // Groups only ever grant rights to partners: an analyst token carrying a group claim
  // must not widen or narrow what the analyst role gives.
  return principal.role === 'partner' && principal.groups.some((g) => list.groups.includes(g));
}

export function canRead(principal: Principal, collection: CollectionRecord): boolean {
  return principal.role === 'admin' || isListed(principal, collection.read);
}

export function canWrite(principal: Principal, collection: CollectionRecord): boolean {
  return principal.role === 'admin' || isListed(principal, collection.write);
}

/** Partners read through the sharing engine; analysts and admins read raw (ANONYMIZATION.md P1). */
export function readsRaw(principal: Principal): boolean {
  return principal.role !== 'partner';
}
