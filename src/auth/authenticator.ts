// Turns request credentials into a Principal. The HTTP layer calls this once per request.
// PLACEHOLDER (to be completed by the auth work, issue 4): HS256 Bearer only, no revocation,
// no Basic, no rate limit. The interface is fixed; the implementation is not.
import jwt from 'jsonwebtoken';
import { UnauthenticatedError } from '../errors.js';
import { isRole, type Principal } from './principal.js';

export interface Credentials {
  /** The raw Authorization header, if any. */
  authorization?: string;
  /** Client address, for rate limiting failures. */
  remoteAddress?: string;
}

export interface Authenticator {
  /** Throws UnauthenticatedError (401) or TooManyRequestsError (429). */
  authenticate(credentials: Credentials): Promise<Principal>;
}

export interface HmacAuthenticatorOptions {
  secret: Buffer;
  issuer: string;
  audience: string;
}

export function createHmacAuthenticator(options: HmacAuthenticatorOptions): Authenticator {
  return {
    async authenticate({ authorization }) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!match?.[1]) throw new UnauthenticatedError();
      let claims: jwt.JwtPayload;
      try {
        const decoded = jwt.verify(match[1], options.secret, {
          algorithms: ['HS256'],
          issuer: options.issuer,
          audience: options.audience,
        });
        if (typeof decoded === 'string') throw new UnauthenticatedError('invalid token');
        claims = decoded;
      } catch (cause) {
        throw new UnauthenticatedError('invalid token', { cause });
      }
      if (typeof claims.sub !== 'string' || !isRole(claims.role)) {
        throw new UnauthenticatedError('invalid token');
      }
      const groups = Array.isArray(claims.groups) ? claims.groups.filter((g) => typeof g === 'string') : [];
      return { subject: claims.sub, role: claims.role, groups, tokenId: claims.jti };
    },
  };
}
