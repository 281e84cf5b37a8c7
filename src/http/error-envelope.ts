// The ONLY mapping from error kinds to HTTP statuses. Every error leaves as a TAXII 2.1
// error message (§3.6.1): `{title, description, http_status}` with http_status a string,
// media type application/taxii+json;version=2.1, never a stack trace. Anything that is not
// a StixgateError is a bug: it is logged and the client learns only "internal error".
import type { Logger } from 'pino';
import {
  MethodNotAllowedError,
  StixgateError,
  TooManyRequestsError,
  type ErrorKind,
} from '../errors.js';

const STATUS: Record<ErrorKind, { status: number; title: string }> = {
  'bad-request': { status: 400, title: 'Bad request' },
  'invalid-filter': { status: 400, title: 'Invalid query parameter' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  conflict: { status: 409, title: 'Conflict' },
  'payload-too-large': { status: 413, title: 'Request body too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  unprocessable: { status: 422, title: 'Unprocessable content' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  config: { status: 500, title: 'Internal error' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Service unavailable' },
};

/** The value of WWW-Authenticate on every 401 (TAXII 2.1 §1.6.9: Basic is a client MUST). */
export const WWW_AUTHENTICATE = 'Bearer realm="stixgate", Basic realm="stixgate"';

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function statusOfKind(kind: ErrorKind): number {
  return STATUS[kind].status;
}

export function toErrorResponse(error: unknown, log?: Logger): ErrorResponse {
  const known = error instanceof StixgateError ? error : undefined;
  const kind: ErrorKind = known?.kind ?? 'internal';
  const { status, title } = STATUS[kind];
  const headers: Record<string, string> = {};
  // Server-side failures keep their detail in the log only.
  const exposed = status < 500 || kind === 'unavailable';
  if (!exposed || !known) log?.error({ err: error }, 'request failed');
  if (kind === 'unauthenticated') headers['WWW-Authenticate'] = WWW_AUTHENTICATE;
  if (error instanceof TooManyRequestsError)
    headers['Retry-After'] = String(error.retryAfterSeconds);
  if (kind === 'payload-too-large') headers.Connection = 'close';
  // RFC 9110 §15.5.6: a 405 MUST list the methods the resource supports.
  if (error instanceof MethodNotAllowedError) headers.Allow = error.allow.join(', ');
  const description = known && exposed ? known.message : 'internal error';
  return {
    status,
    headers,
    body: JSON.stringify({ title, description, http_status: String(status) }),
  };
}
