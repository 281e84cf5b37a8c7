// The console shell: sign-in with a pasted admin token, then the views. The token is checked
// against the admin API before it is kept (sessionStorage, this tab only).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, createApi, type Api } from './api.js';
import { formatRoute, parseRoute, VIEWS, type Route } from './route.js';
import { clearToken, loadToken, normalizeToken, saveToken } from './session.js';
import { AuditView } from './views/audit.js';
import { CollectionsView } from './views/collections.js';
import { PreviewView } from './views/preview.js';
import { RegistryView } from './views/registry.js';
import { WithheldView } from './views/withheld.js';

function useRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return [route, (r) => (location.hash = formatRoute(r))];
}

export function App() {
  const [token, setToken] = useState(loadToken);
  const api = useMemo(() => (token === undefined ? undefined : createApi(token)), [token]);
  const [route, go] = useRoute();
  if (api === undefined)
    return (
      <SignIn
        onToken={(t) => {
          saveToken(t);
          setToken(t);
        }}
      />
    );
  const signOut = () => {
    clearToken();
    setToken(undefined);
  };
  return (
    <div class="shell">
      <header class="top">
        <h1>stixgate review console</h1>
        <nav>
          {VIEWS.map((v) => (
            <a
              key={v.name}
              href={formatRoute({ view: v.name, params: {} })}
              class={route.view === v.name ? 'active' : ''}
            >
              {v.title}
            </a>
          ))}
        </nav>
        <button type="button" class="sign-out" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>
        <ViewFor route={route} api={api} go={go} />
      </main>
    </div>
  );
}

function ViewFor({ route, api, go }: { route: Route; api: Api; go: (r: Route) => void }) {
  switch (route.view) {
    case 'collections':
      return (
        <CollectionsView
          api={api}
          onPreview={(c) =>
            go({ view: 'preview', params: { collection: c.id, api_root: c.api_root } })
          }
        />
      );
    case 'preview':
      return (
        <PreviewView
          api={api}
          target={route.params}
          onTarget={(t) =>
            go({
              view: 'preview',
              params: Object.fromEntries(
                Object.entries(t).filter(([, v]) => v !== undefined),
              ) as Record<string, string>,
            })
          }
        />
      );
    case 'withheld':
      return <WithheldView api={api} />;
    case 'registry':
      return <RegistryView api={api} />;
    case 'audit':
      return <AuditView api={api} />;
  }
}

function SignIn({ onToken }: { onToken: (token: string) => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const pasted = String(new FormData(e.currentTarget as HTMLFormElement).get('token') ?? '');
    const token = normalizeToken(pasted);
    if (token === undefined)
      return setError('That is not a token (three base64url parts separated by dots).');
    setBusy(true);
    try {
      await createApi(token).get('groups/');
      onToken(token);
    } catch (err) {
      setError(
        err instanceof ApiError
          ? `${err.status} ${err.message}`
          : 'The server could not be reached.',
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>stixgate review console</h1>
      <form onSubmit={submit} data-form="sign-in">
        <label for="token">Admin token</label>
        <textarea id="token" name="token" rows={4} autocomplete="off" spellcheck={false} />
        <p class="muted">
          Kept in this browser tab only, and sent only to this server in the Authorization header.
        </p>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {error !== undefined && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
