// The running sharing model of one server. Holds the current state (model,
// prepared registry, master secret), the derived-bytes cache and the audit batcher; gives the
// partner ReadViewProvider, the admin preview and reload. A reload swaps the state as a whole
// (requests in flight finish on the state they started with), empties the cache and is audited
// as `policy.reload` with the old and new revisions. The master key is read through functions
// the composition root passes in (no file I/O here) and never logged.
import path from 'node:path';
import { parseSharingConfig } from '../config/sharing-config.js';
import { ConfigError } from '../errors.js';
import { MIN_MASTER_SECRET_BYTES } from '../sharing/keys.js';
import type { PartnerGroup, SharingModel } from '../sharing/policy.js';
import type { ObjectValidator } from '../sharing/ports.js';
import type { AuditRecord, CollectionRecord, Micros, Role, Store } from '../store/types.js';
import type { ReadAuditEvent } from '../sharing/rules/r14-audit.js';
import { createAuditBatcher, type AuditBatcher } from './audit-batcher.js';
import {
  createDerivedCache,
  DEFAULT_DERIVED_CACHE_BYTES,
  type DerivedCache,
} from './derived-cache.js';
import type { ReadViewProvider } from '../taxii/read-view.js';
import { previewForGroup, type PreviewResult } from './preview.js';
import { createSharingState, type SharingState } from './state.js';
import { createPartnerViewProvider, type EgressAlert } from './view.js';

/** What partners' output depends on, per configured item (audit of reloads, admin status). */
export interface SharingRevisions {
  policies: Record<string, number>;
  registry: number;
  keyEpochs: Record<string, number>;
  groups: string[];
}

export function revisionsOf(model: SharingModel): SharingRevisions {
  return {
    policies: Object.fromEntries(model.policies.map((p) => [p.id, p.revision])),
    registry: model.registry.revision,
    keyEpochs: Object.fromEntries(model.policies.map((p) => [p.id, p.keyEpoch])),
    groups: model.groups.map((g) => g.id),
  };
}

/** The master secret and where it came from (the path, never the content). */
export interface LoadedSharing {
  model: SharingModel;
  master?: Buffer;
  keyFile?: string;
  /** True when this load created the key file (first start). */
  generatedKey: boolean;
}

export interface KeyFileAccess {
  /** Creates the file with a fresh random secret (mode 0600) unless it exists; true when created. */
  ensureSecretFile(file: string): boolean;
  readFile(file: string): Buffer;
}

/**
 * Parses the configuration's `sharing` section and reads the master key. The key file is
 * `STIXGATE_SHARING_KEY_FILE` when set, else `sharing.master_key_file` (relative to the
 * configuration file; required by the section as soon as groups are declared). A missing file
 * is created with a random secret, mode 0600, on first start. Without groups, no key is read.
 */
export function loadSharing(options: {
  sharing: unknown;
  configFile?: string;
  keyFileOverride?: string;
  files: KeyFileAccess;
}): LoadedSharing {
  const base = options.configFile === undefined ? undefined : path.dirname(options.configFile);
  const model = parseSharingConfig(options.sharing, (p) =>
    base === undefined ? p : path.resolve(base, p),
  );
  if (model.groups.length === 0) return { model, generatedKey: false };
  const keyFile =
    options.keyFileOverride !== undefined && options.keyFileOverride !== ''
      ? path.resolve(options.keyFileOverride)
      : model.masterKeyFile;
  if (keyFile === undefined) return { model, generatedKey: false };
  const key =
    keyFile === model.masterKeyFile ? 'sharing.master_key_file' : 'STIXGATE_SHARING_KEY_FILE';
  let generatedKey: boolean;
  let contents: Buffer;
  try {
    generatedKey = options.files.ensureSecretFile(keyFile);
    contents = options.files.readFile(keyFile);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(key, error.message);
    const code = (error as { code?: unknown }).code;
    throw new ConfigError(
      key,
      `cannot read ${keyFile} (${typeof code === 'string' ? code : 'error'})`,
    );
  }
  const master = Buffer.from(contents.toString('utf8').trim(), 'utf8');
  if (master.length < MIN_MASTER_SECRET_BYTES)
    throw new ConfigError(
      key,
      `the master secret must hold at least ${MIN_MASTER_SECRET_BYTES} bytes`,
    );
  return { model, master, keyFile, generatedKey };
}

export interface SharingRuntimeOptions {
  store: Store;
  validator: ObjectValidator;
  loaded: LoadedSharing;
  /** Bytes of derived output kept in memory (R13); default 64 MiB, 0 disables the cache. */
  cacheBytes?: number;
  auditIntervalMs?: number;
  onAlert?: (alert: EgressAlert) => void;
  onAuditError?: (error: unknown, dropped: number) => void;
  /** Told about every partner page (served, rule hits, withheld reasons), e.g. for metrics. */
  onPartnerRead?: (event: ReadAuditEvent) => void;
}

export interface ReloadOutcome {
  previous: SharingRevisions;
  current: SharingRevisions;
}

export interface SharingRuntime {
  provider: ReadViewProvider;
  groups(): readonly PartnerGroup[];
  state(): SharingState;
  revisions(): SharingRevisions;
  keyFile(): string | undefined;
  cache: DerivedCache;
  audit: AuditBatcher;
  /** Swaps in a new model and key, empties the cache and audits `policy.reload`. */
  reload(
    next: LoadedSharing,
    by: { actor: string; role: Role; at: Micros },
  ): Promise<ReloadOutcome>;
  preview(request: {
    groupId: string;
    collection: CollectionRecord;
    ids?: string[];
    addedAfter?: Micros;
    limit: number;
  }): Promise<PreviewResult | undefined>;
  close(): Promise<void>;
}

export function createSharingRuntime(options: SharingRuntimeOptions): SharingRuntime {
  let state = createSharingState(options.loaded.model, options.loaded.master);
  let keyFile = options.loaded.keyFile;
  const cache = createDerivedCache(options.cacheBytes ?? DEFAULT_DERIVED_CACHE_BYTES);
  const audit = createAuditBatcher(options.store, {
    ...(options.auditIntervalMs !== undefined && { intervalMs: options.auditIntervalMs }),
    ...(options.onAuditError !== undefined && { onError: options.onAuditError }),
  });
  const provider = createPartnerViewProvider({
    store: options.store,
    validator: options.validator,
    state: () => state,
    cache,
    audit: (event) => {
      options.onPartnerRead?.(event);
      audit.add({ ...event, details: { ...event.details } });
    },
    ...(options.onAlert !== undefined && { onAlert: options.onAlert }),
  });
  return {
    provider,
    groups: () => state.model.groups,
    state: () => state,
    revisions: () => revisionsOf(state.model),
    keyFile: () => keyFile,
    cache,
    audit,
    async reload(next, by) {
      const previous = revisionsOf(state.model);
      state = createSharingState(next.model, next.master);
      keyFile = next.keyFile;
      cache.clear();
      const current = revisionsOf(next.model);
      const record: AuditRecord = {
        at: by.at,
        actor: by.actor,
        role: by.role,
        groups: [],
        action: 'policy.reload',
        details: { previous, current },
      };
      audit.add(record);
      await audit.flush();
      return { previous, current };
    },
    preview: (request) =>
      previewForGroup({
        state,
        store: options.store,
        validator: options.validator,
        groupId: request.groupId,
        collection: request.collection,
        ...(request.ids !== undefined && { ids: request.ids }),
        ...(request.addedAfter !== undefined && { addedAfter: request.addedAfter }),
        limit: request.limit,
      }),
    close: () => audit.close(),
  };
}
