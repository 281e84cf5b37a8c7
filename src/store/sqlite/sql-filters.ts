// WHERE fragments shared by object queries and deletes. Values are always bound parameters;
// lists are bound as one JSON array and expanded with json_each, so the SQL text (and hence
// the prepared-statement cache) depends only on which filters are present.
import type { VersionSelector } from '../types.js';

export type Params = Record<string, string | number | null>;

/** `column IN (list)` with the list bound as a JSON array under `name`. */
export function inList(
  column: string,
  name: string,
  values: readonly (string | number)[],
  params: Params,
): string {
  params[name] = JSON.stringify(values);
  return `${column} IN (SELECT value FROM json_each(@${name}))`;
}

export function notInList(
  column: string,
  name: string,
  values: readonly (string | number)[],
  params: Params,
): string {
  params[name] = JSON.stringify(values);
  return `${column} NOT IN (SELECT value FROM json_each(@${name}))`;
}

/**
 * The version selector as a condition, or undefined when every version matches. The marker
 * terms are written exactly as in the partial indexes' WHERE clauses (`is_latest = 1`), which
 * is what lets SQLite use those indexes.
 */
export function versionCondition(selector: VersionSelector, params: Params): string | undefined {
  if (selector.kind === 'all') return undefined;
  const parts: string[] = [];
  if (selector.last) parts.push('o.is_latest = 1');
  if (selector.first) parts.push('o.is_first = 1');
  if (selector.versions.length > 0)
    parts.push(inList('o.version', 'versions', selector.versions, params));
  if (parts.length === 0) return '0';
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}
