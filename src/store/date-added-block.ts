// The block of date_added values one addObjects call takes, the same on every backend.
import { versionKeyFromMicros } from '../stix/timestamp.js';
import type { Micros, VersionKey } from './types.js';

const microsPerMillisecond = 1000;

/** The smallest whole millisecond (in microseconds) at or after `micros`. */
export function ceilToMillisecond(micros: Micros): Micros {
  return micros + ((microsPerMillisecond - (micros % microsPerMillisecond)) % microsPerMillisecond);
}

/**
 * The `count` consecutive date_added values (`start … end`) a write takes after `last` (the
 * collection's high-water mark, null when nothing was ever added): all later than `last` and
 * not before `now`, and ending on a whole millisecond. Many clients keep
 * X-TAXII-Date-Added-Last at millisecond precision (a JavaScript Date) and send it back as
 * added_after; since the newest object of a write sits exactly on a millisecond, the truncated
 * value still names it, and an idle poll after a multi-object write re-reads nothing.
 */
export function dateAddedBlock(
  last: Micros | null,
  now: Micros,
  count: number,
): { start: Micros; end: Micros } {
  const first = last === null ? now : Math.max(now, last + 1);
  const end = ceilToMillisecond(first + count - 1);
  return { start: end - count + 1, end };
}

/** A version a write is about to store; `dateAdded`/`version` are set once it has a value. */
export interface DatableVersion {
  readonly object: { readonly id: string; readonly version: VersionKey | null };
  dateAdded?: Micros;
  version?: VersionKey;
  /** Set instead when an unversioned object's date_added would equal another version's timestamp. */
  collidedAt?: VersionKey;
}

/**
 * Gives the new versions of one write (in object order) increasing values of the block, the
 * last one `end`. Objects without modified/created are versioned by their date_added (TAXII
 * 2.1 §3.4.1); when that value is a version the id already has (`taken`: stored, or another
 * object of the write), the object is a conflict and takes no value. Values are handed out from
 * the end backwards, so the last value assigned is always `end` and the unused ones, if any,
 * are at the start of the block.
 */
export function assignDates(
  fresh: readonly DatableVersion[],
  end: Micros,
  taken: (id: string, version: VersionKey) => boolean,
): void {
  let next = end;
  for (let i = fresh.length - 1; i >= 0; i--) {
    const version = fresh[i] as DatableVersion;
    if (version.object.version === null) {
      const key = versionKeyFromMicros(next);
      if (taken(version.object.id, key)) {
        version.collidedAt = key;
        continue;
      }
      version.version = key;
    } else {
      version.version = version.object.version;
    }
    version.dateAdded = next;
    next--;
  }
}

/**
 * The `taken` test of assignDates: the versions stored for the id (`stored`, asked at most once
 * per id) and the versioned objects of the write itself.
 */
export function takenVersions(
  fresh: readonly DatableVersion[],
  stored: (id: string) => Iterable<VersionKey>,
): (id: string, version: VersionKey) => boolean {
  // Built on the first question only: most writes have no unversioned object to ask about.
  let byId: Map<string, Set<VersionKey>> | undefined;
  const versionsOf = (all: Map<string, Set<VersionKey>>, id: string): Set<VersionKey> => {
    let versions = all.get(id);
    if (versions === undefined) {
      versions = new Set(stored(id));
      all.set(id, versions);
    }
    return versions;
  };
  return (id, version) => {
    if (byId === undefined) {
      const all = new Map<string, Set<VersionKey>>();
      for (const entry of fresh) {
        if (entry.object.version !== null)
          versionsOf(all, entry.object.id).add(entry.object.version);
      }
      byId = all;
    }
    return versionsOf(byId, id).has(version);
  };
}
