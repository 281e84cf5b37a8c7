// Verifies a compact JWT and maps its claims to a Principal. Pure (no I/O); revocation and
// rate limiting are the authenticator's business. Every failure is the same generic
// UnauthenticatedError for the client; the precise reason travels in `cause` for the log.
import jwt from 'jsonwebtoken';
import { UnauthenticatedError } from '../errors.js';
import { selectKey, type VerificationKeys } from './keys.js';
import { isRole, type Principal } from './principal.js';
import { parseCompactToken } from './token-parser.js';

export interface VerifyOptions {
  issuer: string;
  audience: string;
  clockToleranceSeconds: number;
  roleClaim: string;
  groupsClaim: string;
  /** Current time in milliseconds (injectable for tests). */
  now: number;
}

export interface VerifiedToken {
  principal: Principal & { tokenId: string };
  /** `exp`, in seconds since the epoch. */
  expiresAt: number;
  /** `nbf`, in seconds since the epoch, when the token has one. */
  notBefore?: number;
}

const MAX_CLAIM_LENGTH = 256;
const MAX_GROUPS = 64;

/** Why a token was refused; for logs and tests only, never for the client. */
export class TokenRejection extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TokenRejection';
  }
}

export function verifyToken(
  token: string,
  keys: VerificationKeys,
  options: VerifyOptions,
): VerifiedToken {
  const parsed = parseCompactToken(token);
  if (!parsed.ok) throw reject(parsed.reason);
  const { header } = parsed.token;
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const key = selectKey(keys, kid);
  if (!key) throw reject('no key for this kid');
  // RFC 8725 §3.1: the algorithm comes from the key, never from the token header.
  if (header.alg !== key.algorithm) throw reject(`algorithm ${String(header.alg)} not accepted`);

  let claims: jwt.JwtPayload;
  try {
    const verified = jwt.verify(token, key.key, {
      algorithms: [key.algorithm],
      issuer: options.issuer,
      audience: options.audience,
      clockTolerance: options.clockToleranceSeconds,
      clockTimestamp: Math.floor(options.now / 1000),
    });
    if (typeof verified === 'string') throw reject('payload is not a claims set');
    claims = verified;
  } catch (error) {
    if (error instanceof UnauthenticatedError) throw error;
    throw reject(
      error instanceof Error ? `${error.name}: ${error.message}` : 'verification failed',
    );
  }
  const verified: VerifiedToken = {
    principal: principalFromClaims(claims, options),
    expiresAt: claims.exp as number,
  };
  if (typeof claims.nbf === 'number') verified.notBefore = claims.nbf;
  return verified;
}

/**
 * The clock checks of verifyToken alone (jsonwebtoken's rules: expired at `exp + tolerance`,
 * valid from `nbf - tolerance`), for a token whose signature and claims verified already.
 */
export function isWithinLifetime(
  token: Pick<VerifiedToken, 'expiresAt' | 'notBefore'>,
  nowMs: number,
  clockToleranceSeconds: number,
): boolean {
  const seconds = Math.floor(nowMs / 1000);
  if (seconds >= token.expiresAt + clockToleranceSeconds) return false;
  return token.notBefore === undefined || token.notBefore <= seconds + clockToleranceSeconds;
}

function principalFromClaims(
  claims: jwt.JwtPayload,
  options: VerifyOptions,
): Principal & { tokenId: string } {
  // jsonwebtoken checks exp only when present; stixgate requires it so no token lives forever.
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) throw reject('missing exp');
  if (!isClaimString(claims.sub)) throw reject('missing or invalid sub');
  // Revocation works by jti: a token without one could never be revoked.
  if (!isClaimString(claims.jti)) throw reject('missing or invalid jti');
  const role: unknown = claims[options.roleClaim];
  if (!isRole(role)) throw reject('missing or unknown role');
  const rawGroups: unknown = claims[options.groupsClaim];
  let groups: string[] = [];
  if (rawGroups !== undefined) {
    if (
      !Array.isArray(rawGroups) ||
      rawGroups.length > MAX_GROUPS ||
      !rawGroups.every(isClaimString)
    ) {
      throw reject('invalid groups');
    }
    groups = [...new Set(rawGroups)];
  }
  return { subject: claims.sub, role, groups, tokenId: claims.jti };
}

function isClaimString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_CLAIM_LENGTH;
}

function reject(reason: string): UnauthenticatedError {
  return new UnauthenticatedError('invalid token', { cause: new TokenRejection(reason) });
}
