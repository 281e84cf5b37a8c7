// The typed filter of a TAXII 2.1 read (§3.4): added_after, limit, next and match[…]. The HTTP
// layer hands over a flat map of already-decoded query parameters (no nesting, no repeats);
// this module checks which parameters the endpoint accepts and what their values mean.
import { InvalidFilterError } from '../errors.js';
import { LATEST_SPEC_VERSIONS } from '../stix/spec-versions.js';
import { parseStixTimestampForClock, versionKeyMicros, versionKeyOf } from '../stix/timestamp.js';
import type { Micros, VersionKey, VersionSelector } from '../store/types.js';

export type QueryParams = ReadonlyMap<string, string>;

export type FilterParam =
  | 'added_after'
  | 'limit'
  | 'next'
  | 'match[id]'
  | 'match[type]'
  | 'match[version]'
  | 'match[spec_version]';

/** Parameters each endpoint accepts (TAXII 2.1 §5.3–5.8). */
export const ENDPOINT_PARAMS = {
  objects: [
    'added_after',
    'limit',
    'next',
    'match[id]',
    'match[type]',
    'match[version]',
    'match[spec_version]',
  ],
  manifest: [
    'added_after',
    'limit',
    'next',
    'match[id]',
    'match[type]',
    'match[version]',
    'match[spec_version]',
  ],
  object: ['added_after', 'limit', 'next', 'match[version]', 'match[spec_version]'],
  objectDelete: ['match[version]', 'match[spec_version]'],
  versions: ['added_after', 'limit', 'next', 'match[spec_version]'],
  none: [],
} as const satisfies Record<string, readonly FilterParam[]>;

export interface TaxiiFilter {
  addedAfter?: Micros;
  /** As requested; the server cap is applied by `effectiveLimit`. */
  limit?: number;
  next?: string;
  ids?: string[];
  types?: string[];
  versions: VersionSelector;
  /** Explicit match[version] given (DELETE defaults to all versions when absent). */
  hasVersionMatch: boolean;
  /** match[spec_version], or DEFAULT_SPEC_VERSIONS when absent. */
  specVersions: readonly string[];
}

export const LAST_VERSION: VersionSelector = {
  kind: 'some',
  first: false,
  last: true,
  versions: [],
};
export const ALL_VERSIONS: VersionSelector = { kind: 'all' };

/** TAXII 2.1 §3.4.1: without match[spec_version], only the latest spec version stored. */
export const DEFAULT_SPEC_VERSIONS = LATEST_SPEC_VERSIONS;

// STIX 2.1 §2.7 type names and §2.9 identifiers; custom types (x-…) are ordinary names here.
const TYPE_NAME = /^(?!.*--)[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;
const IDENTIFIER =
  /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SPEC_VERSION = /^[0-9]{1,3}\.[0-9]{1,3}$/;
const MAX_LIST = 100;

export function parseFilter(params: QueryParams, allowed: readonly FilterParam[]): TaxiiFilter {
  for (const key of params.keys()) {
    if (!(allowed as readonly string[]).includes(key)) {
      throw new InvalidFilterError(key, 'not a parameter of this endpoint');
    }
  }
  const filter: TaxiiFilter = {
    versions: LAST_VERSION,
    hasVersionMatch: false,
    specVersions: DEFAULT_SPEC_VERSIONS,
  };
  const addedAfter = params.get('added_after');
  if (addedAfter !== undefined) filter.addedAfter = parseTimestampParam('added_after', addedAfter);
  const limit = params.get('limit');
  if (limit !== undefined) filter.limit = parseLimit(limit);
  const next = params.get('next');
  if (next !== undefined) {
    if (next.length === 0 || next.length > 512)
      throw new InvalidFilterError('next', 'not a cursor issued by this server');
    filter.next = next;
  }
  const ids = params.get('match[id]');
  if (ids !== undefined)
    filter.ids = parseList('match[id]', ids, IDENTIFIER, 'must be STIX identifiers');
  const types = params.get('match[type]');
  if (types !== undefined)
    filter.types = parseList('match[type]', types, TYPE_NAME, 'must be STIX type names');
  const version = params.get('match[version]');
  if (version !== undefined) {
    filter.versions = parseVersionSelector(version);
    filter.hasVersionMatch = true;
  }
  const specVersions = params.get('match[spec_version]');
  if (specVersions !== undefined) {
    filter.specVersions = parseList(
      'match[spec_version]',
      specVersions,
      SPEC_VERSION,
      'must be versions like 2.1',
    );
  }
  return filter;
}

/**
 * TAXII 2.1 §3.4.1 match[version]: `last` (default), `first`, `all` (alone), or STIX
 * timestamps of `modified` (unversioned objects: `created`), as a comma list ORed together.
 */
export function parseVersionSelector(value: string): VersionSelector {
  const items = splitList('match[version]', value);
  if (items.includes('all')) {
    if (items.some((item) => item !== 'all'))
      throw new InvalidFilterError('match[version]', '"all" cannot be combined with other values');
    return ALL_VERSIONS;
  }
  const selector = {
    kind: 'some' as const,
    first: false,
    last: false,
    versions: [] as VersionKey[],
  };
  for (const item of items) {
    if (item === 'first') selector.first = true;
    else if (item === 'last') selector.last = true;
    else selector.versions.push(parseVersionParam('match[version]', item));
  }
  // Keys sort as strings in chronological order.
  selector.versions = [...new Set(selector.versions)].sort();
  return selector;
}

const timestampHint = 'must be a timestamp like 2026-01-31T12:00:00.000000Z';

/** An exact version key: match[version] compares with stored versions, every microsecond. */
export function parseVersionParam(parameter: string, value: string): VersionKey {
  const key = versionKeyOf(value);
  if (key === undefined) throw new InvalidFilterError(parameter, timestampHint);
  return key;
}

/**
 * A timestamp compared with date_added (added_after): exact where a server clock can be,
 * clamped beyond (parseStixTimestampForClock), so the comparison is exact over years 0000–9999.
 */
export function parseTimestampParam(parameter: string, value: string): Micros {
  const micros = parseStixTimestampForClock(value);
  if (micros === undefined) throw new InvalidFilterError(parameter, timestampHint);
  return micros;
}

function parseLimit(value: string): number {
  // TAXII 2.1 §3.4: limit is a positive integer.
  if (!/^[1-9][0-9]{0,8}$/.test(value))
    throw new InvalidFilterError('limit', 'must be a positive integer');
  return Number(value);
}

function splitList(parameter: string, value: string): string[] {
  const items = value.split(',');
  if (items.length > MAX_LIST)
    throw new InvalidFilterError(parameter, `at most ${MAX_LIST} values`);
  if (items.some((item) => item.length === 0))
    throw new InvalidFilterError(parameter, 'empty value in the list');
  return items;
}

function parseList(parameter: string, value: string, pattern: RegExp, hint: string): string[] {
  const items = splitList(parameter, value);
  for (const item of items) if (!pattern.test(item)) throw new InvalidFilterError(parameter, hint);
  return [...new Set(items)];
}

/** The server's default when absent, never more than its maximum (TAXII 2.1 §3.4: a server may cap). */
export function effectiveLimit(
  filter: TaxiiFilter,
  limits: { defaultLimit: number; maxLimit: number },
): number {
  return Math.min(filter.limit ?? limits.defaultLimit, limits.maxLimit);
}

/**
 * Canonical text of what a filter selects, without `limit` and `next`: a `next` cursor is only
 * valid for the same selection (clients may change `limit` between pages).
 */
export function normalizeFilter(filter: TaxiiFilter): string {
  const sorted = (list: readonly string[] | undefined): string =>
    list === undefined ? '-' : [...list].sort().join(',');
  const v = filter.versions;
  const versions =
    v.kind === 'all'
      ? 'all'
      : // Versions as microseconds, as they were written when they were doubles: a cursor
        // issued before versions became keys still matches its filter.
        `${v.first ? 'first;' : ''}${v.last ? 'last;' : ''}${v.versions.map((key) => versionKeyMicros(key).toString()).join(',')}`;
  return [
    `aa=${filter.addedAfter ?? '-'}`,
    `id=${sorted(filter.ids)}`,
    `type=${sorted(filter.types)}`,
    `v=${versions}`,
    // The default renders as before it had a value, so cursors issued earlier stay valid.
    `sv=${filter.specVersions === DEFAULT_SPEC_VERSIONS ? '-' : sorted(filter.specVersions)}`,
  ].join('|');
}
