// R14 preview output, shared by `GET /admin/preview` (JSON) and `stixgate preview` (JSON or
// text for a terminal): per object the original, the derived output or the reason it is
// withheld, and each change annotated by rule, field path and operator.
import { formatTaxiiTimestamp } from '../stix/timestamp.js';
import type { CollectionRecord } from '../store/types.js';
import type { PreviewResult } from './preview.js';

const OPERATORS: Record<string, string> = {
  W: 'withheld',
  D: 'dropped',
  G: 'generalized',
  P: 'pseudonymized',
  R: 'redacted',
  K: 'kept',
};

export function describePreview(
  preview: PreviewResult,
  collection: CollectionRecord,
): Record<string, unknown> {
  return {
    group: preview.group,
    collection: collection.id,
    api_root: collection.apiRoot,
    policy: preview.policy,
    registry_revision: preview.registryRevision,
    more: preview.more,
    ...(preview.lastDateAdded !== undefined && {
      last_date_added: formatTaxiiTimestamp(preview.lastDateAdded),
    }),
    objects: preview.entries.map((e) => ({
      original_id: e.originalId,
      original: e.original,
      ...(e.derived !== undefined
        ? { derived_id: e.derivedId, derived: e.derived }
        : { withheld: e.withheldReason ?? 'withheld' }),
      changes: e.changes,
    })),
  };
}

/** A readable rendering: one block per object, changes first, then both forms. */
export function formatPreviewText(preview: PreviewResult, collection: CollectionRecord): string {
  const lines: string[] = [
    `preview of collection ${collection.id} (${collection.apiRoot}) as group ${preview.group}`,
    `policy ${preview.policy.id} revision ${preview.policy.revision}, registry revision ${preview.registryRevision}`,
    `${preview.entries.length} object(s)${preview.more ? ', more follow (use --added-after)' : ''}`,
  ];
  for (const e of preview.entries) {
    lines.push('', `== ${e.originalId}`);
    if (e.derived === undefined) lines.push(`   WITHHELD: ${e.withheldReason ?? 'withheld'}`);
    else if (e.derivedId !== e.originalId) lines.push(`   served as ${e.derivedId}`);
    else lines.push('   served');
    const changes = e.changes.filter((c) => c.operator !== 'K');
    if (changes.length === 0) lines.push('   no changes');
    for (const c of changes)
      lines.push(
        `   ${c.rule.padEnd(4)} ${(OPERATORS[c.operator] ?? c.operator).padEnd(14)} ${c.path === '' ? '(object)' : c.path}${c.reason === undefined ? '' : ` (${c.reason})`}`,
      );
    lines.push('   --- original', indent(JSON.stringify(e.original, null, 2)));
    if (e.derived !== undefined)
      lines.push('   +++ derived', indent(JSON.stringify(e.derived, null, 2)));
  }
  return `${lines.join('\n')}\n`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n');
}
