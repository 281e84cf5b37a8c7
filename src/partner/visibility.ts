// R2 and withheld types pushed down into the store query (TlpCode allow-list, `none` when the
// collection default is servable, `unknown` always: the engine classifies those markings), so
// pages stay full and headers/`more` are computed over what is served; and the objects that
// have a version above the ceiling, withheld whole.
import type { Audience } from '../sharing/rules/r01-audience.js';
import { LATEST_SPEC_VERSIONS } from '../stix/spec-versions.js';
import { tlpRank, type TlpLevel } from '../stix/tlp.js';
import type { CollectionRecord, Store, TlpCode, Visibility } from '../store/types.js';

const LEVELS: readonly TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

/** TLP codes of stored records the audience may receive (R2), pushed down into the query. */
export function visibleTlpCodes(audience: Audience, defaultTlp: TlpLevel): TlpCode[] {
  const servable = (level: TlpLevel): boolean =>
    level !== 'red' &&
    (level !== 'amber+strict' || audience.singleOrganization) &&
    tlpRank(level) <= tlpRank(audience.policy.tlpCeiling);
  const codes: TlpCode[] = LEVELS.filter(servable);
  // Unmarked records take the collection default.
  if (servable(defaultTlp)) codes.push('none');
  // 'unknown' = a marking ingest could not classify alone (a statement marking, e.g. a
  // copyright, or a custom definition). The engine decides with the marking objects of the
  // view at hand (R2: statement → no TLP meaning; anything else → withheld); the page is
  // filled if it withholds. Not pushing it would hide every statement-marked object.
  codes.push('unknown');
  return codes;
}

const ALL_TLP_CODES: readonly TlpCode[] = [
  'clear',
  'green',
  'amber',
  'amber+strict',
  'red',
  'none',
  'unknown',
];

/**
 * Ids among `ids` with at least one stored version above the audience's TLP (R2). Such an
 * object is withheld on every surface, all versions: the store's first/last markers are per id
 * over every version, so serving the visible versions of a partly hidden object would let
 * `match[version]=first|last|all` disagree and reveal that a hidden version exists
 * (Principle 5). Fail closed: a declassified object whose older version stays above the
 * ceiling is not shared until that version is deleted.
 */
export async function idsWithHiddenVersions(
  store: Store,
  collectionId: string,
  ids: readonly string[],
  visibility: Visibility,
): Promise<Set<string>> {
  const tainted = new Set<string>();
  const visible = visibility.tlp;
  if (visible === undefined || ids.length === 0) return tainted;
  const hidden = ALL_TLP_CODES.filter((code) => !visible.includes(code));
  if (hidden.length === 0) return tainted;
  let addedAfter: number | undefined;
  for (;;) {
    const page = await store.query(collectionId, {
      ids: [...new Set(ids)],
      versions: { kind: 'all' },
      specVersions: LATEST_SPEC_VERSIONS,
      visibility: { tlp: hidden },
      limit: 1000,
      ...(addedAfter !== undefined && { addedAfter }),
    });
    for (const record of page.records) tainted.add(record.id);
    const last = page.records.at(-1);
    if (!page.more || last === undefined) return tainted;
    addedAfter = last.dateAdded;
  }
}

export function visibilityOf(audience: Audience, collection: CollectionRecord): Visibility {
  const visibility: Visibility = { tlp: visibleTlpCodes(audience, collection.defaultTlp) };
  if (audience.policy.withheldTypes.length > 0)
    visibility.excludeTypes = [...audience.policy.withheldTypes];
  return visibility;
}
