// The version instant of a STIX object: `modified`, else `created` (STIX 2.1 §3.6), else null.
import { parseStixTimestamp, type Micros } from './timestamp.js';

/** Microseconds of `modified`, else `created`; null when neither is a valid timestamp (most SCOs). */
export function versionOf(object: unknown): Micros | null {
  if (typeof object !== 'object' || object === null) return null;
  const o = object as Record<string, unknown>;
  for (const key of ['modified', 'created'] as const) {
    const value = o[key];
    if (typeof value === 'string') {
      const micros = parseStixTimestamp(value);
      if (micros !== undefined) return micros;
    }
  }
  return null;
}
