// TAXII 2.1 §4.3 status resource: persisted in the store, readable by its submitter (and
// admins) until the retention period has passed; afterwards, or for anyone else, 404.
import type { Principal } from '../auth/principal.js';
import { NotFoundError } from '../errors.js';
import { formatTaxiiTimestamp } from '../stix/timestamp.js';
import type { Micros, StatusDetail, StatusRecord } from '../store/types.js';
import type { TaxiiDeps } from './deps.js';
import { resolveApiRoot } from './resolve.js';

const US_PER_HOUR = 3_600_000_000;

/** TAXII 2.1 §2: a list has at least one value, so an empty detail list is omitted, not `[]`. */
export function serializeStatus(s: StatusRecord): string {
  return JSON.stringify({
    id: s.id,
    status: s.status,
    request_timestamp: s.requestTimestamp,
    total_count: s.totalCount,
    success_count: s.successCount,
    ...(s.successes.length > 0 && { successes: s.successes }),
    failure_count: s.failureCount,
    ...(s.failures.length > 0 && { failures: s.failures }),
    pending_count: s.pendingCount,
    ...(s.pendings.length > 0 && { pendings: s.pendings }),
  });
}

export async function getStatus(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  statusId: string,
): Promise<string> {
  const root = resolveApiRoot(deps, rootPath);
  const status = /^[0-9a-f-]{36}$/.test(statusId)
    ? await deps.store.getStatus(root.path, statusId)
    : undefined;
  const expired =
    status !== undefined &&
    status.updatedAt + deps.config.status.retentionHours * US_PER_HOUR < deps.now();
  if (
    !status ||
    expired ||
    (status.submitter !== principal.subject && principal.role !== 'admin')
  ) {
    throw new NotFoundError('status', statusId);
  }
  return serializeStatus(status);
}

/** Deletes status resources past retention; main.ts calls it periodically. */
export async function purgeExpiredStatuses(
  deps: Pick<TaxiiDeps, 'config' | 'store' | 'now'>,
): Promise<number> {
  return deps.store.purgeStatuses(deps.now() - deps.config.status.retentionHours * US_PER_HOUR);
}

export interface CompletedRequest {
  apiRoot: string;
  collectionId: string;
  submitter: string;
  now: Micros;
  totalCount: number;
  successes: StatusDetail[];
  failures: StatusDetail[];
}

/**
 * Stores the status of a write that finished synchronously (TAXII 2.1 §4.3: `complete`,
 * nothing pending) and returns it with its TAXII serialization.
 */
export async function recordCompletedStatus(
  deps: Pick<TaxiiDeps, 'store' | 'newStatusId'>,
  request: CompletedRequest,
): Promise<{ status: StatusRecord; statusJson: string }> {
  const status: StatusRecord = {
    id: deps.newStatusId(),
    apiRoot: request.apiRoot,
    collectionId: request.collectionId,
    submitter: request.submitter,
    status: 'complete',
    requestTimestamp: formatTaxiiTimestamp(request.now),
    totalCount: request.totalCount,
    successCount: request.successes.length,
    failureCount: request.failures.length,
    pendingCount: 0,
    successes: request.successes,
    failures: request.failures,
    pendings: [],
    updatedAt: request.now,
  };
  await deps.store.putStatus(status);
  return { status, statusJson: serializeStatus(status) };
}
