// R10 across pages: the latest stored versions (same visibility) of the objects a page
// references, and of the objects those reference, handed to derive() as view objects (derive
// decides which are served; references to anything else are pruned), and the digest of that
// neighbourhood that is part of each derived entry's cache key.
import { isTlpMarkingId } from '../stix/tlp.js';
import { LATEST_SPEC_VERSIONS } from '../stix/spec-versions.js';
import type { ObjectRecord, Store, Visibility } from '../store/types.js';

/** Bound on the referenced objects fetched for one page (per level): a report may list thousands. */
export const MAX_VIEW_REFERENCES = 5000;

export interface Parsed {
  record: ObjectRecord;
  object: unknown;
  refs: string[];
}

function collectRefs(node: unknown, key: string, out: Set<string>): void {
  if (typeof node === 'string') {
    if ((key.endsWith('_ref') || key.endsWith('_refs')) && !isTlpMarkingId(node)) out.add(node);
  } else if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, key, out);
  } else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) collectRefs(v, k, out);
  }
}

export function parse(record: ObjectRecord): Parsed {
  let object: unknown = null;
  try {
    object = JSON.parse(record.json) as unknown;
  } catch {
    // derive() withholds what is not an object.
  }
  const refs = new Set<string>();
  collectRefs(object, '', refs);
  return { record, object, refs: [...refs] };
}

/**
 * The latest stored versions (under `visibility`) of the objects `items` reference, two levels
 * deep: a relationship or sighting referenced by the page brings its own required targets.
 */
export interface Neighbourhood {
  /** Referenced objects the audience may see (latest versions), by id. */
  objects: Map<string, Parsed>;
  /**
   * Referenced statement marking-definitions the audience may not see (e.g. above its
   * ceiling): not served, so references to them are pruned, but known to carry no TLP meaning
   * (R2) so that the objects they mark are not withheld as carrying an unknown marking.
   */
  statements: string[];
}

export async function loadNeighbourhood(
  store: Store,
  collectionId: string,
  items: readonly Parsed[],
  visibility: Visibility | undefined,
): Promise<Neighbourhood> {
  const found = new Map<string, Parsed>();
  const query = async (ids: string[], withVisibility: boolean): Promise<Parsed[]> => {
    if (ids.length === 0) return [];
    const page = await store.query(collectionId, {
      ids,
      versions: { kind: 'some', first: false, last: true, versions: [] },
      specVersions: LATEST_SPEC_VERSIONS,
      limit: ids.length,
      ...(withVisibility && visibility !== undefined && { visibility }),
    });
    return page.records.map(parse);
  };
  const fetch = async (ids: string[]): Promise<Parsed[]> => {
    const parsed = await query(
      ids.filter((id) => !found.has(id)).slice(0, MAX_VIEW_REFERENCES),
      true,
    );
    for (const p of parsed) found.set(p.record.id, p);
    return parsed;
  };
  const level1 = await fetch([...new Set(items.flatMap((p) => p.refs))]);
  await fetch([...new Set(level1.flatMap((p) => p.refs))]);
  const markings = new Set<string>();
  for (const p of [...items, ...found.values()]) {
    for (const ref of p.refs)
      if (ref.startsWith('marking-definition--') && !found.has(ref)) markings.add(ref);
  }
  const hidden = await query([...markings].slice(0, MAX_VIEW_REFERENCES), false);
  const statements = hidden
    .filter((p) => {
      const o = p.object as { type?: unknown; definition_type?: unknown } | null;
      return o !== null && o.type === 'marking-definition' && o.definition_type === 'statement';
    })
    .map((p) => p.record.id)
    .sort();
  return { objects: found, statements };
}

/** The neighbourhood an object's derivation depends on, as `id@dateAdded` (part of its cache key). */
export function neighbourhoodDigest(
  item: Parsed,
  around: Map<string, Parsed>,
  statements: ReadonlySet<string>,
): string {
  const seen = new Set<string>();
  const note = (ref: string): Parsed | undefined => {
    const found = around.get(ref);
    if (found !== undefined) seen.add(`${ref}@${found.record.dateAdded}`);
    else if (statements.has(ref)) seen.add(`${ref}:statement`);
    return found;
  };
  for (const ref of item.refs) {
    const first = note(ref);
    if (first !== undefined) for (const ref2 of first.refs) note(ref2);
  }
  return [...seen].sort().join(',');
}
