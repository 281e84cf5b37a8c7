// R3 Identities: a protected identity becomes {id: P(id), name: "Victim-" + P8,
// identity_class, sectors: G(sector)}; everything else is dropped. G climbs the sector
// ladder until at least k registry constituents share the label; no label qualifies → no
// sectors. Locations not on the allow-list keep only country and region.
import { entityLabel } from '../pseudonym.js';
import { isProtectedIdentity, sectorChain } from '../registry-index.js';
import { Withhold, type Env, type Work } from '../work.js';

/** Properties a reduced identity/location keeps besides its own (markings never go: R2). */
const FRAME = [
  'type',
  'spec_version',
  'id',
  'created',
  'modified',
  'revoked',
  'object_marking_refs',
  'granular_markings',
];

/** The most specific label on the ladder shared by at least k constituents, if any. */
export function generalizeSector(
  sector: string,
  env: Pick<Env, 'registry' | 'index' | 'policy'>,
): string | undefined {
  for (const label of sectorChain(env.registry.sectorLadder, sector)) {
    if (env.index.sectorCount(label) >= env.policy.kAnonymity) return label;
  }
  return undefined;
}

function keepOnly(work: Work, keep: readonly string[]): void {
  for (const key of Object.keys(work.obj)) {
    if (!keep.includes(key)) work.drop('R3', [key]);
  }
}

export function applyIdentity(work: Work, env: Env): void {
  if (work.type !== 'identity' || !isProtectedIdentity(env.registry, env.index, work.originalId))
    return;
  const entity = env.index.entityByIdentity.get(work.originalId);
  const sources =
    entity?.sector !== undefined
      ? [entity.sector]
      : Array.isArray(work.obj.sectors)
        ? work.obj.sectors.filter((s): s is string => typeof s === 'string')
        : [];
  keepOnly(work, [...FRAME, 'name', 'identity_class', 'sectors']);
  work.obj.name = entityLabel(env.key, entity ? entity.id : `identity:${work.originalId}`);
  work.hit('R3', 'name', 'P');
  const generalized = [
    ...new Set(sources.map((s) => generalizeSector(s, env)).filter((s) => s !== undefined)),
  ].sort();
  if (work.obj.sectors !== undefined || generalized.length > 0) {
    if (generalized.length > 0) work.obj.sectors = generalized;
    else delete work.obj.sectors;
    work.hit('R3', 'sectors', 'G');
  }
  work.pseudonymizeId = true;
  work.hit('R4', 'id', 'P');
}

export function applyLocation(work: Work, env: Env): void {
  if (work.type !== 'location' || env.index.allowedLocations.has(work.originalId)) return;
  keepOnly(work, [...FRAME, 'region', 'country']);
  if (typeof work.obj.region !== 'string' && typeof work.obj.country !== 'string') {
    throw new Withhold('R3', 'location with neither country nor region');
  }
  work.pseudonymizeId = true;
  work.hit('R4', 'id', 'P');
}
