// The admin token lives in this tab only: sessionStorage (gone when the tab closes), never
// localStorage or a cookie, so that it is not sent anywhere but in the Authorization header.
const KEY = 'stixgate.console.token';

export function loadToken(storage: Pick<Storage, 'getItem'> = sessionStorage): string | undefined {
  const value = storage.getItem(KEY);
  return value === null || value === '' ? undefined : value;
}

export function saveToken(token: string, storage: Pick<Storage, 'setItem'> = sessionStorage): void {
  storage.setItem(KEY, token);
}

export function clearToken(storage: Pick<Storage, 'removeItem'> = sessionStorage): void {
  storage.removeItem(KEY);
}

/** Accepts a pasted token with or without the `Bearer ` prefix and surrounding blanks. */
export function normalizeToken(pasted: string): string | undefined {
  const token = pasted
    .trim()
    .replace(/^Bearer\s+/i, '')
    .trim();
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token) ? token : undefined;
}
