// Reads the configured verification key files, and on a first start without any key
// configured, creates `<DATA_DIR>/jwt-secret` (mode 0600) so that `npm start` works at once.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthConfig } from '../config/auth-config.js';
import { ConfigError } from '../errors.js';
import { parseHmacSecret, parsePublicKeys, type VerificationKeys } from './keys.js';

export const GENERATED_SECRET_NAME = 'jwt-secret';

export interface LoadedKeys {
  keys: VerificationKeys;
  /** Path of the secret file this start created, if any (main.ts prints how to mint a token). */
  generatedSecretFile?: string;
  /** Things an operator should fix (e.g. a secret file readable by others). Never holds key material. */
  warnings: string[];
}

export function loadVerificationKeys(auth: AuthConfig, dataDir: string): LoadedKeys {
  const warnings: string[] = [];
  if (auth.jwtPublicKeyFile !== undefined) {
    const text = readKeyFile(auth.jwtPublicKeyFile, 'STIXGATE_JWT_PUBLIC_KEY_FILE');
    return { keys: parsePublicKeys(text, 'STIXGATE_JWT_PUBLIC_KEY_FILE'), warnings };
  }
  let file = auth.jwtSecretFile;
  let generatedSecretFile: string | undefined;
  if (file === undefined) {
    file = join(dataDir, GENERATED_SECRET_NAME);
    if (ensureSecretFile(file)) generatedSecretFile = file;
  }
  checkPrivateMode(file, warnings);
  const text = readKeyFile(file, 'STIXGATE_JWT_SECRET_FILE');
  const key = parseHmacSecret(text, 'STIXGATE_JWT_SECRET_FILE');
  return generatedSecretFile === undefined
    ? { keys: { kind: 'hmac', key }, warnings }
    : { keys: { kind: 'hmac', key }, generatedSecretFile, warnings };
}

/** The file holding the HS256 signing secret the server verifies with (for `token issue`). */
export function hmacSecretFile(auth: AuthConfig, dataDir: string): string | undefined {
  if (auth.jwtPublicKeyFile !== undefined) return undefined;
  return auth.jwtSecretFile ?? join(dataDir, GENERATED_SECRET_NAME);
}

/**
 * Creates the secret file unless it exists; true when this call created it. The content is
 * written to a private temporary file and hard-linked into place, so a second instance
 * starting at the same moment either wins the link or reads the complete winner's file.
 */
export function ensureSecretFile(file: string): boolean {
  try {
    statSync(file);
    return false;
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw unreadable(file, 'STIXGATE_JWT_SECRET_FILE', error);
  }
  const dir = join(file, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  // 48 random bytes, base64url: 64 printable characters, 384 bits.
  writeFileSync(temp, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw new ConfigError('DATA_DIR', `cannot create ${file}: ${errorCode(error)}`);
  } finally {
    unlinkSync(temp);
  }
}

function checkPrivateMode(file: string, warnings: string[]): void {
  try {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      warnings.push(
        `${file} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it`,
      );
    }
  } catch {
    // readKeyFile reports the real problem.
  }
}

function readKeyFile(file: string, key: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw unreadable(file, key, error);
  }
}

function unreadable(file: string, key: string, error: unknown): ConfigError {
  return new ConfigError(key, `cannot read ${file} (${errorCode(error)})`);
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function errorCode(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : 'error';
}

/** What main.ts prints after generating the secret on a first start. */
export function firstStartHint(secretFile: string, cli = 'npx stixgate'): string {
  return [
    `Generated a JWT signing secret in ${secretFile} (keep it private).`,
    'Mint an admin token with:',
    `  ${cli} token issue --sub admin --role admin`,
    'and send it as "Authorization: Bearer <token>" (or as the Basic password).',
  ].join('\n');
}
