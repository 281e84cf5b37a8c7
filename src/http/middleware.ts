// Request pipeline pieces: request id + logger, security headers, CORS, authentication.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import type { ClientAddressOf } from './client-address.js';
import { BadRequestError, MethodNotAllowedError, NotFoundError } from '../errors.js';
import { endpointMethods } from './endpoint-methods.js';
import { acceptableMediaTypes, assertAcceptable } from './media-type.js';
import { requestState, setRequestState } from './request-context.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Request id (an inbound X-Request-Id is kept when it is sane), child logger, access log line. */
export function requestContext(
  log: Logger,
  clientAddressOf: ClientAddressOf = (peer) => peer ?? 'unknown',
): RequestHandler {
  return (req, res, next) => {
    const inbound = req.headers['x-request-id'];
    const reqId = typeof inbound === 'string' && REQUEST_ID.test(inbound) ? inbound : randomUUID();
    const forwarded = req.headersDistinct['x-forwarded-for']?.join(',');
    const client = clientAddressOf(req.socket.remoteAddress, forwarded);
    const child = log.child({ reqId, client });
    setRequestState(res, { reqId, log: child, client });
    res.setHeader('X-Request-Id', reqId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const state = requestState(res);
      child.info(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
          ...(state.principal && { subject: state.principal.subject, role: state.principal.role }),
        },
        'request',
      );
    });
    next();
  };
}

/** Headers every response carries, including those written outside express (client-error.ts). */
export function securityHeaderList(options: { tls: boolean }): [string, string][] {
  const headers: [string, string][] = [
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
    ['Referrer-Policy', 'no-referrer'],
    ['Cache-Control', 'no-store'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
  ];
  if (options.tls) headers.push(['Strict-Transport-Security', 'max-age=31536000']);
  return headers;
}

export function securityHeaders(options: { tls: boolean }): RequestHandler {
  const headers = securityHeaderList(options);
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/**
 * CORS is not part of TAXII; it is off unless origins are listed. Listed origins get
 * credentials-bearing access and may read the TAXII headers; preflights answer 204.
 */
export function cors(allowOrigins: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (allowOrigins.length === 0 || origin === undefined) return next();
    res.vary('Origin');
    if (!allowOrigins.includes(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader(
      'Access-Control-Expose-Headers',
      'X-TAXII-Date-Added-First, X-TAXII-Date-Added-Last, X-Request-Id, WWW-Authenticate, Retry-After',
    );
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, DELETE');
      res.setHeader(
        'Access-Control-Allow-Headers',
        'Authorization, Accept, Content-Type, X-Request-Id',
      );
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}

/**
 * Sets the Principal on the request state; 401/429 errors go to the error handler.
 * `admit` (the per-principal rate limit) runs once per request, on the verified Principal.
 */
export function authenticate(
  authenticator: Authenticator,
  admit: (principal: Principal) => void = () => {},
): RequestHandler {
  return async (req, res, next) => {
    const state = requestState(res);
    if (state.principal) return next();
    // Node keeps the first of several Authorization headers and drops the rest; which one a
    // proxy or another server would use is anyone's guess, so the request is refused.
    if ((req.headersDistinct.authorization?.length ?? 0) > 1)
      throw new BadRequestError('several Authorization headers');
    const authorization = req.headers.authorization;
    const principal = await authenticator.authenticate({
      ...(authorization !== undefined && { authorization }),
      remoteAddress: state.client,
    });
    admit(principal);
    state.principal = principal;
    next();
  };
}

/**
 * TAXII 2.1 §3.1: every URL ends in `/`. stixgate answers 404 (no redirect: a redirected
 * POST would lose its body with many clients, and the spec defines no other resource there).
 */
export function requireTrailingSlash(req: Request, _res: Response, next: NextFunction): void {
  if (!req.path.endsWith('/')) throw new NotFoundError('resource (TAXII paths end in "/")');
  next();
}

export function requireTaxiiAccept(req: Request, _res: Response, next: NextFunction): void {
  assertAcceptable(req.headers.accept, acceptableMediaTypes(req.method, req.path));
  next();
}

/**
 * OPTIONS is answered here, before any router: express would otherwise answer it with a
 * text/plain method list. A TAXII endpoint answers 204 with `Allow` (CORS headers were added
 * by `cors` when the origin is listed); any other path is the usual TAXII 404.
 */
export function answerOptions(otherMounts: readonly string[]): RequestHandler {
  const prefixes = mountPrefixes(otherMounts);
  return (req, res, next) => {
    if (req.method !== 'OPTIONS') return next();
    // A path under another router (the admin API) is not a TAXII path, whatever its shape
    // (`/admin/collections/` looks like an API root's collections): no Allow is made up for it.
    const allow = prefixes.some((p) => req.path.startsWith(p))
      ? undefined
      : endpointMethods(req.path);
    if (!allow) throw new NotFoundError('resource');
    res.setHeader('Allow', allow.join(', '));
    res.status(204).end();
  };
}

function mountPrefixes(mounts: readonly string[]): string[] {
  return mounts.map((p) => (p.endsWith('/') ? p : `${p}/`));
}

/**
 * A TAXII endpoint path with a method it does not have: 405 with `Allow` (RFC 9110 §15.5.6).
 * Paths under `otherMounts` (the admin API…) belong to routers with methods of their own.
 */
export function rejectUnknownMethod(otherMounts: readonly string[]): RequestHandler {
  const prefixes = mountPrefixes(otherMounts);
  return (req, _res, next) => {
    if (prefixes.some((p) => req.path.startsWith(p))) return next();
    const allow = endpointMethods(req.path);
    if (allow && !allow.includes(req.method)) throw new MethodNotAllowedError(allow);
    next();
  };
}

/**
 * RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without Host, or with more
 * than one. node:http would keep the first of several and answer a missing one itself with an
 * empty body, so the server is created with `requireHostHeader: false` and this decides.
 */
export function requireOneHost(req: Request, _res: Response, next: NextFunction): void {
  const hosts = req.headersDistinct.host?.length ?? 0;
  if (hosts > 1) throw new BadRequestError('several Host headers');
  if (hosts === 0 && req.httpVersion === '1.1') throw new BadRequestError('no Host header');
  next();
}
