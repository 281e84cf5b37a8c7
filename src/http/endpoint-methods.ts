// The methods each TAXII endpoint answers, by path shape. Pure: the shape of a path says
// which endpoint it would be, never whether the root, collection or object exists, so
// answering 405 or OPTIONS from it reveals nothing a partner may not know.

const GET = ['GET', 'HEAD'] as const;

/** Path segments (between the slashes) → methods; `*` stands for any one segment. */
const ENDPOINTS: [string[], readonly string[]][] = [
  [['taxii2'], GET],
  [['*'], GET],
  [['*', 'status', '*'], GET],
  [['*', 'collections'], GET],
  [['*', 'collections', '*'], GET],
  [['*', 'collections', '*', 'manifest'], GET],
  [
    ['*', 'collections', '*', 'objects'],
    [...GET, 'POST'],
  ],
  [
    ['*', 'collections', '*', 'objects', '*'],
    [...GET, 'DELETE'],
  ],
  [['*', 'collections', '*', 'objects', '*', 'versions'], GET],
  [['*', 'collections', '*', 'objects', '*', 'revoke'], ['POST']],
];

const HEALTH = '/healthz';

/**
 * The methods `path` answers (OPTIONS included), or undefined when it is not an endpoint
 * path. TAXII paths end in `/` (the router answers 404 to the others).
 */
export function endpointMethods(path: string): string[] | undefined {
  if (path === HEALTH) return [...GET, 'OPTIONS'];
  if (!path.startsWith('/') || !path.endsWith('/') || path.length < 3) return undefined;
  const segments = path.slice(1, -1).split('/');
  if (segments.some((s) => s === '')) return undefined;
  // Fixed names win over `*` (`/taxii2/` is discovery, not an API root).
  let best: readonly string[] | undefined;
  let bestFixed = -1;
  for (const [shape, methods] of ENDPOINTS) {
    if (shape.length !== segments.length) continue;
    let fixed = 0;
    let matches = true;
    for (let i = 0; i < shape.length; i++) {
      if (shape[i] === '*') continue;
      if (shape[i] !== segments[i]) {
        matches = false;
        break;
      }
      fixed++;
    }
    if (matches && fixed > bestFixed) {
      best = methods;
      bestFixed = fixed;
    }
  }
  return best ? [...best, 'OPTIONS'] : undefined;
}
