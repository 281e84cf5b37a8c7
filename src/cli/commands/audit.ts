// `stixgate audit [--since T] [--until T] [--actor A] [--action X] [--collection C] [--group G]
// [--after SEQ] [--limit N] [--json]`: the audit trail (R14) from the store, oldest first. It
// holds ids and rule hits, never matched text. Partner reads a running server has not flushed
// yet (at most a fraction of a second) are not shown.
import { formatTaxiiTimestamp } from '../../stix/timestamp.js';
import type { AuditRecord } from '../../store/types.js';
import { describeAuditRecord, parseAuditFilter, readAudit } from '../../partner/audit-query.js';
import { parseCommandArgs } from '../args.js';
import type { CliContext } from '../context.js';
import { withStore } from '../store-session.js';

export const usage = `usage: stixgate audit [--since TIMESTAMP] [--until TIMESTAMP] [--actor SUBJECT]
      [--action ACTION] [--collection ID] [--group G] [--after SEQ] [--limit N] [--json]
  Prints audit records, oldest first (actions: objects.read, object.read, versions.read,
  manifest.read, policy.reload, token.revoke, collection.create, …). --json prints one JSON
  document per line.`;

const OPTIONS = {
  since: { type: 'string' },
  until: { type: 'string' },
  actor: { type: 'string' },
  action: { type: 'string' },
  collection: { type: 'string' },
  group: { type: 'string' },
  after: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, usage);
  if (values.help) {
    ctx.stdout.write(`${usage}\n`);
    return 0;
  }
  const query = parseAuditFilter({
    ...(values.since !== undefined && { since: values.since }),
    ...(values.until !== undefined && { until: values.until }),
    ...(values.actor !== undefined && { actor: values.actor }),
    ...(values.action !== undefined && { action: values.action }),
    ...(values.collection !== undefined && { collection: values.collection }),
    ...(values.group !== undefined && { group: values.group }),
    ...(values.after !== undefined && { after: values.after }),
    ...(values.limit !== undefined && { limit: values.limit }),
  });
  return withStore(ctx, async (store) => {
    const page = await readAudit(store, query);
    for (const record of page.records) {
      ctx.stdout.write(
        values.json
          ? `${JSON.stringify(describeAuditRecord(record))}\n`
          : `${formatLine(record)}\n`,
      );
    }
    if (!values.json) {
      if (page.records.length === 0) ctx.stdout.write('no audit records\n');
      if (page.next !== undefined) ctx.stdout.write(`more: continue with --after ${page.next}\n`);
    }
    return 0;
  });
}

function formatLine(r: AuditRecord): string {
  const parts = [
    `#${r.seq ?? '?'}`,
    formatTaxiiTimestamp(r.at),
    r.action,
    `${r.actor} (${r.role})`,
  ];
  if (r.groupId !== undefined) parts.push(`group=${r.groupId}`);
  if (r.collectionId !== undefined) parts.push(`collection=${r.collectionId}`);
  if (r.policyRevision !== undefined) parts.push(`policy_revision=${r.policyRevision}`);
  if (r.served !== undefined) {
    const renamed = r.served.filter((s) => s.original !== s.derived).length;
    parts.push(`served=${r.served.length}${renamed > 0 ? ` (${renamed} pseudonymized)` : ''}`);
  }
  if (r.withheld !== undefined) parts.push(`withheld=${r.withheld}`);
  if (r.ruleHits !== undefined && r.ruleHits.length > 0) {
    const byRule = new Map<string, number>();
    for (const h of r.ruleHits) byRule.set(h.rule, (byRule.get(h.rule) ?? 0) + 1);
    parts.push(`hits=${[...byRule].map(([rule, n]) => `${rule}:${n}`).join(',')}`);
  }
  if (r.action === 'policy.reload' && r.details !== undefined)
    parts.push(JSON.stringify(r.details));
  return parts.join('  ');
}
