// What was withheld and why, outside policy: for every collection a partner group may read,
// the objects the group is not served for a reason in the data or the registry (a protected
// term in a non-STIX pattern, a required reference left out, a failed validation, an egress
// hit…), not because of its TLP ceiling, withheld types or allow-lists.
import type { Api } from '../api.js';
import { isNonPolicyReason, objectType, ruleOfReason } from '../preview/changes.js';
import { loadPreview } from '../preview/load-preview.js';
import type { GroupInfo, StixObject } from '../types.js';
import { useLoad } from '../use-load.js';
import { Show } from './common.js';

export interface WithheldRow {
  api_root: string;
  collection: string;
  collectionTitle: string;
  group: string;
  id: string;
  type: string;
  name?: string;
  reason: string;
}

export async function loadNonPolicyWithheld(api: Api): Promise<WithheldRow[]> {
  const { groups } = await api.get<{ groups: GroupInfo[] }>('groups/');
  const rows: WithheldRow[] = [];
  for (const group of groups) {
    for (const c of group.can_read) {
      const preview = await loadPreview(api, {
        collection: c.id,
        group: group.id,
        api_root: c.api_root,
      });
      for (const entry of preview.entries) {
        if (entry.derived !== undefined) continue;
        const reason = entry.withheld ?? 'withheld';
        if (!isNonPolicyReason(reason)) continue;
        rows.push({
          api_root: c.api_root,
          collection: c.id,
          collectionTitle: c.title,
          group: group.id,
          id: entry.original_id,
          type: objectType(entry.original),
          ...nameOf(entry.original),
          reason,
        });
      }
    }
  }
  return rows;
}

function nameOf(object: StixObject): { name?: string } {
  return typeof object.name === 'string' ? { name: object.name } : {};
}

export function WithheldView({ api }: { api: Api }) {
  const loaded = useLoad(() => loadNonPolicyWithheld(api), [api]);
  return (
    <section>
      <h2>Withheld outside policy</h2>
      <p class="muted">
        Objects a group may read by policy but is not served, because of the data or the registry.
        Fix the object or the registry entry; withholding by TLP ceiling, withheld types and
        allow-lists is not listed.
      </p>
      <Show loaded={loaded}>
        {(rows) =>
          rows.length === 0 ? (
            <p data-withheld-rows="0">Nothing is withheld outside policy.</p>
          ) : (
            <table class="grid" data-view="withheld" data-withheld-rows={rows.length}>
              <thead>
                <tr>
                  <th>Rule</th>
                  <th>Reason</th>
                  <th>Object</th>
                  <th>Collection</th>
                  <th>Group</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr
                    key={`${r.group}/${r.collection}/${r.id}`}
                    data-object={r.id}
                    data-group={r.group}
                  >
                    <td>{ruleOfReason(r.reason) ?? '–'}</td>
                    <td dir="auto">{r.reason}</td>
                    <td>
                      <div dir="auto">{r.name ?? r.type}</div>
                      <div class="muted mono">{r.id}</div>
                    </td>
                    <td dir="auto">{r.collectionTitle}</td>
                    <td>{r.group}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </section>
  );
}
