// Reads a whole preview of a collection for a group, page by page (added_after = the last
// page's last_date_added), up to a bound so that a huge collection does not hang the tab.
import type { Api } from '../api.js';
import type { PreviewAnswer, PreviewEntry } from '../types.js';

export const PAGE_LIMIT = 500;

export interface FullPreview {
  first: PreviewAnswer;
  entries: PreviewEntry[];
  /** True when the bound stopped the reading before the end of the collection. */
  truncated: boolean;
}

export async function loadPreview(
  api: Api,
  params: { collection: string; group: string; api_root?: string },
  maxObjects = 5000,
): Promise<FullPreview> {
  let page = await api.get<PreviewAnswer>('preview', { ...params, limit: PAGE_LIMIT });
  const first = page;
  const entries = [...page.objects];
  while (page.more && page.last_date_added !== undefined && entries.length < maxObjects) {
    page = await api.get<PreviewAnswer>('preview', {
      ...params,
      limit: PAGE_LIMIT,
      added_after: page.last_date_added,
    });
    entries.push(...page.objects);
  }
  return { first, entries, truncated: page.more };
}
