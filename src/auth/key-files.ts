// Reads the configured verification key files, and on a first start without any key
// configured, creates `<DATA_DIR>/jwt-secret` (mode 0600) so that `npm start` works at once.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthConfig } from '../config/auth-config.js';
import { ensureSecretFile, readKeyText } from '../config/secret-file.js';
import { parseHmacSecret, parsePublicKeys, type VerificationKeys } from './keys.js';

export const GENERATED_SECRET_NAME = 'jwt-secret';

// Created with the same writer as every other generated secret.
export { ensureSecretFile };

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
    const text = readKeyText(auth.jwtPublicKeyFile, 'STIXGATE_JWT_PUBLIC_KEY_FILE');
    return { keys: parsePublicKeys(text, 'STIXGATE_JWT_PUBLIC_KEY_FILE'), warnings };
  }
  let file = auth.jwtSecretFile;
  let generatedSecretFile: string | undefined;
  if (file === undefined) {
    file = join(dataDir, GENERATED_SECRET_NAME);
    if (ensureSecretFile(file)) generatedSecretFile = file;
  }
  checkPrivateMode(file, warnings);
  const text = readKeyText(file, 'STIXGATE_JWT_SECRET_FILE');
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

function checkPrivateMode(file: string, warnings: string[]): void {
  try {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      warnings.push(
        `${file} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it`,
      );
    }
  } catch {
    // readKeyText reports the real problem.
  }
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
