// Query fragments shared by object reads and deletes.
import type { Filter } from 'mongodb';
import type { VersionSelector } from '../types.js';
import type { ObjectDoc } from './schema.js';

/**
 * The version selector as a filter: undefined when every version matches, 'none' when none
 * can (an empty selector).
 */
export function versionFilter(selector: VersionSelector): Filter<ObjectDoc> | undefined | 'none' {
  if (selector.kind === 'all') return undefined;
  const parts: Filter<ObjectDoc>[] = [];
  if (selector.last) parts.push({ isLatest: true });
  if (selector.first) parts.push({ isFirst: true });
  if (selector.versions.length > 0) parts.push({ version: { $in: selector.versions } });
  if (parts.length === 0) return 'none';
  if (parts.length === 1) return parts[0];
  return { $or: parts };
}
