// The routes an express 5 app registers, read from its router stacks (the table express
// dispatches from), as `path template → methods`. Path parameters become `{}` so that they
// compare with OpenAPI templates whatever their names; routers that are not strict answer a
// path with and without its trailing slash, which is written here with the slash.
import type { Server } from 'node:http';

interface Layer {
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: RouterLike;
}

interface RouterLike {
  stack?: Layer[];
  strict?: boolean;
}

export interface RouteTable {
  routes: Map<string, Set<string>>;
  /** Mount paths of routers whose routes were left out (`skip`). */
  skipped: string[];
}

/** `/:root/collections/:collection/` → `/{}/collections/{}/`. */
export function pathShape(path: string): string {
  return path.replace(/:[A-Za-z0-9_]+/g, '{}').replace(/\{[^}]*\}/g, '{}');
}

function join(prefix: string, path: string): string {
  if (path === '/' || path === '') return prefix === '' ? '/' : prefix;
  return `${prefix}${path}`;
}

function walk(router: RouterLike, prefix: string, table: RouteTable, skip?: RegExp): void {
  for (const layer of router.stack ?? []) {
    const raw = layer.route?.path ?? layer.rawPath ?? '/';
    const paths = (Array.isArray(raw) ? raw : [raw]).map((p) => join(prefix, p));
    if (layer.route) {
      const methods = Object.keys(layer.route.methods)
        .filter((m) => layer.route!.methods[m])
        .map((m) => m.toUpperCase());
      // express answers HEAD with the GET handler.
      if (methods.includes('GET')) methods.push('HEAD');
      for (const p of paths) {
        let shape = pathShape(p);
        if (router.strict !== true && !shape.endsWith('/')) shape = `${shape}/`;
        const known = table.routes.get(shape) ?? new Set<string>();
        for (const m of methods) known.add(m);
        table.routes.set(shape, known);
      }
    } else if (layer.handle?.stack) {
      const mount = paths[0] === '/' ? '' : paths[0]!;
      if (skip !== undefined && mount !== '' && skip.test(mount)) table.skipped.push(mount);
      else walk(layer.handle, mount, table, skip);
    }
  }
}

/** The route table of the express app a node:http(s) server dispatches to. */
export function expressRoutes(server: Server, skip?: RegExp): RouteTable {
  const app = server.listeners('request')[0] as unknown as { router?: RouterLike };
  if (!app?.router) throw new Error('the server does not dispatch to an express app');
  const table: RouteTable = { routes: new Map(), skipped: [] };
  walk(app.router, '', table, skip);
  return table;
}
