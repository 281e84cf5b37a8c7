// Audit: the trail filtered by group, principal, action, collection and time, with a chart of
// objects delivered to partners and withheld over time.
import { useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { DeliveriesChart } from '../audit/chart.js';
import { bucketize, deliveredOf, withheldOf } from '../audit/series.js';
import type { AuditAnswer, AuditRecordInfo } from '../types.js';
import { useLoad } from '../use-load.js';
import { Show } from './common.js';

export interface AuditFilter {
  group?: string;
  actor?: string;
  action?: string;
  collection?: string;
  since?: string;
  until?: string;
}

const PAGE = 1000;
const MAX_PAGES = 10;

export async function loadAudit(
  api: Api,
  filter: AuditFilter,
): Promise<{ records: AuditRecordInfo[]; more: boolean }> {
  const records: AuditRecordInfo[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api.get<AuditAnswer>('audit', { ...filter, limit: PAGE, after });
    records.push(...answer.records);
    if (!answer.more || answer.next === undefined) return { records, more: false };
    after = answer.next;
  }
  return { records, more: true };
}

/** A `datetime-local` value (local time, no zone) as RFC 3339 UTC, or undefined when empty. */
export function toRfc3339(local: string): string | undefined {
  if (local === '') return undefined;
  const t = new Date(local);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

export function AuditView({ api }: { api: Api }) {
  const [filter, setFilter] = useState<AuditFilter>({});
  const loaded = useLoad(() => loadAudit(api, filter), [api, filter]);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const text = (name: string) => {
      const v = String(data.get(name) ?? '').trim();
      return v === '' ? undefined : v;
    };
    const next: AuditFilter = {};
    for (const key of ['group', 'actor', 'action', 'collection'] as const) {
      const v = text(key);
      if (v !== undefined) next[key] = v;
    }
    const since = toRfc3339(String(data.get('since') ?? ''));
    const until = toRfc3339(String(data.get('until') ?? ''));
    if (since !== undefined) next.since = since;
    if (until !== undefined) next.until = until;
    setFilter(next);
  };
  return (
    <section>
      <h2>Audit</h2>
      <form class="filters" onSubmit={onSubmit} data-form="audit">
        <label>
          Group <input name="group" size={10} />
        </label>
        <label>
          Principal <input name="actor" size={12} />
        </label>
        <label>
          Action <input name="action" size={14} placeholder="objects.read" />
        </label>
        <label>
          Collection <input name="collection" size={20} />
        </label>
        <label>
          From <input name="since" type="datetime-local" step={1} />
        </label>
        <label>
          Until <input name="until" type="datetime-local" step={1} />
        </label>
        <button type="submit">Apply</button>
      </form>
      <Show loaded={loaded}>
        {({ records, more }) => {
          const { step, buckets } = bucketize(records);
          return (
            <>
              <DeliveriesChart buckets={buckets} step={step} />
              <p class="muted" data-audit-count={records.length}>
                {records.length} record(s)
                {more && ' (the most recent are not loaded; narrow the filters)'}
              </p>
              <table class="grid" data-view="audit">
                <thead>
                  <tr>
                    <th>At</th>
                    <th>Principal</th>
                    <th>Action</th>
                    <th>Group</th>
                    <th>Collection</th>
                    <th class="num">Delivered</th>
                    <th class="num">Withheld</th>
                  </tr>
                </thead>
                <tbody>
                  {records
                    .slice()
                    .reverse()
                    .map((r, i) => (
                      <tr key={r.seq ?? i} data-action={r.action}>
                        <td class="mono">{r.at}</td>
                        <td dir="auto">
                          {r.actor} <span class="muted">{r.role}</span>
                        </td>
                        <td>{r.action}</td>
                        <td>{r.group ?? r.groups.join(', ')}</td>
                        <td class="mono">{r.collection ?? ''}</td>
                        <td class="num">{Array.isArray(r.served) ? deliveredOf(r) : ''}</td>
                        <td class="num">{typeof r.withheld === 'number' ? withheldOf(r) : ''}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </>
          );
        }}
      </Show>
    </section>
  );
}
