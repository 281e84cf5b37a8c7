// Audit records for state changes (objects added, deleted, revoked; collections, groups,
// imports, migrations): who, through which surface, what — ids and counts, never content.
// Recording happens after the change committed, so a failure to write the record is reported
// to the log and never turns a committed write into an error for the client.
import type { Principal } from '../auth/principal.js';
import type { AuditRecord, Micros, Store } from '../store/types.js';

export type ChangeSource = 'http' | 'cli';

export interface StateChange {
  principal: Pick<Principal, 'subject' | 'role' | 'groups'>;
  source: ChangeSource;
  /** e.g. `objects.add`, `object.delete`, `object.revoke`, `collection.create`, `import`. */
  action: string;
  apiRoot?: string;
  collectionId?: string;
  details: Record<string, unknown>;
}

export type ChangeRecorder = (change: StateChange) => Promise<void>;

/** Ids listed in one record at most; the counts stay exact beyond it. */
export const MAX_AUDITED_IDS = 10_000;

export function auditRecordOf(change: StateChange, at: Micros): AuditRecord {
  return {
    at,
    actor: change.principal.subject,
    role: change.principal.role,
    groups: [...change.principal.groups],
    action: change.action,
    ...(change.apiRoot !== undefined && { apiRoot: change.apiRoot }),
    ...(change.collectionId !== undefined && { collectionId: change.collectionId }),
    details: { source: change.source, ...change.details },
  };
}

/** `{ ids, idsTruncated? }` with at most MAX_AUDITED_IDS ids. */
export function auditedIds(ids: readonly string[]): { ids: string[]; idsTruncated?: true } {
  return ids.length > MAX_AUDITED_IDS
    ? { ids: ids.slice(0, MAX_AUDITED_IDS), idsTruncated: true }
    : { ids: [...ids] };
}

export function createChangeRecorder(options: {
  store: Pick<Store, 'appendAudit'>;
  now: () => Micros;
  onError: (error: unknown, change: StateChange) => void;
}): ChangeRecorder {
  return async (change) => {
    try {
      await options.store.appendAudit([auditRecordOf(change, options.now())]);
    } catch (error) {
      options.onError(error, change);
    }
  };
}
