// Extracts the JWT from an Authorization header: `Bearer <JWT>`, or `Basic` carrying the
// token as the password (`anything:<JWT>`), for TAXII clients that only speak Basic
// (TAXII 2.1 §1.6.9: HTTP Basic is a client MUST).
import { UnauthenticatedError } from '../errors.js';

export type AuthScheme = 'bearer' | 'basic';

export interface PresentedToken {
  scheme: AuthScheme;
  token: string;
}

/** Far above any real token; bounds the work done on hostile headers. */
export const MAX_TOKEN_LENGTH = 8192;

const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Undefined when no credentials were sent; throws UnauthenticatedError when credentials were
 * sent but are not a token in a scheme we accept. Messages never echo the header.
 */
export function parseAuthorization(header: string | undefined): PresentedToken | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (header.length > MAX_TOKEN_LENGTH * 2) throw new UnauthenticatedError('invalid credentials');
  // RFC 9110 §11.1: the scheme is case-insensitive; one or more spaces before the credentials.
  const match = /^([A-Za-z]+) +(\S+) *$/.exec(header);
  if (!match) throw new UnauthenticatedError('invalid credentials');
  const scheme = match[1]!.toLowerCase();
  const value = match[2]!;
  if (scheme === 'bearer') return { scheme: 'bearer', token: checkToken(value) };
  if (scheme === 'basic') return { scheme: 'basic', token: checkToken(basicPassword(value)) };
  throw new UnauthenticatedError('unsupported authentication scheme');
}

function basicPassword(value: string): string {
  if (!BASE64.test(value) || value.length % 4 !== 0)
    throw new UnauthenticatedError('invalid credentials');
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  // RFC 7617: user-id and password are split at the first colon; the user part is ignored.
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new UnauthenticatedError('invalid credentials');
  return decoded.slice(colon + 1);
}

function checkToken(token: string): string {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !JWS_COMPACT.test(token)) {
    throw new UnauthenticatedError('invalid token');
  }
  return token;
}
