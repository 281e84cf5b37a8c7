// Serves the built review console (console/ → dist/console/) at /console/. The page holds no
// data and needs no authentication to load; everything it shows comes from the admin API with
// the token the admin pastes. Its CSP allows only this origin's own files: no inline script or
// style, no external origin, so the page works on a network without Internet access.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler, type Router } from 'express';
import { NotFoundError } from '../errors.js';

export const CONSOLE_PATH = '/console';

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Where `npm run build` puts the console: dist/console beside dist/ (from src/http or dist/http). */
export function defaultConsoleDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/console');
}

export function consoleRouter(dir: string = defaultConsoleDir()): Router {
  const router = express.Router({ strict: true, caseSensitive: true });
  const headers: RequestHandler = (_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    next();
  };
  router.use(headers);
  router.get('/', (_req, res) => {
    const index = path.join(dir, 'index.html');
    if (!existsSync(index)) throw new NotFoundError('console (not built: npm run build)');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.sendFile(index, { dotfiles: 'deny', cacheControl: false });
  });
  // Asset names carry a content hash, so they may be cached for good (the app-wide default is
  // no-store, which the static handler would otherwise keep).
  router.use(
    '/assets',
    (_req, res, next) => {
      res.removeHeader('Cache-Control');
      next();
    },
    express.static(path.join(dir, 'assets'), {
      index: false,
      redirect: false,
      dotfiles: 'deny',
      fallthrough: true,
      immutable: true,
      maxAge: '365d',
    }),
  );
  router.use((_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    throw new NotFoundError('console resource');
  });
  return router;
}

/** `/console` without the slash answers with the page's address. */
export const consoleRedirect: RequestHandler = (req, res, next) => {
  if (req.path !== CONSOLE_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
  res.redirect(301, `${CONSOLE_PATH}/`);
};
