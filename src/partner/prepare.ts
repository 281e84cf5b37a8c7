// What one derivation needs, the same for a partner read and an admin preview: the parsed
// records, their neighbourhood without the objects withheld for a hidden version, and the
// engine call on them.
import { derive, type DeriveResult } from '../sharing/engine.js';
import type { ObjectValidator } from '../sharing/ports.js';
import type { CollectionRecord, ObjectRecord, Store, Visibility } from '../store/types.js';
import { loadNeighbourhood, parse, type Neighbourhood, type Parsed } from './neighbourhood.js';
import type { ResolvedAudience, SharingState } from './state.js';
import { idsWithHiddenVersions } from './visibility.js';

export interface PreparedView {
  items: Parsed[];
  around: Neighbourhood;
  /** Ids with a stored version above the audience's TLP: withheld whatever derive() decides. */
  partlyHidden: Set<string>;
}

/** Parse → fetch references → hidden versions, on one page of records. */
export async function prepareView(
  store: Store,
  collection: CollectionRecord,
  records: readonly ObjectRecord[],
  visibility: Visibility,
): Promise<PreparedView> {
  const items = records.map(parse);
  const around = await loadNeighbourhood(store, collection.id, items, visibility);
  const partlyHidden = await idsWithHiddenVersions(
    store,
    collection.id,
    [...items.map((p) => p.record.id), ...around.objects.keys()],
    visibility,
  );
  // A referenced object withheld for a hidden version is not in the view: references to it
  // are pruned (R10) like references to anything else the audience does not receive.
  for (const id of partlyHidden) around.objects.delete(id);
  return { items, around, partlyHidden };
}

export interface DeriveForAudienceInput {
  state: SharingState;
  resolved: ResolvedAudience;
  collection: CollectionRecord;
  validator: ObjectValidator;
  items: readonly Parsed[];
  around: Neighbourhood;
}

export function runDerive(input: DeriveForAudienceInput): DeriveResult {
  const { state, resolved, collection, items, around } = input;
  const inPage = new Set(items.map((p) => p.record.id));
  const viewObjects = [...around.objects.values()]
    .filter((p) => !inPage.has(p.record.id))
    .map((p) => p.object);
  return derive(
    resolved.audience.policy,
    state.prepared.registry,
    resolved.key,
    items.map((p) => p.object),
    {
      audience: resolved.audience,
      tools: { scanner: state.prepared.scanner, validator: input.validator },
      defaultTlp: collection.defaultTlp,
      validationMode: collection.validation,
      viewObjects,
      nonTlpMarkings: around.statements,
      index: state.prepared.index,
    },
  );
}
