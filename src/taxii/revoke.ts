// stixgate extension (docs/conformance.md, deletion seen by pollers): revoke an object by adding
// a new version of its latest version with `revoked: true` (STIX 2.1 §3.6.4). Unlike DELETE,
// pollers paging with added_after see the revocation, because it is a new date_added.
import { canRead, canWrite } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { ForbiddenError, NotFoundError, UnprocessableError } from '../errors.js';
import {
  MAX_TIMESTAMP_MICROS,
  parseStixTimestampExact,
  versionKeyFromExact,
  versionKeyOf,
} from '../stix/timestamp.js';
import type { StatusDetail } from '../store/types.js';
import type { TaxiiDeps } from './deps.js';
import { DEFAULT_SPEC_VERSIONS, LAST_VERSION } from './filter.js';
import { OBJECT_ID_PATTERN } from './object.js';
import { toNewObject } from './ingest.js';
import type { PostResult } from './objects.js';
import { resolveVisibleCollection } from './resolve.js';
import { recordCompletedStatus } from './status.js';

/** A new version must be strictly later than the one it replaces; STIX keeps millisecond precision at least. */
const MIN_STEP_MICROS = 1000n;

export async function revokeObject(
  deps: TaxiiDeps,
  principal: Principal,
  rootPath: string,
  collectionId: string,
  objectId: string,
): Promise<PostResult> {
  const { root, collection } = await resolveVisibleCollection(
    deps,
    principal,
    rootPath,
    collectionId,
  );
  if (!canRead(principal, collection) || !canWrite(principal, collection)) {
    throw new ForbiddenError('revoking objects needs read and write access to the collection');
  }
  if (!OBJECT_ID_PATTERN.test(objectId)) throw new NotFoundError('object', objectId);
  const page = await deps.store.query(collection.id, {
    ids: [objectId],
    versions: LAST_VERSION,
    specVersions: DEFAULT_SPEC_VERSIONS,
    limit: 1,
  });
  const latest = page.records[0];
  if (!latest) throw new NotFoundError('object', objectId);
  const current = JSON.parse(latest.json) as Record<string, unknown>;
  const modified =
    typeof current.modified === 'string' ? parseStixTimestampExact(current.modified) : undefined;
  // STIX 2.1 §3.6: only versioned objects (SDOs, SROs) carry `revoked`.
  if (modified === undefined || typeof current.created !== 'string') {
    throw new UnprocessableError(
      'only objects with created/modified (SDOs and SROs) can be revoked',
    );
  }
  const now = deps.now();
  const details: { successes: StatusDetail[]; failures: StatusDetail[] } = {
    successes: [],
    failures: [],
  };
  if (current.revoked === true) {
    details.successes.push({
      id: objectId,
      version: versionKeyOf(current.modified as string) as string,
      message: 'already revoked',
    });
  } else {
    // Exact arithmetic: the current version may be anywhere up to the year 9999.
    const stepped = modified + MIN_STEP_MICROS;
    const nowExact = BigInt(Math.floor(now));
    const next = nowExact > stepped ? nowExact : stepped;
    if (next > MAX_TIMESTAMP_MICROS) {
      throw new UnprocessableError('the latest version is too close to 9999 for a later one');
    }
    const revoked = { ...current, revoked: true, modified: versionKeyFromExact(next) };
    const check = deps.validator.validateObject(revoked, { mode: collection.validation });
    if (!check.ok) throw new UnprocessableError('the revoked version would not be valid STIX');
    const [outcome] = await deps.store.addObjects(collection.id, [toNewObject(revoked)], now);
    if (outcome === undefined || outcome.outcome === 'conflict') {
      details.failures.push({
        id: objectId,
        version: revoked.modified,
        message: 'conflict: a version with this timestamp exists',
      });
    } else {
      details.successes.push({
        id: objectId,
        version: outcome.version,
      });
    }
  }
  if (details.successes.length > 0 && details.successes[0]!.message === undefined) {
    await deps.recordChange({
      principal,
      source: 'http',
      action: 'object.revoke',
      apiRoot: root.path,
      collectionId: collection.id,
      details: { ids: [objectId], version: details.successes[0]!.version },
    });
  }
  return recordCompletedStatus(deps, {
    apiRoot: root.path,
    collectionId: collection.id,
    submitter: principal.subject,
    now,
    totalCount: 1,
    successes: details.successes,
    failures: details.failures,
  });
}
