// The one serialization stixgate stores and serves. Key order depends only on the key set
// (STIX's identifying properties first, the rest sorted), so two postings of the same object
// with keys in another order give the same bytes and are recognised as a duplicate
// (TAXII 2.1 §5.5) rather than refused as a conflicting version.

const LEADING_KEYS = ['type', 'spec_version', 'id', 'created_by_ref', 'created', 'modified'];
const LEADING_RANK = new Map(LEADING_KEYS.map((key, i) => [key, i]));

function compareKeys(a: string, b: string): number {
  const ra = LEADING_RANK.get(a);
  const rb = LEADING_RANK.get(b);
  if (ra !== undefined || rb !== undefined)
    return (ra ?? LEADING_KEYS.length) - (rb ?? LEADING_KEYS.length);
  return a < b ? -1 : a > b ? 1 : 0;
}

function isCanonicalOrder(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (compareKeys(keys[i - 1]!, keys[i]!) > 0) return false;
  return true;
}

function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (!isCanonicalOrder(keys)) keys.sort(compareKeys);
  // A plain object keeps V8's fast properties, which JSON.stringify serializes several times
  // faster. Only a "__proto__" key (an own property of the parsed JSON) needs an object without
  // prototype: on `{}` the assignment would set the prototype and the key would be lost.
  const out = (keys.includes('__proto__') ? Object.create(null) : {}) as Record<string, unknown>;
  for (const key of keys) out[key] = reorder((value as Record<string, unknown>)[key]);
  return out;
}

/** JSON text of a parsed JSON value with canonical key order; array order is meaningful and kept. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(reorder(value));
}
