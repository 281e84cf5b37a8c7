// Traffic Light Protocol markings (STIX 2.1 §7.2.1.4 for TLP 1.0; the OASIS TLP 2.0
// extension-definition for TLP 2.0). Both versions are recognised by id; WHITE = CLEAR.

/** Same literal union as store/types.ts `TlpCode` (stix/ may not import store/). */
export type TlpCode = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red' | 'none' | 'unknown';

export type TlpLevel = Exclude<TlpCode, 'none' | 'unknown'>;

/** The extension-definition that marks a TLP 2.0 marking-definition. */
export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export interface TlpMarking {
  id: string;
  version: 1 | 2;
  level: TlpLevel;
  /** The `name` of the published marking-definition, e.g. `TLP:AMBER+STRICT`. */
  name: string;
  /** The `created` timestamp of the published marking-definition. */
  created: string;
  /** TLP 1.0 `definition.tlp` / TLP 2.0 `tlp_2_0` value. */
  value: string;
}

const TLP1_CREATED = '2017-01-20T00:00:00.000Z';
const TLP2_CREATED = '2022-10-01T00:00:00.000Z';

export const TLP_MARKINGS: readonly TlpMarking[] = Object.freeze([
  {
    id: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
    version: 2,
    level: 'clear',
    name: 'TLP:CLEAR',
    created: TLP2_CREATED,
    value: 'clear',
  },
  {
    id: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
    version: 2,
    level: 'green',
    name: 'TLP:GREEN',
    created: TLP2_CREATED,
    value: 'green',
  },
  {
    id: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
    version: 2,
    level: 'amber',
    name: 'TLP:AMBER',
    created: TLP2_CREATED,
    value: 'amber',
  },
  {
    id: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
    version: 2,
    level: 'amber+strict',
    name: 'TLP:AMBER+STRICT',
    created: TLP2_CREATED,
    value: 'amber+strict',
  },
  {
    id: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
    version: 2,
    level: 'red',
    name: 'TLP:RED',
    created: TLP2_CREATED,
    value: 'red',
  },
  {
    id: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
    version: 1,
    level: 'clear',
    name: 'TLP:WHITE',
    created: TLP1_CREATED,
    value: 'white',
  },
  {
    id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
    version: 1,
    level: 'green',
    name: 'TLP:GREEN',
    created: TLP1_CREATED,
    value: 'green',
  },
  {
    id: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
    version: 1,
    level: 'amber',
    name: 'TLP:AMBER',
    created: TLP1_CREATED,
    value: 'amber',
  },
  {
    id: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
    version: 1,
    level: 'red',
    name: 'TLP:RED',
    created: TLP1_CREATED,
    value: 'red',
  },
] satisfies TlpMarking[]);

const BY_ID: ReadonlyMap<string, TlpMarking> = new Map(TLP_MARKINGS.map((m) => [m.id, m]));

/** The published TLP marking with this id, if any. */
export function tlpMarkingById(id: string): TlpMarking | undefined {
  return BY_ID.get(id);
}

export function isTlpMarkingId(id: unknown): boolean {
  return typeof id === 'string' && BY_ID.has(id);
}

// Ordering from least to most restrictive. 'none' (unmarked) sorts lowest: the caller applies
// the collection default. 'unknown' sorts highest: it must fail closed (R2: unknown → withhold).
const RANK: Readonly<Record<TlpCode, number>> = {
  none: 0,
  clear: 1,
  green: 2,
  amber: 3,
  'amber+strict': 4,
  red: 5,
  unknown: 6,
};

export function tlpRank(code: TlpCode): number {
  return RANK[code];
}

/** The stricter of two codes. */
export function stricterTlp(a: TlpCode, b: TlpCode): TlpCode {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * How a marking-definition id is understood: a TLP level, `'not-tlp'` for a marking the
 * caller knows carries no TLP meaning (e.g. a copyright statement), or undefined if unknown.
 */
export type MarkingClassifier = (markingId: string) => TlpLevel | 'not-tlp' | undefined;

/**
 * Effective TLP of an object from its `object_marking_refs` (R2):
 * - no marking refs → `'none'` (the collection default applies);
 * - otherwise the strictest of the published TLP markings it carries;
 * - `'unknown'` as soon as one ref is neither a published TLP id nor classified by
 *   `classify` — an unknown marking-definition could restrict further, so it fails closed.
 *   Callers that know some markings (e.g. statement markings stored in the collection)
 *   pass a classifier that answers `'not-tlp'` for them.
 * Granular markings do not change the object's level (they apply to parts; R2 handles them).
 */
export function tlpOf(object: unknown, classify?: MarkingClassifier): TlpCode {
  if (typeof object !== 'object' || object === null) return 'unknown';
  const refs = (object as Record<string, unknown>)['object_marking_refs'];
  if (refs === undefined) return 'none';
  if (!Array.isArray(refs)) return 'unknown';
  let result: TlpCode = 'none';
  for (const ref of refs) {
    if (typeof ref !== 'string') return 'unknown';
    const published = BY_ID.get(ref);
    const level = published !== undefined ? published.level : classify?.(ref);
    if (level === undefined) return 'unknown';
    if (level !== 'not-tlp') result = stricterTlp(result, level);
  }
  return result;
}

/**
 * Classifies a marking-definition object: a published TLP marking (checked by id), a
 * `statement` marking, or `'unknown'` (custom definition types, a TLP-looking marking with a
 * non-published id…). Useful to build a `MarkingClassifier` from stored markings.
 */
export function classifyMarkingDefinition(marking: unknown): TlpLevel | 'not-tlp' | 'unknown' {
  if (typeof marking !== 'object' || marking === null) return 'unknown';
  const m = marking as Record<string, unknown>;
  if (typeof m['id'] === 'string') {
    const published = BY_ID.get(m['id']);
    if (published !== undefined) return published.level;
  }
  if (m['definition_type'] === 'statement') return 'not-tlp';
  return 'unknown';
}
