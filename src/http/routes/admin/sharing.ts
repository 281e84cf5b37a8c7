// The admin endpoints of the sharing model, part of the one admin router (router.ts).
//   GET  /admin/audit?since=&until=&actor=&action=&collection=&group=&after=&limit=   (R14)
//   GET  /admin/preview?group=G&collection=C[&id=a,b][&api_root=R][&added_after=T][&limit=N]  (R14)
//   POST /admin/sharing/reload   re-reads the configuration file's sharing section (audited)
//   GET  /admin/sharing          groups, revisions, cache figures (never key material)
//   GET  /admin/sharing/policy   the model in force (groups, policies, registry) and the
//                                configuration file's sharing section checked now
import type { Router } from 'express';
import {
  BadRequestError,
  ConfigError,
  InvalidFilterError,
  NotFoundError,
  UnprocessableError,
} from '../../../errors.js';
import { describeAuditRecord, parseAuditFilter, readAudit } from '../../../partner/audit-query.js';
import { describePreview } from '../../../partner/preview-format.js';
import type { ReloadOutcome, SharingRuntime } from '../../../partner/runtime.js';
import { formatTaxiiTimestamp, parseStixTimestamp } from '../../../stix/timestamp.js';
import { principalOf } from '../../request-context.js';
import { queryOf } from '../params.js';
import { onlyParams as only, sendJson, type AdminContext } from './support.js';

export interface SharingAdminOptions {
  runtime: SharingRuntime;
  /** Re-reads the configuration file and reloads the sharing model; throws ConfigError when broken. */
  reload(by: { actor: string }): Promise<ReloadOutcome>;
  /**
   * Re-reads the configuration file and validates its sharing section as `stixgate policy
   * check` does (the key file is read, never created); the errors found. Absent → no file.
   */
  check?(): string[];
}

export const DEFAULT_PREVIEW_LIMIT = 50;
export const MAX_PREVIEW_LIMIT = 500;

export function adminSharingRoutes(
  router: Router,
  ctx: AdminContext,
  options: SharingAdminOptions,
): void {
  const { runtime } = options;
  const store = ctx.store;

  router.get(['/audit', '/audit/'], async (req, res) => {
    const q = only(queryOf(req), [
      'since',
      'until',
      'actor',
      'action',
      'collection',
      'group',
      'after',
      'limit',
    ]);
    const query = parseAuditFilter(q);
    // Partner reads are appended in batches: flush so that the answer holds every read so far.
    await runtime.audit.flush();
    const page = await readAudit(store, query);
    sendJson(res, 200, {
      more: page.more,
      ...(page.next !== undefined && { next: String(page.next) }),
      records: page.records.map(describeAuditRecord),
    });
  });

  router.get(['/preview', '/preview/'], async (req, res) => {
    const q = only(queryOf(req), ['group', 'collection', 'id', 'api_root', 'added_after', 'limit']);
    if (!q.group) throw new BadRequestError('group is required');
    if (!q.collection) throw new BadRequestError('collection is required');
    const apiRoot =
      q.api_root ?? ctx.config.discovery.defaultApiRoot ?? ctx.config.apiRoots[0]?.path ?? '';
    const collection = await store.getCollection(apiRoot, q.collection);
    if (!collection) throw new NotFoundError('collection', q.collection);
    let limit = DEFAULT_PREVIEW_LIMIT;
    if (q.limit !== undefined) {
      limit = Number(q.limit);
      if (!/^\d{1,4}$/.test(q.limit) || limit < 1 || limit > MAX_PREVIEW_LIMIT)
        throw new InvalidFilterError('limit', `must be 1 to ${MAX_PREVIEW_LIMIT}`);
    }
    let addedAfter: number | undefined;
    if (q.added_after !== undefined) {
      addedAfter = parseStixTimestamp(q.added_after);
      if (addedAfter === undefined)
        throw new InvalidFilterError('added_after', 'must be a STIX timestamp');
    }
    const ids =
      q.id === undefined
        ? undefined
        : q.id
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '');
    const preview = await runtime.preview({
      groupId: q.group,
      collection,
      ...(ids !== undefined && { ids }),
      ...(addedAfter !== undefined && { addedAfter }),
      limit: ids === undefined ? limit : Math.max(ids.length, 1),
    });
    if (preview === undefined) throw new NotFoundError('group', q.group);
    sendJson(res, 200, describePreview(preview, collection));
  });

  router.post(['/sharing/reload', '/sharing/reload/'], async (_req, res) => {
    let outcome: ReloadOutcome;
    try {
      outcome = await options.reload({ actor: principalOf(res).subject });
    } catch (error) {
      // The running model stays; the admin learns which key of the file is wrong.
      if (error instanceof ConfigError)
        throw new UnprocessableError(`configuration not reloaded: ${error.message}`);
      throw error;
    }
    sendJson(res, 200, { reloaded: true, previous: outcome.previous, current: outcome.current });
  });

  router.get(['/sharing/policy', '/sharing/policy/'], (req, res) => {
    only(queryOf(req), []);
    // The key file's location is operations detail, not policy; key material is never here.
    const { masterKeyFile: _keyFile, ...model } = runtime.state().model;
    const errors = options.check?.() ?? [];
    sendJson(res, 200, {
      running: model,
      revisions: runtime.revisions(),
      file: { checked: options.check !== undefined, valid: errors.length === 0, errors },
    });
  });

  router.get(['/sharing', '/sharing/'], (_req, res) => {
    const model = runtime.state().model;
    const stats = runtime.cache.stats();
    const pages = runtime.pages.stats();
    sendJson(res, 200, {
      groups: model.groups.map((g) => ({
        id: g.id,
        name: g.name,
        policy: g.policyId,
        single_organization: g.singleOrganization,
      })),
      revisions: runtime.revisions(),
      key_configured: runtime.state().master !== undefined,
      cache: {
        entries: stats.entries,
        bytes: stats.bytes,
        max_bytes: stats.maxBytes,
        hits: stats.hits,
        misses: stats.misses,
        evictions: stats.evictions,
      },
      page_cache: {
        entries: pages.entries,
        bytes: pages.bytes,
        max_bytes: pages.maxBytes,
        hits: pages.hits,
        misses: pages.misses,
      },
      audit_pending: runtime.audit.pending(),
      generated_at: formatTaxiiTimestamp(ctx.now()),
    });
  });
}
