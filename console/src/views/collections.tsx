// Collections: who may read and write each one (roles and partner groups), how many objects
// it holds, its default TLP and validation mode.
import type { Api } from '../api.js';
import type { CollectionInfo } from '../types.js';
import { useLoad } from '../use-load.js';
import { Access, Show } from './common.js';

export interface CollectionCount {
  api_root: string;
  id: string;
  objects: number;
}

export function CollectionsView({
  api,
  onPreview,
}: {
  api: Api;
  onPreview: (c: CollectionInfo) => void;
}) {
  const loaded = useLoad(async () => {
    const [list, counts] = await Promise.all([
      api.get<{ collections: CollectionInfo[] }>('collections/'),
      api.get<{ collections: CollectionCount[] }>('collection-counts/'),
    ]);
    const count = new Map(counts.collections.map((c) => [`${c.api_root}/${c.id}`, c.objects]));
    return list.collections.map((c) => ({ ...c, objects: count.get(`${c.api_root}/${c.id}`) }));
  }, [api]);
  return (
    <section>
      <h2>Collections</h2>
      <Show loaded={loaded}>
        {(rows) => (
          <table class="grid" data-view="collections">
            <thead>
              <tr>
                <th>Collection</th>
                <th>API root</th>
                <th>Read</th>
                <th>Write</th>
                <th class="num">Objects</th>
                <th>Default TLP</th>
                <th>Validation</th>
                <th>Source</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={`${c.api_root}/${c.id}`} data-collection={c.id}>
                  <td>
                    <div dir="auto">{c.title}</div>
                    <div class="muted mono">{c.alias ? `${c.alias} · ${c.id}` : c.id}</div>
                    {c.partner_title !== undefined && (
                      <div class="muted" dir="auto">
                        partners see: {c.partner_title}
                      </div>
                    )}
                  </td>
                  <td>{c.api_root}</td>
                  <td>
                    <Access {...c.read} />
                  </td>
                  <td>
                    <Access {...c.write} />
                  </td>
                  <td class="num">{c.objects ?? '–'}</td>
                  <td>{c.default_tlp}</td>
                  <td>{c.validation}</td>
                  <td>{c.source}</td>
                  <td>
                    {c.read.groups.length > 0 && (
                      <button type="button" onClick={() => onPreview(c)}>
                        Preview
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
    </section>
  );
}
