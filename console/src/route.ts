// The console's location lives in the URL fragment (#/preview?collection=…&group=…), so the
// server serves one page and a reload or a shared link opens the same view.

export type ViewName = 'collections' | 'preview' | 'withheld' | 'registry' | 'audit';

export const VIEWS: { name: ViewName; title: string }[] = [
  { name: 'collections', title: 'Collections' },
  { name: 'preview', title: 'Preview' },
  { name: 'withheld', title: 'Withheld' },
  { name: 'registry', title: 'Registry and policies' },
  { name: 'audit', title: 'Audit' },
];

export interface Route {
  view: ViewName;
  params: Record<string, string>;
}

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const [name = '', query = ''] = text.split('?', 2);
  const view = VIEWS.find((v) => v.name === name)?.name ?? 'collections';
  return { view, params: Object.fromEntries(new URLSearchParams(query)) };
}

export function formatRoute(route: Route): string {
  const query = new URLSearchParams(
    Object.entries(route.params).filter(([, v]) => v !== undefined && v !== ''),
  ).toString();
  return `#/${route.view}${query === '' ? '' : `?${query}`}`;
}
