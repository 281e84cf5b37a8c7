// The running sharing model of one server. Holds the current state (model,
// prepared registry, master secret), the derived-bytes and derived-page caches and the audit batcher; gives the
// partner ReadViewProvider, the admin preview and reload. A reload swaps the state as a whole
// (requests in flight finish on the state they started with) and empties the caches. Every
// reload is audited here: `policy.reload` with the old and new revisions, or
// `policy.reload_failed` with the configuration key that broke it (never file content). The
// model and master key come from config/ through the loader the composition root passes in (no
// file I/O here); the key is never logged.
import { ConfigError } from '../errors.js';
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
import { createPageCache, DEFAULT_PAGE_CACHE_BYTES, type PageCache } from './page-cache.js';
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

/** A sharing model with its master secret, as config/ read them (never file I/O here). */
export interface LoadedSharing {
  model: SharingModel;
  /** Absent → partners are served nothing (no groups, or no key). */
  master?: Buffer;
  /** The key file's path (never the content), for readiness checks. */
  keyFile?: string;
}

export interface SharingRuntimeOptions {
  store: Store;
  validator: ObjectValidator;
  loaded: LoadedSharing;
  /** Bytes of derived output kept in memory (R13); default 32 MiB, 0 disables the cache. */
  cacheBytes?: number;
  /** Bytes of whole derived pages kept by content revision; default 16 MiB, 0 disables them. */
  pageCacheBytes?: number;
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
  pages: PageCache;
  audit: AuditBatcher;
  /**
   * Runs `load` (the configuration and key read again), swaps in its model and key, empties
   * the cache and audits `policy.reload`. When `load` throws, the running model stays, the
   * failure is audited as `policy.reload_failed` and the error rethrown.
   */
  reload(
    load: () => LoadedSharing,
    by: { actor: string; role: Role; at: () => Micros },
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
  const pages = createPageCache(options.pageCacheBytes ?? DEFAULT_PAGE_CACHE_BYTES);
  const audit = createAuditBatcher(options.store, {
    ...(options.auditIntervalMs !== undefined && { intervalMs: options.auditIntervalMs }),
    ...(options.onAuditError !== undefined && { onError: options.onAuditError }),
  });
  const provider = createPartnerViewProvider({
    store: options.store,
    validator: options.validator,
    state: () => state,
    cache,
    pages,
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
    pages,
    audit,
    async reload(load, by) {
      const record = (action: string, details: AuditRecord['details']): AuditRecord => ({
        at: by.at(),
        actor: by.actor,
        role: by.role,
        groups: [],
        action,
        details,
      });
      let next: LoadedSharing;
      try {
        next = load();
      } catch (error) {
        const key = error instanceof ConfigError ? error.key : 'internal';
        await options.store.appendAudit([record('policy.reload_failed', { key })]);
        throw error;
      }
      const previous = revisionsOf(state.model);
      state = createSharingState(next.model, next.master);
      keyFile = next.keyFile;
      cache.clear();
      pages.clear();
      const current = revisionsOf(next.model);
      audit.add(record('policy.reload', { previous, current }));
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
