// R4 Pseudonyms: which ids are replaced by their keyed pseudonym. Protected identities and
// generalized locations always (decidable from the id alone, so references to objects
// outside the page map the same way); SCOs whose content was changed by R6/R7 too, since
// their UUIDv5 ids are derived from the very values that were hidden, and SCOs whose served
// id-contributing properties differ from the raw ones in any way (a referenced SCO re-derived
// or pruned, a property dropped): the keyed pseudonym id differs per audience, so it neither
// reveals the values nor links two groups' views.
import { isProtectedIdentity } from '../registry-index.js';
import { ID_CONTRIBUTING_PROPERTIES } from '../../stix/id-contributing.js';
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

/**
 * Whether any id-contributing property (STIX 2.1 §6) of a derived SCO differs from the raw
 * object's: rewritten, dropped, or a reference now naming a re-derived or pruned object.
 * Such an SCO must not keep its id, whose UUIDv5 was computed over the hidden values.
 */
export function idContributorsChanged(
  served: Readonly<Record<string, unknown>>,
  raw: Readonly<Record<string, unknown>> | undefined,
): boolean {
  const type = typeof served.type === 'string' ? served.type : '';
  const props = ID_CONTRIBUTING_PROPERTIES[type];
  if (props === undefined || raw === undefined) return false;
  return props.some((p) => JSON.stringify(served[p]) !== JSON.stringify(raw[p]));
}
