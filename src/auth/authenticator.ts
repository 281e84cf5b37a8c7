// Turns request credentials into a Principal. The HTTP layer calls this once per request:
// parse the Authorization header (Bearer, or Basic with the token as password), verify the JWT
// with the pinned algorithm, refuse revoked jti, and throttle addresses that keep failing.
import type { AuthConfig } from '../config/auth-config.js';
import { UnauthenticatedError, UnavailableError } from '../errors.js';
import { parseAuthorization } from './credentials.js';
import { createFailureLimiter, type FailureLimiter } from './failure-limiter.js';
import { hmacKey, type VerificationKeys } from './keys.js';
import type { Principal } from './principal.js';
import {
  isWithinLifetime,
  TokenRejection,
  verifyToken,
  type VerifiedToken,
} from './verify-token.js';

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

export interface AuthenticatorOptions {
  keys: VerificationKeys;
  auth: AuthConfig;
  /** Revocations live in the store, so a revoke on one instance holds on all of them. */
  revocations: { isTokenRevoked(jti: string): Promise<boolean> };
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** Defaults to one built from `auth.rateLimit`. */
  limiter?: FailureLimiter;
  /**
   * Told why presented credentials were refused (for the log). The reason names the check that
   * failed (e.g. "TokenExpiredError: jwt expired"), never the token or the key.
   */
  onFailure?: (failure: AuthFailure) => void;
}

export interface AuthFailure {
  reason: string;
  address: string;
  /** Token `sub`, when the token verified but was refused afterwards (revoked). */
  subject?: string;
}

/**
 * Revocation is permanent, so remembering "revoked" is always right and saves a store round
 * trip for a token an attacker replays. "Not revoked" is never cached: a revoke made through
 * another instance must hold on the very next request.
 */
const REVOKED_CACHE_SIZE = 10_000;

/**
 * Verified tokens by their exact text. The same bytes verify the same way under the same keys
 * (fixed for the life of an authenticator), so a client presenting its token again costs a map
 * lookup instead of a signature check; the lifetime is checked again on every use, and
 * revocation is asked every time. Failures are never remembered.
 */
const VERIFIED_CACHE_SIZE = 10_000;

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const now = options.now ?? Date.now;
  const { auth, keys, revocations } = options;
  const limiter =
    options.limiter ??
    createFailureLimiter({
      failures: auth.rateLimit.failures,
      windowSeconds: auth.rateLimit.windowSeconds,
      now,
    });
  const revokedCache = new Set<string>();
  const verifiedCache = new Map<string, VerifiedToken>();

  async function isRevoked(jti: string): Promise<boolean> {
    if (revokedCache.has(jti)) return true;
    let revoked: boolean;
    try {
      revoked = await revocations.isTokenRevoked(jti);
    } catch (cause) {
      // Fail closed: without the revocation list no token is accepted.
      throw new UnavailableError('token revocation list unavailable', { cause });
    }
    if (revoked) {
      if (revokedCache.size >= REVOKED_CACHE_SIZE) revokedCache.clear();
      revokedCache.add(jti);
    }
    return revoked;
  }

  return {
    async authenticate({ authorization, remoteAddress }) {
      // No credentials is not a failure (clients often try anonymously, then answer the 401).
      if (authorization === undefined || authorization.trim() === '') {
        throw new UnauthenticatedError();
      }
      const address = remoteAddress ?? 'unknown';
      let subject: string | undefined;
      let principal: Principal & { tokenId: string };
      try {
        principal = verifyPresented(authorization);
        subject = principal.subject;
        if (await isRevoked(principal.tokenId)) {
          throw new UnauthenticatedError('invalid token', { cause: new TokenRejection('revoked') });
        }
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        const reason = error.cause instanceof TokenRejection ? error.cause.reason : error.message;
        // The limiter throttles failures only: an address that has used up its allowance gets
        // 429 for further bad credentials, while a token that verifies is served whatever its
        // neighbours behind the same NAT or proxy sent.
        try {
          limiter.check(address);
        } catch (limited) {
          options.onFailure?.({ reason: `rate limited (${reason})`, address });
          throw limited;
        }
        limiter.recordFailure(address);
        options.onFailure?.(
          subject === undefined ? { reason, address } : { reason, address, subject },
        );
        throw error;
      }
      return principal;
    },
  };

  /** The Principal of a verified token; every defect, whatever throws it, is a 401. */
  function verifyPresented(authorization: string): Principal & { tokenId: string } {
    try {
      const presented = parseAuthorization(authorization);
      if (!presented) throw new UnauthenticatedError();
      const at = now();
      const known = verifiedCache.get(presented.token);
      if (known !== undefined && isWithinLifetime(known, at, auth.clockToleranceSeconds))
        return known.principal;
      verifiedCache.delete(presented.token);
      const verified = verifyToken(presented.token, keys, {
        issuer: auth.issuer,
        audience: auth.audience,
        clockToleranceSeconds: auth.clockToleranceSeconds,
        roleClaim: auth.roleClaim,
        groupsClaim: auth.groupsClaim,
        now: at,
      });
      // Shared by every request that presents these bytes: nobody may change it.
      Object.freeze(verified.principal.groups);
      Object.freeze(verified.principal);
      if (verifiedCache.size >= VERIFIED_CACHE_SIZE) verifiedCache.clear();
      verifiedCache.set(presented.token, verified);
      return verified.principal;
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      const name = error instanceof Error ? error.name : typeof error;
      throw new UnauthenticatedError('invalid token', {
        cause: new TokenRejection(`unexpected ${name} while verifying`),
      });
    }
  }
}

export interface HmacAuthenticatorOptions {
  secret: Buffer;
  issuer: string;
  audience: string;
}

/**
 * The early HS256-only entry point, kept for callers written against it: same verification
 * as createAuthenticator, no revocation store (nothing is ever revoked).
 */
export function createHmacAuthenticator(options: HmacAuthenticatorOptions): Authenticator {
  return createAuthenticator({
    keys: { kind: 'hmac', key: hmacKey(options.secret, 'jwt secret') },
    auth: {
      issuer: options.issuer,
      audience: options.audience,
      clockToleranceSeconds: 30,
      roleClaim: 'role',
      groupsClaim: 'groups',
      rateLimit: { failures: 10, windowSeconds: 60 },
    },
    revocations: { isTokenRevoked: () => Promise.resolve(false) },
  });
}
