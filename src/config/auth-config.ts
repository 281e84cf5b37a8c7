// The `auth` section of the configuration: where the JWT verification key lives, which
// issuer/audience tokens must carry, the allowed clock skew, the failed-auth rate limit and
// the claim names that map to a Principal. Environment variables override the file.
import { ConfigError } from '../errors.js';
import { readInteger, readObject, readString } from './reader.js';

export interface AuthRateLimitConfig {
  /**
   * Failed authentications a client address may make in a burst; the allowance refills
   * evenly over `windowSeconds`. 0 disables the limit (e.g. when a proxy already does it).
   */
  failures: number;
  windowSeconds: number;
}

export interface AuthConfig {
  /** HS256 shared secret file. Absent (and no public key) → `<DATA_DIR>/jwt-secret`, generated on first start. */
  jwtSecretFile?: string;
  /** RS256/ES256 verification keys: a PEM public key (or certificate), or a local JWKS file. */
  jwtPublicKeyFile?: string;
  /** Required `iss` claim. */
  issuer: string;
  /** Required `aud` claim. */
  audience: string;
  /** Allowed clock skew for exp/nbf, in seconds (at most 300). */
  clockToleranceSeconds: number;
  /** Claim carrying the role (`admin` | `analyst` | `partner`). */
  roleClaim: string;
  /** Claim carrying the partner groups (a list of strings). */
  groupsClaim: string;
  rateLimit: AuthRateLimitConfig;
}

export const AUTH_KEYS = [
  'jwt_secret_file',
  'jwt_public_key_file',
  'issuer',
  'audience',
  'clock_tolerance_seconds',
  'role_claim',
  'groups_claim',
  'rate_limit',
] as const;

const RATE_LIMIT_KEYS = ['failures', 'window_seconds'] as const;

/** Beyond five minutes, skew hides broken clocks and stretches the life of expired tokens. */
export const MAX_CLOCK_TOLERANCE_SECONDS = 300;

const CLAIM_NAME = /^[A-Za-z_][A-Za-z0-9_:.-]{0,63}$/;
const RESERVED_CLAIMS = new Set(['sub', 'iss', 'aud', 'exp', 'nbf', 'iat', 'jti']);

/**
 * `raw` is the file's `auth` mapping (or undefined). Environment variables override the file:
 * STIXGATE_JWT_SECRET_FILE, STIXGATE_JWT_PUBLIC_KEY_FILE, STIXGATE_JWT_ISSUER,
 * STIXGATE_JWT_AUDIENCE, STIXGATE_JWT_CLOCK_TOLERANCE_SECONDS. `resolvePath` makes file paths
 * absolute relative to the configuration file.
 */
export function parseAuthConfig(
  raw: unknown,
  env: Readonly<Record<string, string | undefined>>,
  resolvePath: (p: string) => string,
): AuthConfig {
  const obj = readObject(raw, 'auth', AUTH_KEYS);
  const secretFile =
    nonEmpty(env.STIXGATE_JWT_SECRET_FILE) ?? readString(obj, 'auth', 'jwt_secret_file');
  const publicKeyFile =
    nonEmpty(env.STIXGATE_JWT_PUBLIC_KEY_FILE) ?? readString(obj, 'auth', 'jwt_public_key_file');
  if (secretFile !== undefined && publicKeyFile !== undefined) {
    // One verification scheme per server: accepting both would let an HMAC token stand in
    // for an identity provider's signature.
    throw new ConfigError(
      'auth.jwt_public_key_file',
      'give either jwt_secret_file or jwt_public_key_file, not both',
    );
  }
  const envTolerance = nonEmpty(env.STIXGATE_JWT_CLOCK_TOLERANCE_SECONDS);
  const clockToleranceSeconds =
    envTolerance !== undefined
      ? parseEnvInteger(
          envTolerance,
          'STIXGATE_JWT_CLOCK_TOLERANCE_SECONDS',
          0,
          MAX_CLOCK_TOLERANCE_SECONDS,
        )
      : (readInteger(obj, 'auth', 'clock_tolerance_seconds', {
          min: 0,
          max: MAX_CLOCK_TOLERANCE_SECONDS,
        }) ?? 30);

  const rateRaw = readObject(obj.rate_limit, 'auth.rate_limit', RATE_LIMIT_KEYS);
  const rateLimit: AuthRateLimitConfig = {
    failures: readInteger(rateRaw, 'auth.rate_limit', 'failures', { min: 0, max: 1_000_000 }) ?? 10,
    windowSeconds:
      readInteger(rateRaw, 'auth.rate_limit', 'window_seconds', { min: 1, max: 86_400 }) ?? 60,
  };

  const roleClaim = readClaimName(obj, 'role_claim') ?? 'role';
  const groupsClaim = readClaimName(obj, 'groups_claim') ?? 'groups';
  if (roleClaim === groupsClaim)
    throw new ConfigError('auth.groups_claim', 'must differ from role_claim');

  const config: AuthConfig = {
    issuer:
      nonEmpty(env.STIXGATE_JWT_ISSUER) ??
      readString(obj, 'auth', 'issuer', { maxLength: 1024 }) ??
      'stixgate',
    audience:
      nonEmpty(env.STIXGATE_JWT_AUDIENCE) ??
      readString(obj, 'auth', 'audience', { maxLength: 1024 }) ??
      'stixgate',
    clockToleranceSeconds,
    roleClaim,
    groupsClaim,
    rateLimit,
  };
  if (secretFile !== undefined) config.jwtSecretFile = resolvePath(secretFile);
  if (publicKeyFile !== undefined) config.jwtPublicKeyFile = resolvePath(publicKeyFile);
  return config;
}

function readClaimName(obj: Record<string, unknown>, name: string): string | undefined {
  const value = readString(obj, 'auth', name, {
    pattern: CLAIM_NAME,
    patternHint: 'must be a plain claim name',
  });
  if (value !== undefined && RESERVED_CLAIMS.has(value)) {
    throw new ConfigError(`auth.${name}`, 'must not be a registered JWT claim');
  }
  return value;
}

function parseEnvInteger(text: string, key: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new ConfigError(key, 'must be an integer');
  const value = Number(text);
  if (value < min || value > max) throw new ConfigError(key, `must be between ${min} and ${max}`);
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
