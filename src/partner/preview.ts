// R14 preview: the objects as one group would receive them, beside the originals, prepared
// exactly as a partner read prepares them (prepare.ts).
import type { DeriveResult } from '../sharing/engine.js';
import type { ObjectValidator } from '../sharing/ports.js';
import { buildPreview, type PreviewEntry } from '../sharing/rules/r14-audit.js';
import { LATEST_SPEC_VERSIONS } from '../stix/spec-versions.js';
import type { CollectionRecord, Store } from '../store/types.js';
import { prepareView, runDerive } from './prepare.js';
import { audienceOf, type SharingState } from './state.js';
import { visibilityOf } from './visibility.js';

export interface PreviewRequest {
  state: SharingState;
  store: Store;
  validator: ObjectValidator;
  groupId: string;
  collection: CollectionRecord;
  /** Object ids (latest versions); absent → the collection's latest objects in date_added order. */
  ids?: string[];
  addedAfter?: number;
  limit: number;
}

export interface PreviewResult {
  group: string;
  policy: { id: string; revision: number };
  registryRevision: number;
  entries: PreviewEntry[];
  more: boolean;
  /** date_added of the last object previewed (for the next page). */
  lastDateAdded?: number;
}

/**
 * R14 preview: the objects as one group would receive them, beside the originals, with each
 * change annotated. The previewed objects are read without the TLP/type pushdown so that the
 * reason they are withheld shows; their references resolve as in the partner view.
 */
export async function previewForGroup(request: PreviewRequest): Promise<PreviewResult | undefined> {
  const resolved = audienceOf(request.state, [request.groupId], request.groupId);
  if (resolved === undefined) return undefined;
  const page = await request.store.query(request.collection.id, {
    ...(request.ids !== undefined && { ids: request.ids }),
    ...(request.addedAfter !== undefined && { addedAfter: request.addedAfter }),
    versions: { kind: 'some', first: false, last: true, versions: [] },
    specVersions: LATEST_SPEC_VERSIONS,
    limit: request.limit,
  });
  const visibility = visibilityOf(resolved.audience, request.collection);
  const { items, around, partlyHidden } = await prepareView(
    request.store,
    request.collection,
    page.records,
    visibility,
  );
  const derived = runDerive({
    state: request.state,
    resolved,
    collection: request.collection,
    validator: request.validator,
    items,
    around,
  });
  // The partner view withholds these whatever derive() made of them (see idsWithHiddenVersions).
  const result: DeriveResult = {
    ...derived,
    served: derived.served.filter((s) => !partlyHidden.has(s.originalId)),
    withheld: [
      ...derived.withheld,
      ...derived.served
        .filter((s) => partlyHidden.has(s.originalId))
        .map((s) => ({ id: s.originalId, reason: 'R2: another version is above the TLP ceiling' })),
    ],
  };
  const preview: PreviewResult = {
    group: request.groupId,
    policy: { id: resolved.audience.policy.id, revision: resolved.audience.policy.revision },
    registryRevision: request.state.model.registry.revision,
    entries: buildPreview(
      items.map((p) => p.object),
      result,
    ),
    more: page.more,
  };
  const last = page.records.at(-1);
  if (last !== undefined) preview.lastDateAdded = last.dateAdded;
  return preview;
}
