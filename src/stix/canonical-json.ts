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

/** `keys` in canonical order: the leading keys by rank, then the rest by UTF-16 code units. */
function sortedKeys(keys: string[]): string[] {
  const leading: string[] = [];
  const rest: string[] = [];
  for (const key of keys) {
    const rank = LEADING_RANK.get(key);
    if (rank === undefined) rest.push(key);
    else leading[rank] = key;
  }
  // The default sort compares by UTF-16 code units, as compareKeys does for these keys.
  rest.sort();
  const out: string[] = [];
  for (const key of leading) if (key !== undefined) out.push(key);
  for (const key of rest) out.push(key);
  return out;
}

/**
 * The value with canonical key order. A part already in that order is returned itself, not
 * copied: JSON.stringify writes the keys of an object in Object.keys order, so it writes the
 * same text, and most of a posted object (its arrays, its nested objects) needs no copy.
 */
function reorder(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const reordered = reorder(item);
      if (reordered !== item && out === undefined) out = value.slice(0, i);
      if (out !== undefined) out.push(reordered);
    }
    return out ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const order = isCanonicalOrder(keys) ? keys : sortedKeys(keys);
  let out = order === keys ? undefined : emptyLike(keys);
  for (let i = 0; i < order.length; i++) {
    const key = order[i]!;
    const child = record[key];
    const reordered = reorder(child);
    if (out === undefined && reordered !== child) {
      out = emptyLike(keys);
      for (let k = 0; k < i; k++) out[order[k]!] = record[order[k]!];
    }
    if (out !== undefined) out[key] = reordered;
  }
  return out ?? value;
}

/**
 * A plain object keeps V8's fast properties, which JSON.stringify serializes several times
 * faster. Only a "__proto__" key (an own property of the parsed JSON) needs an object without
 * prototype: on `{}` the assignment would set the prototype and the key would be lost.
 */
function emptyLike(keys: readonly string[]): Record<string, unknown> {
  return (keys.includes('__proto__') ? Object.create(null) : {}) as Record<string, unknown>;
}

/** JSON text of a parsed JSON value with canonical key order; array order is meaningful and kept. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(reorder(value));
}
