// R1 Audience: a partner reads only through its group's policy. A principal in several
// configured groups reads as the STRICTEST COMBINATION of their policies, under a key of its
// own (derived from all its groups), unless the caller names one of its groups explicitly
// (e.g. a request header wired by the TAXII layer), in which case that group alone applies.
// Unknown groups are ignored; a principal with no configured group has no audience (the
// caller then serves nothing).
import { tlpRank } from '../../stix/tlp.js';
import { deriveAudienceKey, type AudienceKey } from '../keys.js';
import type { PartnerGroup, SharingModel, SharingPolicy, TimePrecision } from '../policy.js';
import { TIME_PRECISIONS } from '../policy.js';

export interface Audience {
  /** Sorted group ids. */
  groupIds: string[];
  /** AMBER+STRICT is served only when every group of the audience is a single organization (R2). */
  singleOrganization: boolean;
  /** The (combined) policy. */
  policy: SharingPolicy;
  /** Per group: policy id, revision and key epoch (audit, cache keys, key derivation). */
  members: { groupId: string; policyId: string; policyRevision: number; keyEpoch: number }[];
}

/**
 * The audience of a partner principal's `groups` claim. `requested`, when given, must be one
 * of those groups and selects it alone. Undefined when no configured group applies.
 */
export function resolveAudience(
  model: SharingModel,
  groups: readonly string[],
  requested?: string,
): Audience | undefined {
  const chosen = requested === undefined ? groups : groups.includes(requested) ? [requested] : [];
  const configured: { group: PartnerGroup; policy: SharingPolicy }[] = [];
  for (const id of [...new Set(chosen)].sort()) {
    const group = model.groups.find((g) => g.id === id);
    const policy = group && model.policies.find((p) => p.id === group.policyId);
    if (group && policy) configured.push({ group, policy });
  }
  if (configured.length === 0) return undefined;
  return {
    groupIds: configured.map((c) => c.group.id),
    singleOrganization: configured.every((c) => c.group.singleOrganization),
    policy: combinePolicies(configured.map((c) => c.policy)),
    members: configured.map((c) => ({
      groupId: c.group.id,
      policyId: c.policy.id,
      policyRevision: c.policy.revision,
      keyEpoch: c.policy.keyEpoch,
    })),
  };
}

/**
 * The strictest combination: lowest ceiling, largest k, coarsest time precision, coarsest
 * count buckets (only bounds every policy has), intersection of allow-lists, union of withheld
 * types. The revision is the sum of the members' (it grows whenever one of them changes).
 */
export function combinePolicies(policies: readonly SharingPolicy[]): SharingPolicy {
  const [first, ...rest] = policies;
  if (first === undefined) throw new RangeError('no policy to combine');
  if (rest.length === 0) return first;
  const intersect = (pick: (p: SharingPolicy) => string[]): string[] =>
    pick(first).filter((v) => rest.every((p) => pick(p).includes(v)));
  const precision = policies.reduce<TimePrecision>(
    (acc, p) =>
      TIME_PRECISIONS.indexOf(p.timePrecision) > TIME_PRECISIONS.indexOf(acc)
        ? p.timePrecision
        : acc,
    first.timePrecision,
  );
  const buckets = first.countBuckets.filter((b) => rest.every((p) => p.countBuckets.includes(b)));
  return {
    id: policies.map((p) => p.id).join('+'),
    revision: policies.reduce((sum, p) => sum + p.revision, 0),
    tlpCeiling: policies.reduce(
      (acc, p) => (tlpRank(p.tlpCeiling) < tlpRank(acc) ? p.tlpCeiling : acc),
      first.tlpCeiling,
    ),
    keyEpoch: first.keyEpoch,
    kAnonymity: Math.max(...policies.map((p) => p.kAnonymity)),
    timePrecision: precision,
    countBuckets: buckets.length > 0 ? buckets : [1],
    allowedCustomProperties: intersect((p) => p.allowedCustomProperties),
    allowedExtensions: intersect((p) => p.allowedExtensions),
    allowedCustomTypes: intersect((p) => p.allowedCustomTypes),
    allowedExternalSources: intersect((p) => p.allowedExternalSources),
    withheldTypes: [...new Set(policies.flatMap((p) => p.withheldTypes))].sort(),
  };
}

/** The key of an audience: a single group's own key, or one shared by exactly this combination. */
export function audienceKey(master: Uint8Array, audience: Audience): AudienceKey {
  return deriveAudienceKey(
    master,
    audience.members.map((m) => ({ groupId: m.groupId, epoch: m.keyEpoch })),
  );
}
