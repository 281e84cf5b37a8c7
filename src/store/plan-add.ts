// The per-object rules of one addObjects call, the same on every backend: what is a duplicate,
// a conflict or a new version, judged against what is stored and what comes earlier in the call.
import { versionKeyFromMicros } from '../stix/timestamp.js';
import type { DatableVersion } from './date-added-block.js';
import type { AddOutcome, Micros, NewObject, VersionKey } from './types.js';

export const conflictMessage = 'a different object with this id and version is already stored';
const collisionMessage = 'another version of this object has the same version timestamp';

/** A version this call stores, before and after it gets its date_added. */
export interface PlannedVersion extends DatableVersion {
  readonly object: NewObject;
  /** Outcome when another writer stored this key first (backends without one write lock). */
  raced?: AddOutcome;
}

export type Planned<V extends PlannedVersion> =
  | { kind: 'done'; outcome: AddOutcome }
  /** Same bytes as a version planned earlier in this call: a duplicate of it, once it has a date. */
  | { kind: 'same-as'; version: V }
  | { kind: 'new'; version: V };

/** What the plan asks of the stored versions; each backend answers from its own reads. */
export interface StoredVersions {
  /** The stored version of an unversioned object with exactly these bytes. */
  sameBytes(id: string, json: string): { v: VersionKey; d: Micros } | undefined;
  /** The stored version `version` of the id, and whether its bytes equal `json`. */
  atVersion(
    id: string,
    version: VersionKey,
    json: string,
  ): { v: VersionKey; d: Micros; same: boolean } | undefined;
}

/** Applies the rules in object order (later objects see earlier ones). */
export function planAdd<V extends PlannedVersion>(
  objects: readonly NewObject[],
  stored: StoredVersions,
  fresh: (object: NewObject, index: number) => V,
): Planned<V>[] {
  const freshById = new Map<string, V[]>();
  return objects.map((object, index): Planned<V> => {
    const earlier = freshById.get(object.id) ?? [];
    if (object.version === null) {
      // Unversioned objects (most SCOs): identical bytes to any stored version is a duplicate.
      const same = stored.sameBytes(object.id, object.json);
      if (same !== undefined) {
        return {
          kind: 'done',
          outcome: {
            id: object.id,
            outcome: 'duplicate',
            version: same.v,
            dateAdded: same.d,
          },
        };
      }
      const planned = earlier.find((version) => version.object.json === object.json);
      if (planned !== undefined) return { kind: 'same-as', version: planned };
    } else {
      const existing = stored.atVersion(object.id, object.version, object.json);
      if (existing !== undefined) {
        // TAXII 2.1 §5.5: re-posting an existing version is a success that stores nothing.
        const outcome: AddOutcome = existing.same
          ? {
              id: object.id,
              outcome: 'duplicate',
              version: existing.v,
              dateAdded: existing.d,
            }
          : {
              id: object.id,
              outcome: 'conflict',
              version: existing.v,
              message: conflictMessage,
            };
        return { kind: 'done', outcome };
      }
      const planned = earlier.find((version) => version.object.version === object.version);
      if (planned !== undefined) {
        if (planned.object.json === object.json) return { kind: 'same-as', version: planned };
        return {
          kind: 'done',
          outcome: {
            id: object.id,
            outcome: 'conflict',
            version: object.version,
            message: conflictMessage,
          },
        };
      }
    }
    const version = fresh(object, index);
    earlier.push(version);
    freshById.set(object.id, earlier);
    return { kind: 'new', version };
  });
}

/** The outcome reported for one object once the new versions have their dates. */
export function outcomeOf<V extends PlannedVersion>(
  entry: Planned<V>,
  object: NewObject,
): AddOutcome {
  if (entry.kind === 'done') return entry.outcome;
  const version = entry.version;
  if (version.dateAdded !== undefined && version.version !== undefined) {
    return {
      id: object.id,
      outcome: entry.kind === 'new' ? 'added' : 'duplicate',
      version: version.version,
      dateAdded: version.dateAdded,
    };
  }
  if (version.raced !== undefined) return { ...version.raced, id: object.id };
  return {
    id: object.id,
    outcome: 'conflict',
    // collidedAt is always set for an unversioned object that lands here; the epoch only keeps
    // the outcome total.
    version: version.collidedAt ?? object.version ?? versionKeyFromMicros(0),
    message: collisionMessage,
  };
}
