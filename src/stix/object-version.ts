// The version of a STIX object: `modified`, else `created` (STIX 2.1 §3.6), else null.
import { parseStixTimestamp, versionKeyOf, type VersionKey } from './timestamp.js';

/** The exact version key of `modified`, else `created`; null when neither is a valid timestamp (most SCOs). */
export function versionOf(object: unknown): VersionKey | null {
  if (typeof object !== 'object' || object === null) return null;
  const o = object as Record<string, unknown>;
  for (const key of ['modified', 'created'] as const) {
    const value = o[key];
    const version = typeof value === 'string' ? versionKeyOf(value) : undefined;
    if (version !== undefined) return version;
  }
  return null;
}

/** The timestamp text versionOf reads (`modified`, else `created`), or null. */
export function versionTextOf(object: unknown): string | null {
  if (typeof object !== 'object' || object === null) return null;
  const o = object as Record<string, unknown>;
  for (const key of ['modified', 'created'] as const) {
    const value = o[key];
    if (typeof value === 'string' && parseStixTimestamp(value) !== undefined) return value;
  }
  return null;
}
