// What each change of a preview means to a reviewer. The server reports rule, field path and
// operator (W withheld, D dropped, G generalized, P pseudonymized, R redacted, K kept); the
// console names the kind of change from those and the object's type, so that an admin can
// filter "every pseudonym" or "every dropped property" across a collection.
import type { Change, PreviewEntry, StixObject } from '../types.js';

export type ChangeKind =
  | 'withheld'
  | 'redacted'
  | 'pseudonym'
  | 'generalized-sector'
  | 'generalized-location'
  | 'generalized'
  | 'dropped'
  | 'rederived-id'
  | 'mapped-address'
  | 'reference'
  | 'kept'
  | 'other';

export const KIND_LABELS: Record<ChangeKind, string> = {
  withheld: 'withheld',
  redacted: 'redacted span',
  pseudonym: 'pseudonym',
  'generalized-sector': 'generalized sector',
  'generalized-location': 'generalized location',
  generalized: 'generalized value',
  dropped: 'dropped property',
  'rederived-id': 're-derived id',
  'mapped-address': 'mapped address',
  reference: 'reference rewritten',
  kept: 'kept',
  other: 'changed',
};

const ADDRESS_TYPES = new Set(['ipv4-addr', 'ipv6-addr', 'mac-addr']);
const LOCATION_FIELDS = new Set([
  'country',
  'region',
  'administrative_area',
  'city',
  'street_address',
  'postal_code',
  'latitude',
  'longitude',
  'precision',
]);

/** The last named property of a path such as `external_references.[1].url` (→ `url`). */
export function leafName(path: string): string {
  const parts = path.split('.').filter((p) => !/^\[\d+\]$/.test(p));
  return parts[parts.length - 1] ?? '';
}

function isReferencePath(path: string): boolean {
  const names = path.split('.').filter((p) => !/^\[\d+\]$/.test(p));
  return names.some((n) => n.endsWith('_ref') || n.endsWith('_refs'));
}

export function kindOf(change: Change, objectType: string | undefined): ChangeKind {
  const leaf = leafName(change.path);
  switch (change.operator) {
    case 'W':
      return 'withheld';
    case 'R':
      return 'redacted';
    case 'D':
      return 'dropped';
    case 'K':
      return 'kept';
    case 'G':
      if (leaf === 'sectors') return 'generalized-sector';
      if (objectType === 'location' || LOCATION_FIELDS.has(leaf)) return 'generalized-location';
      return 'generalized';
    case 'P':
      if (change.path === 'id') return 'rederived-id';
      if (objectType !== undefined && ADDRESS_TYPES.has(objectType) && leaf === 'value')
        return 'mapped-address';
      if (isReferencePath(change.path)) return 'reference';
      return 'pseudonym';
    default:
      return 'other';
  }
}

export interface LabelledChange extends Change {
  kind: ChangeKind;
}

export function labelChanges(entry: PreviewEntry): LabelledChange[] {
  const type = typeof entry.original.type === 'string' ? entry.original.type : undefined;
  const labelled = entry.changes.map((c) => ({ ...c, kind: kindOf(c, type) }));
  // A served object whose id differs from the original's was re-derived, whether or not the
  // server listed an `id` change for it.
  if (
    entry.derived_id !== undefined &&
    entry.derived_id !== entry.original_id &&
    !labelled.some((c) => c.kind === 'rederived-id')
  )
    labelled.push({ rule: 'R4', path: 'id', operator: 'P', kind: 'rederived-id' });
  return labelled;
}

/** Rules whose withholding is the policy working as configured (TLP ceiling, withheld types, allow-lists). */
const POLICY_RULES = new Set(['R1', 'R2', 'R8']);

export function ruleOfReason(reason: string): string | undefined {
  return /^(R\d+)\b/.exec(reason)?.[1];
}

/** True when a withheld reason points at the data or the registry rather than the policy. */
export function isNonPolicyReason(reason: string): boolean {
  const rule = ruleOfReason(reason);
  return rule === undefined || !POLICY_RULES.has(rule);
}

export function objectType(object: StixObject): string {
  return typeof object.type === 'string' ? object.type : '(no type)';
}

export interface PreviewSummary {
  /** Objects served, by type of the derived object. */
  servedByType: [string, number][];
  withheldByReason: [string, number][];
  served: number;
  withheld: number;
  changes: number;
  kinds: [ChangeKind, number][];
}

function sortedCounts<K extends string>(counts: Map<K, number>): [K, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function summarize(entries: readonly PreviewEntry[]): PreviewSummary {
  const byType = new Map<string, number>();
  const byReason = new Map<string, number>();
  const kinds = new Map<ChangeKind, number>();
  let served = 0;
  let withheld = 0;
  let changes = 0;
  for (const entry of entries) {
    if (entry.derived !== undefined) {
      served += 1;
      const type = objectType(entry.derived);
      byType.set(type, (byType.get(type) ?? 0) + 1);
    } else {
      withheld += 1;
      const reason = entry.withheld ?? 'withheld';
      byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    }
    for (const c of labelChanges(entry)) {
      if (c.kind === 'kept') continue;
      changes += 1;
      kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
    }
  }
  return {
    servedByType: sortedCounts(byType),
    withheldByReason: sortedCounts(byReason),
    served,
    withheld,
    changes,
    kinds: sortedCounts(kinds),
  };
}

export interface PreviewFilter {
  rule?: string;
  kind?: ChangeKind;
  type?: string;
  /** Only objects with at least one change (withheld included). */
  changedOnly?: boolean;
}

export function matchesFilter(entry: PreviewEntry, filter: PreviewFilter): boolean {
  if (filter.type !== undefined && objectType(entry.original) !== filter.type) return false;
  const changes = labelChanges(entry).filter((c) => c.kind !== 'kept');
  if (filter.changedOnly && changes.length === 0) return false;
  if (filter.rule !== undefined && !changes.some((c) => c.rule === filter.rule)) return false;
  if (filter.kind !== undefined && !changes.some((c) => c.kind === filter.kind)) return false;
  return true;
}

/** Rule ids in numeric order (R2 before R10). */
export function sortRules(rules: Iterable<string>): string[] {
  return [...new Set(rules)].sort(
    (a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')) || a.localeCompare(b),
  );
}
