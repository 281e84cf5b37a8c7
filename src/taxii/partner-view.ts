// SHARING WIRING: the partner ReadView (read-view.ts seam) backed by the sharing engine.
// Per request, on one snapshot of the sharing state (a reload never mixes two states in one
// response):
// - R1: the principal's audience (its configured groups; several → the strictest combination
//   under a key of its own, as sharing/rules/r01-audience.ts decides);
// - R2 and withheld types pushed down into the store query (TlpCode allow-list, `none` when the
//   collection default is servable, `unknown` always: the engine classifies those markings),
//   so pages stay full and headers/`more` are computed over what is served;
// - R10 across pages: the latest stored versions (same visibility) of the objects the page
//   references, and of the objects those reference, are fetched and handed to derive() as view
//   objects: derive decides which of them are served, references to anything else are pruned;
// - R13: derived entries cached per (audience, revisions, epochs, collection, object version,
//   neighbourhood); cached bytes are re-scanned before they leave;
// - R14: one audit record per page, batched (audit-batcher.ts).
// A request naming ids (object, versions, match[id]) only receives objects served under the
// id it named: asking for a protected object by its original id must not confirm it exists;
// a pseudonymous identity/location id is looked up by pseudonymizing the stored ones.
import type { Principal } from '../auth/principal.js';
import { derive, type DeriveResult, type ServedObject } from '../sharing/engine.js';
import type { AudienceKey } from '../sharing/keys.js';
import type { SharingModel } from '../sharing/policy.js';
import { pseudonymizeId } from '../sharing/pseudonym.js';
import type { ObjectValidator } from '../sharing/ports.js';
import { audienceKey, resolveAudience, type Audience } from '../sharing/rules/r01-audience.js';
import { isPseudonymizedById, typeOfId } from '../sharing/rules/r04-pseudonyms.js';
import { hasEgressLeak, memoizeScanner } from '../sharing/rules/r13-egress.js';
import {
  buildPreview,
  buildReadAudit,
  type PreviewEntry,
  type ReadAuditEvent,
} from '../sharing/rules/r14-audit.js';
import { prepareRegistry, type PreparedRegistry } from '../sharing/toolkit.js';
import type { RuleHit } from '../sharing/work.js';
import { isTlpMarkingId, tlpRank, type TlpLevel } from '../stix/tlp.js';
import type { CollectionRecord, ObjectRecord, Store, TlpCode, Visibility } from '../store/types.js';
import { cacheKey, type DerivedCache, type DerivedEntry } from './derived-cache.js';
import { DEFAULT_SPEC_VERSIONS } from './filter.js';
import {
  WITHHOLD_ALL_VIEW,
  type ReadContext,
  type ReadView,
  type ReadViewProvider,
} from './read-view.js';

/** Everything a partner read depends on, swapped as a whole by a reload. */
export interface SharingState {
  readonly model: SharingModel;
  readonly prepared: PreparedRegistry;
  /** Absent → partners are served nothing (fail closed). */
  readonly master: Buffer | undefined;
  readonly keys: Map<string, AudienceKey>;
  /**
   * Distinct for every state built in this process: part of cache keys, so that an entry a
   * request still running on the previous state stores after a reload can never be served
   * under the new one (even when the operator changed the registry without its revision).
   */
  readonly generation: number;
}

let generations = 0;

export function createSharingState(model: SharingModel, master: Buffer | undefined): SharingState {
  generations += 1;
  return {
    model,
    prepared: prepareRegistry(model.registry),
    master,
    keys: new Map(),
    generation: generations,
  };
}

export interface ResolvedAudience {
  audience: Audience;
  key: AudienceKey;
}

/** R1: the audience of a principal's groups (or of one group, `requested`); undefined → nothing served. */
export function audienceOf(
  state: SharingState,
  groups: readonly string[],
  requested?: string,
): ResolvedAudience | undefined {
  const audience = resolveAudience(state.model, groups, requested);
  if (audience === undefined || state.master === undefined) return undefined;
  const id = audience.members.map((m) => `${m.groupId}\u0000${m.keyEpoch}`).join('\u0001');
  let key = state.keys.get(id);
  if (key === undefined) {
    key = audienceKey(state.master, audience);
    state.keys.set(id, key);
  }
  return { audience, key };
}

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
      specVersions: DEFAULT_SPEC_VERSIONS,
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

/** Bound on the referenced objects fetched for one page (per level): a report may list thousands. */
export const MAX_VIEW_REFERENCES = 5000;

interface Parsed {
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

function parse(record: ObjectRecord): Parsed {
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
      specVersions: DEFAULT_SPEC_VERSIONS,
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
function neighbourhoodDigest(
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

export interface DeriveForAudienceInput {
  state: SharingState;
  resolved: ResolvedAudience;
  collection: CollectionRecord;
  validator: ObjectValidator;
  items: readonly Parsed[];
  around: Neighbourhood;
}

function runDerive(input: DeriveForAudienceInput): DeriveResult {
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

export interface EgressAlert {
  collectionId: string;
  groupId: string;
  objectIds: string[];
  rule: 'R13';
}

export interface PartnerViewOptions {
  store: Store;
  validator: ObjectValidator;
  /** The current sharing state; read once per request. */
  state: () => SharingState;
  cache: DerivedCache;
  /** Receives one audit record per partner page (batched by the caller). */
  audit: (event: ReadAuditEvent) => void;
  /** Objects withheld by the egress re-scan (R13): ids only, never content. */
  onAlert?: (alert: EgressAlert) => void;
}

export function createPartnerViewProvider(options: PartnerViewOptions): ReadViewProvider {
  return (principal: Principal, collection: CollectionRecord): ReadView => {
    const state = options.state();
    const resolved = audienceOf(state, principal.groups);
    if (resolved === undefined) return WITHHOLD_ALL_VIEW;
    const visibility = visibilityOf(resolved.audience, collection);
    return {
      visibility,
      derive: (records, context) =>
        derivePage(options, state, resolved, collection, visibility, records, context),
      resolveIds: (ids) =>
        resolvePseudonymIds(options.store, state, resolved, collection, visibility, ids),
    };
  };
}

/** Bound on the identities/locations scanned to find the original of a pseudonymous id. */
export const MAX_PSEUDONYM_SCAN = 20_000;

/**
 * R4 pseudonyms are one-way: the original of a requested pseudonymous identity or location id
 * is found by pseudonymizing the ids of that type stored in the collection (what the audience
 * may see) until one matches. Only types pseudonymized by id are searched; SCOs re-identified
 * by content (R7) are listed and referenced, but cannot be fetched by their new id.
 */
async function resolvePseudonymIds(
  store: Store,
  state: SharingState,
  resolved: ResolvedAudience,
  collection: CollectionRecord,
  visibility: Visibility,
  ids: readonly string[],
): Promise<string[]> {
  const out = new Set(ids);
  const env = { registry: state.prepared.registry, index: state.prepared.index };
  for (const type of ['identity', 'location']) {
    const wanted = new Set(ids.filter((id) => typeOfId(id) === type));
    if (wanted.size === 0) continue;
    let addedAfter: number | undefined;
    for (let scanned = 0; wanted.size > 0 && scanned < MAX_PSEUDONYM_SCAN;) {
      const page = await store.query(collection.id, {
        types: [type],
        versions: { kind: 'some', first: false, last: true, versions: [] },
        specVersions: DEFAULT_SPEC_VERSIONS,
        limit: 1000,
        visibility,
        ...(addedAfter !== undefined && { addedAfter }),
      });
      for (const record of page.records) {
        if (!isPseudonymizedById(record.id, env)) continue;
        const pseudonym = pseudonymizeId(resolved.key, record.id);
        if (wanted.delete(pseudonym)) out.add(record.id);
      }
      scanned += page.records.length;
      const last = page.records.at(-1);
      if (!page.more || last === undefined) break;
      addedAfter = last.dateAdded;
    }
  }
  return [...out];
}

async function derivePage(
  options: PartnerViewOptions,
  state: SharingState,
  resolved: ResolvedAudience,
  collection: CollectionRecord,
  visibility: Visibility,
  records: ObjectRecord[],
  context: ReadContext,
): Promise<ObjectRecord[]> {
  if (records.length === 0) return [];
  const { audience, key } = resolved;
  const items = records.map(parse);
  const around = await loadNeighbourhood(options.store, collection.id, items, visibility);
  const partlyHidden = await idsWithHiddenVersions(
    options.store,
    collection.id,
    [...items.map((p) => p.record.id), ...around.objects.keys()],
    visibility,
  );
  // A referenced object withheld for a hidden version is not in the view: references to it
  // are pruned (R10) like references to anything else the audience does not receive.
  for (const id of partlyHidden) around.objects.delete(id);
  const statementSet = new Set(around.statements);
  const statePart = [
    state.generation,
    audience.groupIds.join('+'),
    key.epoch,
    audience.members.map((m) => `${m.policyId}#${m.policyRevision}`).join('+'),
    state.model.registry.revision,
    collection.id,
    collection.defaultTlp,
    collection.validation,
  ];
  const keys = items.map((p) =>
    cacheKey([
      ...statePart,
      p.record.id,
      p.record.versionMicros,
      p.record.dateAdded,
      neighbourhoodDigest(p, around.objects, statementSet),
    ]),
  );
  const entries: (DerivedEntry | undefined)[] = keys.map((k) => options.cache.get(k));
  const fromCache = entries.map((e) => e !== undefined);

  const missing = items.map((p, i) => ({ p, i })).filter(({ i }) => entries[i] === undefined);
  if (missing.length > 0) {
    const result = runDerive({
      state,
      resolved,
      collection,
      validator: options.validator,
      items: missing.map((m) => m.p),
      around,
    });
    const hitsOf = new Map<string, RuleHit[]>();
    for (const h of result.hits) {
      const list = hitsOf.get(h.objectId);
      if (list) list.push(h);
      else hitsOf.set(h.objectId, [h]);
    }
    const served = new Map<number, ServedObject>(result.served.map((s) => [s.inputIndex, s]));
    const withheldQueue = [...result.withheld];
    missing.forEach(({ p, i }, j) => {
      const s = served.get(j);
      let entry: DerivedEntry;
      if (s !== undefined) {
        entry = {
          served: { derivedId: s.derivedId, json: s.json },
          hits: hitsOf.get(p.record.id) ?? [],
        };
      } else {
        const at = withheldQueue.findIndex((w) => w.id === p.record.id);
        const reason = at >= 0 ? withheldQueue.splice(at, 1)[0]!.reason : 'R12: not a STIX object';
        entry = { withheldReason: reason, hits: hitsOf.get(p.record.id) ?? [] };
      }
      entries[i] = entry;
      options.cache.set(keys[i]!, entry);
    });
  }

  const requested = context.ids === undefined ? undefined : new Set(context.ids);
  const out: ObjectRecord[] = [];
  const served: ServedObject[] = [];
  const withheld: { id: string; reason: string }[] = [];
  const hits: RuleHit[] = [];
  const egress: string[] = [];
  // One memo per page: keys, vocabulary values, markings and timestamps repeat across objects.
  const rescan = memoizeScanner(state.prepared.scanner);
  // Followers derived only to look ahead (context.lookAhead) are neither sent nor audited.
  const audited = items.length - Math.min(items.length, context.lookAhead ?? 0);
  items.forEach((p, i) => {
    const entry = entries[i]!;
    const id = p.record.id;
    const sent = i < audited;
    if (sent) hits.push(...(entry.hits as RuleHit[]));
    if (entry.served === undefined) {
      if (sent) withheld.push({ id, reason: entry.withheldReason ?? 'R12: withheld' });
      return;
    }
    if (partlyHidden.has(id)) {
      if (sent) withheld.push({ id, reason: 'R2: another version is above the TLP ceiling' });
      return;
    }
    // R13: bytes derived in this request were scanned by derive(); cached ones are scanned again.
    if (fromCache[i] === true && hasEgressLeak(entry.served.json, rescan)) {
      options.cache.delete(keys[i]!);
      if (sent) {
        egress.push(id);
        withheld.push({ id, reason: 'R13: egress scan found a protected term' });
      }
      return;
    }
    if (requested !== undefined && !requested.has(entry.served.derivedId)) {
      if (sent) withheld.push({ id, reason: 'R4: named by an id the audience does not see' });
      return;
    }
    out.push({ ...p.record, id: entry.served.derivedId, json: entry.served.json });
    if (sent) {
      served.push({
        inputIndex: i,
        originalId: id,
        derivedId: entry.served.derivedId,
        json: '',
        object: {},
      });
    }
  });
  for (const w of withheld) if (w.reason.startsWith('R13')) egress.push(w.id);

  if (audited === 0) return out;
  options.audit(
    buildReadAudit(
      {
        at: context.now,
        subject: context.principal.subject,
        audience,
        action: `${context.surface}.read`,
        apiRoot: context.apiRoot,
        collectionId: collection.id,
      },
      { served, withheld, hits },
    ),
  );
  if (egress.length > 0) {
    options.onAlert?.({
      collectionId: collection.id,
      groupId: audience.groupIds.join('+'),
      objectIds: [...new Set(egress)],
      rule: 'R13',
    });
  }
  return out;
}

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
    specVersions: DEFAULT_SPEC_VERSIONS,
    limit: request.limit,
  });
  const items = page.records.map(parse);
  const visibility = visibilityOf(resolved.audience, request.collection);
  const around = await loadNeighbourhood(request.store, request.collection.id, items, visibility);
  const partlyHidden = await idsWithHiddenVersions(
    request.store,
    request.collection.id,
    [...items.map((p) => p.record.id), ...around.objects.keys()],
    visibility,
  );
  for (const id of partlyHidden) around.objects.delete(id);
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
