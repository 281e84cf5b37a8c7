// INTERIM (SHARING-ENGINE, 03:10): written before SHARING-WIRING took the wiring over (PLAN.md
// 03:05). SHARING-WIRING's src/taxii/partner-view.ts supersedes it: when that is wired, delete
// this file and the two blocks marked SHARING-ENGINE in src/main.ts; test/http/sharing.test.ts
// is SHARING-WIRING's to keep, merge or replace.
//
// SHARING WIRING: the partner ReadView (read-view.ts seam) backed by the sharing engine.
// Per request: the principal's audience (R1), the TLP/type visibility pushed down into the
// store query (R2, withheld types), then for each page derive() with the latest versions of
// the objects the page references outside itself as view objects (R10), the records' bytes
// and ids replaced by the derived ones (R12), and one audit event per page (R14).
import path from 'node:path';
import type { Principal } from '../auth/principal.js';
import { parseSharingConfig } from '../config/sharing-config.js';
import { ConfigError } from '../errors.js';
import { derive, type DeriveResult } from '../sharing/engine.js';
import type { AudienceKey } from '../sharing/keys.js';
import type { SharingModel } from '../sharing/policy.js';
import type { ObjectValidator } from '../sharing/ports.js';
import { audienceKey, resolveAudience, type Audience } from '../sharing/rules/r01-audience.js';
import { buildReadAudit } from '../sharing/rules/r14-audit.js';
import { prepareRegistry, type PreparedRegistry } from '../sharing/toolkit.js';
import { isTlpMarkingId, tlpRank, type TlpLevel } from '../stix/tlp.js';
import type { CollectionRecord, ObjectRecord, Store, TlpCode, Visibility } from '../store/types.js';
import { WITHHOLD_ALL_VIEW, type ReadContext, type ReadView, type ReadViewProvider } from './read-view.js';

export interface SharingViewOptions {
  store: Store;
  model: SharingModel;
  /** The master secret (≥ 32 bytes); absent → partners are served nothing. */
  masterSecret?: Buffer;
  validator: ObjectValidator;
  /** Called when objects were withheld by the egress re-scan (R13): an alert, never content. */
  onAlert?: (alert: { collectionId: string; groupId: string; objectIds: string[]; rule: string }) => void;
}

export interface SharingViews {
  provider: ReadViewProvider;
  /** Swaps in a new model and key (configuration reload); requests already running keep the old ones. */
  reload(model: SharingModel, masterSecret: Buffer | undefined): void;
  /** The current model (for admin listings). */
  model(): SharingModel;
  /** The current master secret, if any (for a reload that did not change it). */
  masterSecret(): Buffer | undefined;
}

const LEVELS: readonly TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
/** Bound on the references resolved outside one page (a report may list thousands). */
const MAX_VIEW_REFERENCES = 5000;

/** TLP codes of stored records the audience may receive (R2), pushed down into the query. */
export function visibleTlpCodes(audience: Audience, defaultTlp: TlpLevel): TlpCode[] {
  const servable = (level: TlpLevel): boolean =>
    level !== 'red' &&
    (level !== 'amber+strict' || audience.singleOrganization) &&
    tlpRank(level) <= tlpRank(audience.policy.tlpCeiling);
  const codes: TlpCode[] = LEVELS.filter(servable);
  // Unmarked records take the collection default. 'unknown' is never pushed: it is withheld.
  if (servable(defaultTlp)) codes.push('none');
  return codes;
}

function collectRefs(node: unknown, key: string, out: Set<string>): void {
  if (typeof node === 'string') {
    if (key.endsWith('_ref') || key.endsWith('_refs')) out.add(node);
  } else if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, key, out);
  } else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) collectRefs(v, k, out);
  }
}

function parseRecord(record: ObjectRecord): unknown {
  try {
    return JSON.parse(record.json) as unknown;
  } catch {
    return null; // derive() withholds what is not an object
  }
}

export function createSharingViews(options: SharingViewOptions): SharingViews {
  let model = options.model;
  let master = options.masterSecret;
  let prepared: PreparedRegistry = prepareRegistry(model.registry);
  const keys = new Map<string, AudienceKey>();

  const keyFor = (audience: Audience): AudienceKey => {
    const cacheKey = audience.members.map((m) => `${m.groupId}\u0000${m.keyEpoch}`).join('\u0001');
    let key = keys.get(cacheKey);
    if (key === undefined) {
      key = audienceKey(master!, audience);
      keys.set(cacheKey, key);
    }
    return key;
  };

  const viewFor = (principal: Principal, collection: CollectionRecord): ReadView => {
    const audience = resolveAudience(model, principal.groups);
    if (audience === undefined || master === undefined) return WITHHOLD_ALL_VIEW;
    // Groups only matter when they are the ones the collection lets read (canRead decided
    // access already; the policy is that of the principal's configured groups, R1).
    const registry = prepared;
    const key = keyFor(audience);
    const visibility: Visibility = { tlp: visibleTlpCodes(audience, collection.defaultTlp) };
    if (audience.policy.withheldTypes.length > 0) visibility.excludeTypes = [...audience.policy.withheldTypes];
    return {
      visibility,
      async derive(records: ObjectRecord[], context: ReadContext): Promise<ObjectRecord[]> {
        if (records.length === 0) return [];
        const objects = records.map(parseRecord);
        const inPage = new Set(records.map((r) => r.id));
        const refs = new Set<string>();
        for (const obj of objects) collectRefs(obj, '', refs);
        // Statement markings are fetched too (they tell derive() they carry no TLP).
        const outside = [...refs].filter((id) => !inPage.has(id) && !isTlpMarkingId(id)).slice(0, MAX_VIEW_REFERENCES);
        let viewObjects: unknown[] = [];
        if (outside.length > 0) {
          const page = await options.store.query(collection.id, {
            ids: outside,
            versions: { kind: 'some', first: false, last: true, versions: [] },
            limit: outside.length,
            visibility,
          });
          viewObjects = page.records.map(parseRecord);
        }
        const result: DeriveResult = derive(audience.policy, registry.registry, key, objects, {
          audience,
          tools: { scanner: registry.scanner, validator: options.validator },
          defaultTlp: collection.defaultTlp,
          validationMode: collection.validation,
          viewObjects,
          index: registry.index,
        });
        const served: ObjectRecord[] = result.served.map((s) => ({ ...records[s.inputIndex]!, id: s.derivedId, json: s.json }));
        const event = buildReadAudit(
          {
            at: context.now,
            subject: principal.subject,
            audience,
            action: `${context.surface}.read`,
            apiRoot: context.apiRoot,
            collectionId: collection.id,
          },
          result,
        );
        await options.store.appendAudit([{ ...event, details: { ...event.details } }]);
        const egress = result.withheld.filter((w) => w.reason.startsWith('R13')).map((w) => w.id);
        if (egress.length > 0) {
          options.onAlert?.({ collectionId: collection.id, groupId: audience.groupIds.join('+'), objectIds: egress, rule: 'R13' });
        }
        return served;
      },
    };
  };

  return {
    provider: viewFor,
    reload(next, nextMaster) {
      model = next;
      master = nextMaster;
      prepared = prepareRegistry(next.registry);
      keys.clear();
    },
    model: () => model,
    masterSecret: () => master,
  };
}

/** Text of the master key file, whitespace-trimmed, as bytes; at least 32 of them (R4 keys). */
export function masterSecretFromFile(contents: Buffer | string): Buffer {
  const secret = Buffer.from(contents.toString('utf8').trim(), 'utf8');
  if (secret.length < 32) throw new ConfigError('sharing.master_key_file', 'the master secret must hold at least 32 bytes');
  return secret;
}

/**
 * The composition root's entry: parses the configuration's `sharing` section, reads the master
 * key through `readFile` (main.ts owns I/O) and builds the views. Without groups (or without a
 * key) partners are served nothing (fail closed) until a reload brings some.
 */
export function sharingViewsFromConfig(options: {
  sharing: unknown;
  store: Store;
  validator: ObjectValidator;
  readFile: (path: string) => Buffer;
  /** The configuration file: a relative master_key_file is taken relative to its folder. */
  configFile?: string;
  onAlert?: SharingViewOptions['onAlert'];
}): SharingViews {
  const base = options.configFile === undefined ? undefined : path.dirname(options.configFile);
  const model = parseSharingConfig(options.sharing, (p) => (base === undefined ? p : path.resolve(base, p)));
  const masterSecret = model.masterKeyFile === undefined ? undefined : masterSecretFromFile(readKey(options.readFile, model.masterKeyFile));
  return createSharingViews({
    store: options.store,
    model,
    validator: options.validator,
    ...(masterSecret !== undefined && { masterSecret }),
    ...(options.onAlert !== undefined && { onAlert: options.onAlert }),
  });
}

function readKey(readFile: (path: string) => Buffer, file: string): Buffer {
  try {
    return readFile(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ConfigError('sharing.master_key_file', `cannot read ${file} (${typeof code === 'string' ? code : 'error'})`);
  }
}
