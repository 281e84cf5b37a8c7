// Every call of the console goes to the server's admin API with the pasted token; nothing
// else is fetched. Errors carry the TAXII error envelope's title and description.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly description?: string,
  ) {
    super(description === undefined ? title : `${title}: ${description}`);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | undefined>;

export interface Api {
  get<T>(path: string, query?: Query): Promise<T>;
}

/** `path` is below /admin/, e.g. `collections/`. */
export function adminUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return `/admin/${path}${text === '' ? '' : `?${text}`}`;
}

export function createApi(token: string, fetcher: typeof fetch = fetch): Api {
  return {
    async get<T>(path: string, query?: Query): Promise<T> {
      const res = await fetcher(adminUrl(path, query), {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        credentials: 'omit',
        cache: 'no-store',
      });
      const text = await res.text();
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (!res.ok) {
        const envelope = (body ?? {}) as { title?: unknown; description?: unknown };
        throw new ApiError(
          res.status,
          typeof envelope.title === 'string' ? envelope.title : `HTTP ${res.status}`,
          typeof envelope.description === 'string' ? envelope.description : undefined,
        );
      }
      return body as T;
    },
  };
}
