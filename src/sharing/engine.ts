// The sharing engine: derive(policy, registry, keys, objects, context) turns raw STIX objects
// (a page, or one object) into what one audience may receive. Pure and deterministic (no
// clock, randomness or I/O: same inputs, same bytes), fail-closed (any doubt, exception or
// validation failure withholds the object; nothing raw leaves on an error path) and every
// served object validates as STIX 2.1 with its references resolving in the view.
import { TLP2_EXTENSION_ID, isTlpMarkingId, type TlpLevel } from '../stix/tlp.js';
import type { AudienceKey } from './keys.js';
import type { ProtectedRegistry, SharingPolicy } from './policy.js';
import type { SharingTools } from './ports.js';
import { buildRegistryIndex, type RegistryIndex } from './registry-index.js';
import type { Audience } from './rules/r01-audience.js';
import { applyGranularTlp, applyTlp } from './rules/r02-tlp.js';
import { applyIdentity, applyLocation } from './rules/r03-identities.js';
import { idContributorsChanged, isPseudonymizedById, servedId } from './rules/r04-pseudonyms.js';
import { applyCreatedBy } from './rules/r05-created-by.js';
import { applyText } from './rules/r06-text.js';
import { applyNetworkObservables, applyPattern } from './rules/r07-networks.js';
import { applyCustomContent, applyCustomType } from './rules/r08-custom.js';
import { applyExternalReferences } from './rules/r09-external-refs.js';
import {
  applyIntegrity,
  fixGranularSelectors,
  resolveWithMarkings,
  type IdResolver,
} from './rules/r10-integrity.js';
import { applySightings } from './rules/r11-sightings.js';
import { hasEgressLeakInValue, memoizeScanner } from './rules/r13-egress.js';
import {
  Withhold,
  Work,
  copyJson,
  isObject,
  type Env,
  type JsonObject,
  type RuleHit,
} from './work.js';

export interface DeriveContext {
  audience: Audience;
  tools: SharingTools;
  /** TLP of unmarked objects in this collection (R2). */
  defaultTlp: TlpLevel;
  /**
   * Objects served in the same view but not in `objects` (original id → served id), resolved
   * by the caller before calling (derive is pure): references to anything else are pruned.
   * Build it with `servedIdOf` for ids the caller knows are visible.
   */
  externalIds?: ReadonlyMap<string, string>;
  /**
   * Other objects of the view (e.g. the latest versions of objects the page references),
   * derived only to learn whether, and under which id, they are served; never returned.
   * An object here that the engine withholds makes references to it disappear.
   */
  viewObjects?: readonly unknown[];
  /** Marking-definitions of the view that carry no TLP meaning (statement markings). */
  nonTlpMarkings?: Iterable<string>;
  /** The collection's validation mode; derived objects must pass it (default permissive). */
  validationMode?: 'strict' | 'permissive';
  /** A prebuilt index of `registry` (build once per registry revision). */
  index?: RegistryIndex;
}

export interface ServedObject {
  /** Position in `objects` (a page may hold several versions of one id). */
  inputIndex: number;
  originalId: string;
  derivedId: string;
  /** The derived object's bytes: what leaves, and what R13 scanned. */
  json: string;
  object: JsonObject;
}

export interface DeriveResult {
  /** In input order. */
  served: ServedObject[];
  withheld: { id: string; reason: string }[];
  /** R14: rule hits by field path, never the matched text. */
  hits: RuleHit[];
}

/** The id partners see for an object known to be served, when its content was not derived (R4 by id). */
export function servedIdOf(
  id: string,
  registry: ProtectedRegistry,
  key: AudienceKey,
  index: RegistryIndex = buildRegistryIndex(registry),
): string {
  return servedId(id, false, { registry, index, key });
}

function objectId(obj: unknown): string {
  return isObject(obj) && typeof obj.id === 'string' ? obj.id : '(malformed)';
}

function deriveOne(raw: unknown, env: Env): Work {
  if (!isObject(raw) || typeof raw.id !== 'string' || typeof raw.type !== 'string') {
    throw new Withhold('R12', 'not a STIX object');
  }
  const work = new Work(copyJson(raw), raw.id, raw.type);
  if (env.policy.withheldTypes.includes(work.type))
    throw new Withhold('R1', 'type withheld by policy');
  if (work.type === 'marking-definition' && isTlpMarkingId(work.originalId)) {
    // A published TLP marking: always servable (references to it always resolve) and never
    // TLP-checked itself, but its stored bytes are still only what an analyst posted under
    // that id, so they get the custom-content and text rules like anything else.
    applyCustomContent(work, env, [TLP2_EXTENSION_ID]);
    applyExternalReferences(work, env);
    applyText(work, env);
    return work;
  }
  applyCustomType(work, env);
  applyTlp(work, env);
  applyGranularTlp(work, env);
  applyIdentity(work, env);
  applyLocation(work, env);
  applyCreatedBy(work, env);
  applyCustomContent(work, env);
  applyExternalReferences(work, env);
  applySightings(work, env);
  applyNetworkObservables(work, env);
  applyPattern(work, env);
  if (
    work.type === 'language-content' &&
    typeof work.obj.object_ref === 'string' &&
    isPseudonymizedById(work.obj.object_ref, env)
  ) {
    // Translations of a reduced identity/location would carry what R3 dropped.
    throw new Withhold('R3', 'translation of a protected identity or location');
  }
  applyText(work, env);
  return work;
}

/**
 * A translation may only carry properties its target still has, unchanged, in this view:
 * otherwise a translated description would bring back what R2, R3, R6 or R8 took out of the
 * target. A target not derived here (page or view objects) cannot be checked → withhold.
 */
function restrictTranslations(
  work: Work,
  round: ReadonlyMap<string, Work>,
  rawById: ReadonlyMap<string, JsonObject>,
): void {
  const ref = work.obj.object_ref;
  const target = typeof ref === 'string' ? round.get(ref) : undefined;
  const raw = typeof ref === 'string' ? rawById.get(ref) : undefined;
  if (target === undefined || raw === undefined)
    throw new Withhold('R10', 'translated object not derived in this view');
  const contents = work.obj.contents;
  if (!isObject(contents)) throw new Withhold('R10', 'malformed contents');
  for (const lang of Object.keys(contents)) {
    const translation = contents[lang];
    if (!isObject(translation)) {
      work.drop('R10', ['contents', lang]);
      continue;
    }
    for (const prop of Object.keys(translation)) {
      const kept =
        Object.hasOwn(target.obj, prop) &&
        JSON.stringify(target.obj[prop]) === JSON.stringify(raw[prop]);
      if (!kept) work.drop('R10', ['contents', lang, prop]);
    }
    if (Object.keys(translation).length === 0) work.drop('R10', ['contents', lang]);
  }
  if (Object.keys(contents).length === 0)
    throw new Withhold('R10', 'no translation left in this view');
}

/** References, selectors, id, validation, bytes and the egress scan of one object. */
function finalize(work: Work, resolve: IdResolver, env: Env, context: DeriveContext): string {
  applyIntegrity(work, resolve);
  fixGranularSelectors(work);
  work.obj.id = resolve(work.originalId)!;
  const outcome = env.tools.validator.validateObject(work.obj, {
    mode: context.validationMode ?? 'permissive',
  });
  if (!outcome.ok) {
    const codes = [...new Set(outcome.errors.map((e) => e.code))].sort().join(',');
    throw new Withhold('R12', `derived object fails validation (${codes})`);
  }
  // R13 on the value, before it is serialized (the same strings the bytes would hold).
  if (hasEgressLeakInValue(work.obj, env.tools.scanner))
    throw new Withhold('R13', 'egress scan found a protected term');
  return JSON.stringify(work.obj);
}

/** One finalization: the resolver's answers it was computed from, and its result. */
interface FinalizedRound {
  lookups: [string, string | undefined][];
  done: Work;
  json: string;
}

function reasonOf(error: unknown): string {
  if (error instanceof Withhold) return error.message;
  // Never echo an exception message: it may quote content.
  return 'internal: the object could not be processed';
}

export function derive(
  policy: SharingPolicy,
  registry: ProtectedRegistry,
  keys: AudienceKey,
  objects: readonly unknown[],
  context: DeriveContext,
): DeriveResult {
  const index = context.index ?? buildRegistryIndex(registry);
  const nonTlp = new Set(context.nonTlpMarkings ?? []);
  for (const obj of [...objects, ...(context.viewObjects ?? [])]) {
    if (
      isObject(obj) &&
      obj.type === 'marking-definition' &&
      obj.definition_type === 'statement' &&
      typeof obj.id === 'string'
    ) {
      nonTlp.add(obj.id);
    }
  }
  const tools = { ...context.tools, scanner: memoizeScanner(context.tools.scanner) };
  const env: Env = {
    policy,
    registry,
    index,
    key: keys,
    audience: context.audience,
    tools,
    defaultTlp: context.defaultTlp,
    nonTlpMarkings: nonTlp,
  };
  const withheld: { id: string; reason: string }[] = [];
  const hits: RuleHit[] = [];
  const withhold = (id: string, error: unknown, objectHits: RuleHit[] = []): void => {
    withheld.push({ id, reason: reasonOf(error) });
    hits.push(...objectHits, {
      rule: error instanceof Withhold ? error.rule : 'R12',
      path: '',
      operator: 'W',
      objectId: id,
    });
  };

  // Per-object rules. View objects only take part in deciding what the view serves.
  const position = new Map<Work, number>();
  let candidates: Work[] = [];
  objects.forEach((raw, i) => {
    try {
      const work = deriveOne(raw, env);
      position.set(work, i);
      candidates.push(work);
    } catch (error) {
      withhold(objectId(raw), error);
    }
  });
  const pageIds = new Set(candidates.map((w) => w.originalId));
  for (const raw of context.viewObjects ?? []) {
    if (!isObject(raw) || typeof raw.id !== 'string' || pageIds.has(raw.id)) continue;
    try {
      candidates.push(deriveOne(raw, env));
    } catch {
      // Not served: references to it are pruned. Not reported: it is not part of this page.
    }
  }

  // R10 and finalization, to a fixpoint: withholding one object (a required reference
  // lost, a validation or egress failure) may orphan others, so each round finalizes copies
  // of every candidate against the ids served so far, until a round withholds nothing.
  const external = context.externalIds ?? new Map<string, string>();
  // Served ids are keyed hashes: computed once per id and choice, not once per round.
  const servedIds = new Map<string, string>();
  const servedIdOnce = (id: string, pseudonymized: boolean): string => {
    const key = `${pseudonymized ? 'P' : 'O'}${id}`;
    let served = servedIds.get(key);
    if (served === undefined) {
      served = servedId(id, pseudonymized, env);
      servedIds.set(key, served);
    }
    return served;
  };
  const resolverFor = (works: Work[]): IdResolver => {
    const page = new Map<string, string>();
    for (const w of works)
      if (!page.has(w.originalId))
        page.set(w.originalId, servedIdOnce(w.originalId, w.pseudonymizeId));
    return resolveWithMarkings((id) => page.get(id) ?? external.get(id));
  };
  const rawById = new Map<string, JsonObject>();
  for (const raw of [...objects, ...(context.viewObjects ?? [])]) {
    if (isObject(raw) && typeof raw.id === 'string' && !rawById.has(raw.id))
      rawById.set(raw.id, raw);
  }
  // A round's finalization of an object depends on the object and on what the resolver
  // answered for the ids it asked about (finalize is deterministic otherwise): when every
  // one of those answers is the same in the next round, so is the result, which is reused.
  // Translations depend on their target as derived in the round too: never reused.
  const finalized = new Map<Work, FinalizedRound>();
  let finals: { work: Work; done: Work; json: string }[] = [];
  for (let changed = true; changed;) {
    changed = false;
    const resolve = resolverFor(candidates);
    const next: Work[] = [];
    finals = [];
    // Translations last: they are checked against their target as derived in this round.
    const ordered = [
      ...candidates.filter((w) => w.type !== 'language-content'),
      ...candidates.filter((w) => w.type === 'language-content'),
    ];
    const round = new Map<string, Work>();
    for (const work of ordered) {
      try {
        const translation = work.type === 'language-content';
        const prior = translation ? undefined : finalized.get(work);
        let done: Work;
        let json: string;
        if (prior !== undefined && prior.lookups.every(([id, served]) => resolve(id) === served)) {
          ({ done, json } = prior);
        } else {
          done = work.clone();
          if (translation) restrictTranslations(done, round, rawById);
          const lookups: [string, string | undefined][] = [];
          const recorded: IdResolver = (id) => {
            const served = resolve(id);
            lookups.push([id, served]);
            return served;
          };
          json = finalize(done, recorded, env, context);
          if (!translation) finalized.set(work, { lookups, done, json });
        }
        if (!work.pseudonymizeId && idContributorsChanged(done.obj, rawById.get(work.originalId))) {
          // R4: served under its original id, this SCO would let a guess plus what is served
          // recompute a hidden value (its own, or a referenced SCO's). Re-derive it and run
          // the round again: SCOs that reference it change in turn (transitively).
          work.pseudonymizeId = true;
          work.hit('R4', 'id', 'P');
          finalized.delete(work);
          changed = true;
          next.push(work);
          continue;
        }
        finals.push({ work, done, json });
        if (!round.has(work.originalId)) round.set(work.originalId, done);
        next.push(work);
      } catch (error) {
        if (position.has(work)) withhold(work.originalId, error, work.hits);
        changed = true;
      }
    }
    candidates = next;
  }

  const served: ServedObject[] = [];
  for (const { work, done, json } of finals) {
    const inputIndex = position.get(work);
    if (inputIndex === undefined) continue;
    served.push({
      inputIndex,
      originalId: work.originalId,
      derivedId: done.obj.id as string,
      json,
      object: done.obj,
    });
    hits.push(...done.hits);
  }
  served.sort((a, b) => a.inputIndex - b.inputIndex);
  return { served, withheld, hits };
}
