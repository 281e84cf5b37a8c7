// R4 Pseudonyms: which ids are replaced by their keyed pseudonym. Protected identities and
// generalized locations always (decidable from the id alone, so references to objects
// outside the page map the same way); SCOs whose content was changed by R6/R7 too, since
// their UUIDv5 ids are derived from the very values that were hidden.
import { isProtectedIdentity } from '../registry-index.js';
import { pseudonymizeId } from '../pseudonym.js';
import type { Env } from '../work.js';

export function typeOfId(id: string): string {
  const sep = id.indexOf('--');
  return sep > 0 ? id.slice(0, sep) : '';
}

/** True when the id is always pseudonymized for this registry, whatever the object says. */
export function isPseudonymizedById(id: string, env: Pick<Env, 'registry' | 'index'>): boolean {
  const type = typeOfId(id);
  if (type === 'identity') return isProtectedIdentity(env.registry, env.index, id);
  if (type === 'location') return !env.index.allowedLocations.has(id);
  return false;
}

/** The id partners see for an object, given whether its own derivation pseudonymized it. */
export function servedId(
  id: string,
  pseudonymized: boolean,
  env: Pick<Env, 'registry' | 'index' | 'key'>,
): string {
  return pseudonymized || isPseudonymizedById(id, env) ? pseudonymizeId(env.key, id) : id;
}

/**
 * The originals among `candidates` whose pseudonym is one of `requested`: how a caller finds
 * the stored object a partner names by its pseudonymous id (the mapping itself is one-way).
 * Callers pass the stored ids of the requested ids' types; unmatched requests map to nothing.
 */
export function originalsOfPseudonyms(
  requested: readonly string[],
  candidates: Iterable<string>,
  key: Env['key'],
): Map<string, string> {
  const wanted = new Set(requested);
  const found = new Map<string, string>();
  for (const id of candidates) {
    const p = pseudonymizeId(key, id);
    if (wanted.has(p)) found.set(p, id);
  }
  return found;
}
