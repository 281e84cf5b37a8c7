// TAXII 2.1 §4.1 discovery resource, served at /taxii2/.
import type { TaxiiDeps } from './deps.js';

export function getDiscovery(deps: TaxiiDeps): string {
  const d = deps.config.discovery;
  // §4.1: api_roots are absolute URLs or /-relative paths without a query; `default` ∈ api_roots.
  const roots = deps.config.apiRoots.map((r) => `/${r.path}/`);
  return JSON.stringify({
    title: d.title,
    ...(d.description !== undefined && { description: d.description }),
    ...(d.contact !== undefined && { contact: d.contact }),
    ...(d.defaultApiRoot !== undefined && { default: `/${d.defaultApiRoot}/` }),
    api_roots: roots,
  });
}
