// Pieces shared by the views: loading and error states, counts tables.
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api.js';
import type { Loaded } from '../use-load.js';

export function Show<T>(props: { loaded: Loaded<T>; children: (value: T) => ComponentChildren }) {
  const { loaded } = props;
  if (loaded.state === 'loading') return <p class="muted">Loading…</p>;
  if (loaded.state === 'error') return <ErrorBox error={loaded.error} />;
  return <>{props.children(loaded.value)}</>;
}

export function ErrorBox({ error }: { error: Error }) {
  return (
    <p class="error" role="alert">
      {error instanceof ApiError ? `${error.status} ${error.message}` : error.message}
    </p>
  );
}

export function Counts(props: {
  title: string;
  rows: [string, number][];
  empty: string;
  id?: string;
}) {
  return (
    <section class="counts" data-counts={props.id ?? props.title}>
      <h3>{props.title}</h3>
      {props.rows.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <table>
          <tbody>
            {props.rows.map(([label, n]) => (
              <tr key={label}>
                <td dir="auto">{label}</td>
                <td class="num">{n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Access(props: { roles: string[]; groups: string[] }) {
  const parts = [...props.roles.map((r) => `role ${r}`), ...props.groups.map((g) => `group ${g}`)];
  return <>{parts.length === 0 ? <span class="muted">admins only</span> : parts.join(', ')}</>;
}
