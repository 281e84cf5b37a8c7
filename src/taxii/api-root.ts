// TAXII 2.1 §4.2 API root resource.
import type { TaxiiDeps } from './deps.js';
import { TAXII_MEDIA_TYPE } from './deps.js';
import { resolveApiRoot } from './resolve.js';

export function getApiRoot(deps: TaxiiDeps, rootPath: string): string {
  const root = resolveApiRoot(deps, rootPath);
  return JSON.stringify({
    title: root.title,
    ...(root.description !== undefined && { description: root.description }),
    versions: [TAXII_MEDIA_TYPE],
    max_content_length: root.maxContentLength,
  });
}
