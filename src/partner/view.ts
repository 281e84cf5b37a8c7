// The partner ReadView (taxii/read-view.ts is the seam) backed by the sharing engine. Per
// request, on one snapshot of the sharing state (a reload never mixes two states in one
// response): the audience (state.ts), the pushdown (visibility.ts), the neighbourhood
// (neighbourhood.ts, prepare.ts), then per object a cached or fresh derivation:
// - R13: derived entries cached per (audience, revisions, epochs, collection, object version,
//   neighbourhood); cached bytes are re-scanned before they leave;
// - R14: one audit record per page, batched (audit-batcher.ts).
// A request naming ids only receives objects served under the id it named: asking for a
// protected object by its original id must not confirm it exists.
import type { Principal } from '../auth/principal.js';
import type { ServedObject } from '../sharing/engine.js';
import type { ObjectValidator } from '../sharing/ports.js';
import { hasEgressLeak, memoizeScanner } from '../sharing/rules/r13-egress.js';
import { buildReadAudit, type ReadAuditEvent } from '../sharing/rules/r14-audit.js';
import type { RuleHit } from '../sharing/work.js';
import type { CollectionRecord, ObjectRecord, Store, Visibility } from '../store/types.js';
import {
  WITHHOLD_ALL_VIEW,
  type ReadContext,
  type ReadView,
  type ReadViewProvider,
} from '../taxii/read-view.js';
import { cacheKey, type DerivedCache, type DerivedEntry } from './derived-cache.js';
import { neighbourhoodDigest } from './neighbourhood.js';
import type { DerivedPage, PageCache } from './page-cache.js';
import { prepareView, runDerive } from './prepare.js';
import { resolvePseudonymIds } from './pseudonym-lookup.js';
import { audienceOf, type ResolvedAudience, type SharingState } from './state.js';
import { visibilityOf } from './visibility.js';

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
  /** Whole derived pages by content revision; absent → every page is derived. */
  pages?: PageCache;
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
  const pageKey =
    options.pages === undefined || context.revision === undefined
      ? undefined
      : pageKeyOf(state, resolved, collection, visibility, records, context);
  let page = pageKey === undefined ? undefined : options.pages!.get(pageKey);
  if (page === undefined) {
    page = await computePage(options, state, resolved, collection, visibility, records, context);
    if (pageKey !== undefined) options.pages!.set(pageKey, page);
  }
  reportPage(options, resolved, collection, context, page);
  return [...page.out];
}

/**
 * Everything a derived page depends on besides the sharing engine's code: the state, the
 * collection's settings and content revision, the visibility pushed down, the surface, the ids
 * named, how many records are look-ahead, and the records themselves. Within one content
 * revision a date_added names exactly one stored version, so the positions name the records.
 */
function pageKeyOf(
  state: SharingState,
  resolved: ResolvedAudience,
  collection: CollectionRecord,
  visibility: Visibility,
  records: readonly ObjectRecord[],
  context: ReadContext,
): string {
  return JSON.stringify([
    statePartOf(state, resolved, collection),
    visibility,
    context.revision,
    context.surface,
    context.lookAhead ?? 0,
    context.ids ?? null,
    records.map((r) => r.dateAdded).join(','),
  ]);
}

function statePartOf(
  state: SharingState,
  resolved: ResolvedAudience,
  collection: CollectionRecord,
): (string | number)[] {
  const { audience, key } = resolved;
  return [
    state.generation,
    audience.groupIds.join('+'),
    key.epoch,
    audience.members.map((m) => `${m.policyId}#${m.policyRevision}`).join('+'),
    state.model.registry.revision,
    collection.id,
    collection.defaultTlp,
    collection.validation,
  ];
}

const auditOfPage = new WeakMap<DerivedPage, ReadAuditEvent>();

/** R14 and R13 for one page as sent to this caller, whether derived now or remembered. */
function reportPage(
  options: PartnerViewOptions,
  resolved: ResolvedAudience,
  collection: CollectionRecord,
  context: ReadContext,
  page: DerivedPage,
): void {
  if (page.audited === 0) return;
  const { audience } = resolved;
  // Everything but the time and the caller is the page's (its key holds the audience, surface
  // and collection): built once, and its lists handed over as the same frozen objects, which
  // lets the audit store keep them once.
  let event = auditOfPage.get(page);
  if (event === undefined) {
    event = buildReadAudit(
      {
        at: context.now,
        subject: context.principal.subject,
        audience,
        action: `${context.surface}.read`,
        apiRoot: context.apiRoot,
        collectionId: collection.id,
      },
      { served: [...page.served], withheld: [...page.withheld], hits: [...page.hits] },
    );
    for (const list of [event.served, event.ruleHits]) {
      for (const item of list) Object.freeze(item);
      Object.freeze(list);
    }
    Object.freeze(event.details.withheldReasons);
    Object.freeze(event.details);
    auditOfPage.set(page, event);
  }
  options.audit({ ...event, at: context.now, actor: context.principal.subject });
  if (page.egress.length > 0) {
    options.onAlert?.({
      collectionId: collection.id,
      groupId: audience.groupIds.join('+'),
      objectIds: [...page.egress],
      rule: 'R13',
    });
  }
}

async function computePage(
  options: PartnerViewOptions,
  state: SharingState,
  resolved: ResolvedAudience,
  collection: CollectionRecord,
  visibility: Visibility,
  records: ObjectRecord[],
  context: ReadContext,
): Promise<DerivedPage> {
  const { items, around, partlyHidden } = await prepareView(
    options.store,
    collection,
    records,
    visibility,
  );
  const statementSet = new Set(around.statements);
  const statePart = statePartOf(state, resolved, collection);
  const keys = items.map((p) =>
    cacheKey([
      ...statePart,
      p.record.id,
      p.record.version,
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
    // R13: bytes derived in this request were scanned by derive(); cached ones are scanned again
    // by the detectors in force, once: an entry remembers the scanner that found it clean (a
    // pure function of the same bytes gives the same answer), and an entry that reached this
    // state some other way (another state's scanner, or none) is scanned.
    if (fromCache[i] === true && entry.egressCleanFor !== state.prepared.scanner) {
      if (hasEgressLeak(entry.served.json, rescan)) {
        options.cache.delete(keys[i]!);
        if (sent) {
          egress.push(id);
          withheld.push({ id, reason: 'R13: egress scan found a protected term' });
        }
        return;
      }
      entry.egressCleanFor = state.prepared.scanner;
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
  return { out, served, withheld, hits, egress: [...new Set(egress)], audited };
}
