// Preview: what one partner group receives from one collection. Each object raw beside
// derived, every change marked in place with its rule; filters by rule, kind and type; a
// summary of what is served by type and what is withheld by reason.
import { useMemo, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import {
  KIND_LABELS,
  labelChanges,
  matchesFilter,
  objectType,
  sortRules,
  summarize,
  type ChangeKind,
  type PreviewFilter,
} from '../preview/changes.js';
import { loadPreview } from '../preview/load-preview.js';
import { ObjectPane } from '../preview/object-pane.js';
import type { CollectionInfo, GroupInfo, PreviewEntry } from '../types.js';
import { useLoad } from '../use-load.js';
import { Counts, Show } from './common.js';

export interface PreviewTarget {
  collection?: string;
  api_root?: string;
  group?: string;
}

export function PreviewView(props: {
  api: Api;
  target: PreviewTarget;
  onTarget: (t: PreviewTarget) => void;
}) {
  const { api, target } = props;
  const choices = useLoad(async () => {
    const [c, g] = await Promise.all([
      api.get<{ collections: CollectionInfo[] }>('collections/'),
      api.get<{ groups: GroupInfo[] }>('groups/'),
    ]);
    return { collections: c.collections, groups: g.groups };
  }, [api]);
  return (
    <section>
      <h2>Preview</h2>
      <Show loaded={choices}>
        {({ collections, groups }) => (
          <form class="pickers" onSubmit={(e) => e.preventDefault()}>
            <label>
              Collection{' '}
              <select
                name="collection"
                value={target.collection ? `${target.api_root ?? ''}/${target.collection}` : ''}
                onChange={(e) => {
                  const [root, id] = (e.currentTarget.value || '/').split('/');
                  props.onTarget({
                    ...target,
                    api_root: root || undefined,
                    collection: id || undefined,
                  });
                }}
              >
                <option value="">choose…</option>
                {collections.map((c) => (
                  <option key={c.id} value={`${c.api_root}/${c.id}`} dir="auto">
                    {c.title} ({c.api_root})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Group{' '}
              <select
                name="group"
                value={target.group ?? ''}
                onChange={(e) =>
                  props.onTarget({ ...target, group: e.currentTarget.value || undefined })
                }
              >
                <option value="">choose…</option>
                {groups.map((g) => (
                  <option key={g.id} value={g.id} dir="auto">
                    {g.name ? `${g.name} (${g.id})` : g.id}
                  </option>
                ))}
              </select>
            </label>
          </form>
        )}
      </Show>
      {target.collection !== undefined && target.group !== undefined ? (
        <PreviewResult
          api={api}
          collection={target.collection}
          group={target.group}
          {...(target.api_root !== undefined && { apiRoot: target.api_root })}
        />
      ) : (
        <p class="muted">Choose a collection and a partner group.</p>
      )}
    </section>
  );
}

function PreviewResult(props: { api: Api; collection: string; group: string; apiRoot?: string }) {
  const loaded = useLoad(
    () =>
      loadPreview(props.api, {
        collection: props.collection,
        group: props.group,
        ...(props.apiRoot !== undefined && { api_root: props.apiRoot }),
      }),
    [props.api, props.collection, props.group, props.apiRoot],
  );
  return (
    <Show loaded={loaded}>
      {(preview) => (
        <div data-preview-group={props.group}>
          <p class="muted">
            Group <strong>{preview.first.group}</strong> · policy {preview.first.policy.id} revision{' '}
            {preview.first.policy.revision} · registry revision {preview.first.registry_revision} ·{' '}
            {preview.entries.length} object(s)
            {preview.truncated && ' (only the first objects; the collection holds more)'}
          </p>
          <Entries entries={preview.entries} />
        </div>
      )}
    </Show>
  );
}

function Entries({ entries }: { entries: PreviewEntry[] }) {
  const [filter, setFilter] = useState<PreviewFilter>({});
  const summary = useMemo(() => summarize(entries), [entries]);
  const rules = useMemo(
    () =>
      sortRules(
        entries.flatMap((e) =>
          labelChanges(e)
            .filter((c) => c.kind !== 'kept')
            .map((c) => c.rule),
        ),
      ),
    [entries],
  );
  const types = useMemo(
    () => [...new Set(entries.map((e) => objectType(e.original)))].sort(),
    [entries],
  );
  const shown = entries.filter((e) => matchesFilter(e, filter));
  return (
    <>
      <div class="summary" data-summary>
        <p>
          <strong data-served-count>{summary.served}</strong> served ·{' '}
          <strong data-withheld-count>{summary.withheld}</strong> withheld · {summary.changes}{' '}
          change(s)
        </p>
        <Counts
          id="served-by-type"
          title="Served by type"
          rows={summary.servedByType}
          empty="nothing served"
        />
        <Counts
          id="withheld-by-reason"
          title="Withheld by reason"
          rows={summary.withheldByReason}
          empty="nothing withheld"
        />
        <Counts
          id="changes-by-kind"
          title="Changes by kind"
          rows={summary.kinds.map(([k, n]) => [KIND_LABELS[k], n])}
          empty="no changes"
        />
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Rule{' '}
          <select
            name="rule"
            value={filter.rule ?? ''}
            onChange={(e) => setFilter({ ...filter, rule: e.currentTarget.value || undefined })}
          >
            <option value="">all</option>
            {rules.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Change{' '}
          <select
            name="kind"
            value={filter.kind ?? ''}
            onChange={(e) =>
              setFilter({
                ...filter,
                kind: (e.currentTarget.value || undefined) as ChangeKind | undefined,
              })
            }
          >
            <option value="">all</option>
            {summary.kinds.map(([k]) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Type{' '}
          <select
            name="type"
            value={filter.type ?? ''}
            onChange={(e) => setFilter({ ...filter, type: e.currentTarget.value || undefined })}
          >
            <option value="">all</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            name="changed"
            checked={filter.changedOnly ?? false}
            onChange={(e) => setFilter({ ...filter, changedOnly: e.currentTarget.checked })}
          />{' '}
          changed only
        </label>
        <span class="muted">
          {shown.length} of {entries.length} shown
        </span>
      </form>
      {shown.map((entry) => (
        <EntryCard key={entry.original_id} entry={entry} />
      ))}
    </>
  );
}

export function EntryCard({ entry }: { entry: PreviewEntry }) {
  const changes = labelChanges(entry);
  const visible = changes.filter((c) => c.kind !== 'kept');
  const withheld = entry.derived === undefined;
  return (
    <article
      class={withheld ? 'entry entry-withheld' : 'entry'}
      data-object={entry.original_id}
      data-type={objectType(entry.original)}
    >
      <header>
        <span class="type">{objectType(entry.original)}</span>{' '}
        <span class="mono">{entry.original_id}</span>
        {entry.derived_id !== undefined && entry.derived_id !== entry.original_id && (
          <>
            {' → '}
            <span class="mono rederived" data-kind="rederived-id">
              {entry.derived_id}
            </span>
          </>
        )}
        <ul class="change-list">
          {visible.map((c, i) => (
            <li key={i} class={`badge badge-${c.kind}`} data-kind={c.kind} data-rule={c.rule}>
              {c.rule} {KIND_LABELS[c.kind]}
              {c.path !== '' && <span class="mono"> {c.path}</span>}
            </li>
          ))}
          {visible.length === 0 && <li class="muted">served unchanged</li>}
        </ul>
      </header>
      <div class="sides">
        <div>
          <h4>Raw</h4>
          <ObjectPane
            side="original"
            object={entry.original}
            {...(entry.derived && { other: entry.derived })}
            changes={changes}
          />
        </div>
        <div>
          <h4>What the group receives</h4>
          {entry.derived !== undefined ? (
            <ObjectPane
              side="derived"
              object={entry.derived}
              other={entry.original}
              changes={changes}
            />
          ) : (
            <div class="withheld-box" data-withheld={entry.withheld ?? 'withheld'}>
              <strong>Withheld</strong>
              <p dir="auto">{entry.withheld ?? 'withheld'}</p>
              <p class="muted">The group is answered as if this object did not exist.</p>
            </div>
          )}
        </div>
      </div>
    </article>
  );
}
