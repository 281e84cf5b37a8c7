// The `auth` section of the configuration (owned by the auth work; this is the minimal
// version the HTTP core needs: where the JWT key lives and which claims to require).
import { ConfigError } from '../errors.js';
import { readInteger, readObject, readString } from './reader.js';

export interface AuthConfig {
  /** HS256 shared secret file. Absent (and no public key) → main.ts generates `<DATA_DIR>/jwt-secret`. */
  jwtSecretFile?: string;
  /** RS256/ES256 public key file (PEM), for tokens minted elsewhere. */
  jwtPublicKeyFile?: string;
  /** Required `iss` claim. */
  issuer: string;
  /** Required `aud` claim. */
  audience: string;
  /** Allowed clock skew for exp/nbf, in seconds. */
  clockToleranceSeconds: number;
}

export const AUTH_KEYS = ['jwt_secret_file', 'jwt_public_key_file', 'issuer', 'audience', 'clock_tolerance_seconds'] as const;

/**
 * `raw` is the file's `auth` mapping (or undefined); env variables STIXGATE_JWT_SECRET_FILE and
 * STIXGATE_JWT_PUBLIC_KEY_FILE override the file. `resolvePath` makes file paths absolute
 * relative to the configuration file.
 */
export function parseAuthConfig(
  raw: unknown,
  env: Readonly<Record<string, string | undefined>>,
  resolvePath: (p: string) => string,
): AuthConfig {
  const obj = readObject(raw, 'auth', AUTH_KEYS);
  const secretFile = nonEmpty(env.STIXGATE_JWT_SECRET_FILE) ?? readString(obj, 'auth', 'jwt_secret_file');
  const publicKeyFile = nonEmpty(env.STIXGATE_JWT_PUBLIC_KEY_FILE) ?? readString(obj, 'auth', 'jwt_public_key_file');
  if (secretFile !== undefined && publicKeyFile !== undefined) {
    throw new ConfigError('auth.jwt_public_key_file', 'give either jwt_secret_file or jwt_public_key_file, not both');
  }
  const config: AuthConfig = {
    issuer: readString(obj, 'auth', 'issuer') ?? 'stixgate',
    audience: readString(obj, 'auth', 'audience') ?? 'stixgate',
    clockToleranceSeconds: readInteger(obj, 'auth', 'clock_tolerance_seconds', { min: 0, max: 600 }) ?? 30,
  };
  if (secretFile !== undefined) config.jwtSecretFile = resolvePath(secretFile);
  if (publicKeyFile !== undefined) config.jwtPublicKeyFile = resolvePath(publicKeyFile);
  return config;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
