// Secret and key files: the one reader (trimmed bytes, a ConfigError naming the key that points
// at the file) and the one writer of a generated secret (random, mode 0600, safe against a
// second instance starting at the same moment). Every secret the server or the CLI reads
// (JWT keys, cursor key, sharing master key, metrics token, TLS certificate and key) comes
// through here.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { ConfigError } from '../errors.js';
import type { Config, TlsConfig } from './types.js';

export const CURSOR_SECRET_NAME = 'cursor-secret';

export interface SecretFileOptions {
  /** What the secret is called in the too-short message (default `secret`). */
  name?: string;
  /** The reason given when the file does not exist (default `cannot read <file> (ENOENT)`). */
  ifMissing?: string;
}

/** The text of a key, secret or configuration file; a failure names `key`, never the content. */
export function readKeyText(file: string, key: string, ifMissing?: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (ifMissing !== undefined && isErrno(error, 'ENOENT'))
      throw new ConfigError(key, `${file} does not exist yet: ${ifMissing}`);
    throw new ConfigError(key, `cannot read ${file} (${errorCode(error)})`);
  }
}

/**
 * The secret in `file`, surrounding white space removed. `key` is the setting that names the
 * file (reported on failure, never the content); `minBytes` the shortest secret accepted.
 */
export function readSecretFile(
  file: string,
  key: string,
  minBytes = 1,
  options: SecretFileOptions = {},
): Buffer {
  const text = readKeyText(file, key, options.ifMissing);
  const secret = Buffer.from(text.trim(), 'utf8');
  if (secret.length < minBytes)
    throw new ConfigError(
      key,
      `the ${options.name ?? 'secret'} must be at least ${minBytes} bytes`,
    );
  return secret;
}

/** The TLS certificate chain and private key (PEM), as configured. */
export function readTlsFiles(tls: TlsConfig): { cert: string; key: string } {
  return {
    cert: readKeyText(tls.certFile, 'tls.cert_file'),
    key: readKeyText(tls.keyFile, 'tls.key_file'),
  };
}

/** The /metrics bearer token (STIXGATE_METRICS_TOKEN_FILE), at least 16 characters. */
export function readMetricsToken(file: string): string {
  const key = 'STIXGATE_METRICS_TOKEN_FILE';
  const token = readSecretFile(file, key, 0).toString('utf8');
  if (token.length < 16) throw new ConfigError(key, 'the token must be at least 16 characters');
  return token;
}

/**
 * Creates the secret file unless it exists; true when this call created it. The content is
 * written to a private temporary file and hard-linked into place, so a second instance
 * starting at the same moment either wins the link or reads the complete winner's file.
 */
export function ensureSecretFile(file: string, key = 'STIXGATE_JWT_SECRET_FILE'): boolean {
  try {
    statSync(file);
    return false;
  } catch (error) {
    if (!isErrno(error, 'ENOENT'))
      throw new ConfigError(key, `cannot read ${file} (${errorCode(error)})`);
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

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function errorCode(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : 'error';
}

/**
 * The `next` cursor key: STIXGATE_CURSOR_SECRET_FILE (the same file on every instance that
 * shares a MongoDB), else `<DATA_DIR>/cursor-secret`, created with mode 0600 on first start.
 */
export function loadCursorSecret(config: Readonly<Config>): Buffer {
  const file = config.cursorSecretFile ?? path.join(config.dataDir, CURSOR_SECRET_NAME);
  if (config.cursorSecretFile === undefined) ensureSecretFile(file);
  return readSecretFile(file, 'STIXGATE_CURSOR_SECRET_FILE', 32);
}
