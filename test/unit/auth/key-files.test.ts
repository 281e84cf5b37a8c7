import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ensureSecretFile,
  firstStartHint,
  hmacSecretFile,
  loadVerificationKeys,
} from '../../../src/auth/key-files.js';
import type { AuthConfig } from '../../../src/config/auth-config.js';
import { ConfigError } from '../../../src/errors.js';
import { generateRsaKeys } from '../../support/tokens.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stixgate-keys-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function auth(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    issuer: 'stixgate',
    audience: 'stixgate',
    clockToleranceSeconds: 30,
    roleClaim: 'role',
    groupsClaim: 'groups',
    rateLimit: { failures: 10, windowSeconds: 60 },
    ...overrides,
  };
}

describe('loadVerificationKeys', () => {
  it('generates <DATA_DIR>/jwt-secret with mode 0600 on first start', () => {
    const data = join(dir, 'data');
    const loaded = loadVerificationKeys(auth(), data);
    const file = join(data, 'jwt-secret');
    expect(loaded.generatedSecretFile).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(43);
    expect(loaded.keys.kind).toBe('hmac');
    expect(loaded.warnings).toEqual([]);
  });

  it('reuses the generated secret on the next start', () => {
    const first = loadVerificationKeys(auth(), dir);
    const second = loadVerificationKeys(auth(), dir);
    expect(second.generatedSecretFile).toBeUndefined();
    const bytes = (k: typeof first) =>
      k.keys.kind === 'hmac' ? k.keys.key.key.export().toString('hex') : '';
    expect(bytes(second)).toBe(bytes(first));
  });

  it('never replaces an existing secret file', () => {
    const file = join(dir, 'jwt-secret');
    writeFileSync(file, 'k'.repeat(40), { mode: 0o600 });
    expect(ensureSecretFile(file)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('k'.repeat(40));
  });

  it('reads the configured secret file and warns when others can read it', () => {
    const file = join(dir, 'secret');
    writeFileSync(file, `${'s'.repeat(40)}\n`, { mode: 0o644 });
    const loaded = loadVerificationKeys(auth({ jwtSecretFile: file }), join(dir, 'data'));
    expect(loaded.keys.kind).toBe('hmac');
    expect(loaded.generatedSecretFile).toBeUndefined();
    expect(loaded.warnings[0]).toMatch(/chmod 600/);
    expect(loaded.warnings[0]).not.toContain('s'.repeat(40));
  });

  it('refuses a missing configured secret file without creating it', () => {
    const file = join(dir, 'missing');
    expect(() => loadVerificationKeys(auth({ jwtSecretFile: file }), dir)).toThrow(ConfigError);
    expect(() => statSync(file)).toThrow();
  });

  it('refuses a short configured secret without echoing it', () => {
    const file = join(dir, 'secret');
    writeFileSync(file, 'tiny-secret', { mode: 0o600 });
    expect(() => loadVerificationKeys(auth({ jwtSecretFile: file }), dir)).toThrow(
      /at least 32 bytes/,
    );
    try {
      loadVerificationKeys(auth({ jwtSecretFile: file }), dir);
    } catch (error) {
      expect((error as Error).message).not.toContain('tiny-secret');
    }
  });

  it('reads a public key file and generates no secret', () => {
    const file = join(dir, 'idp.pem');
    writeFileSync(file, generateRsaKeys().publicKeyPem);
    const loaded = loadVerificationKeys(auth({ jwtPublicKeyFile: file }), join(dir, 'data'));
    expect(loaded.keys.kind).toBe('public');
    expect(() => statSync(join(dir, 'data', 'jwt-secret'))).toThrow();
  });

  it('reads a JWKS file', () => {
    const file = join(dir, 'jwks.json');
    writeFileSync(
      file,
      JSON.stringify({ keys: [generateRsaKeys('a').jwk, generateRsaKeys('b').jwk] }),
    );
    const loaded = loadVerificationKeys(auth({ jwtPublicKeyFile: file }), dir);
    expect(loaded.keys.kind === 'public' && loaded.keys.keys.map((k) => k.kid)).toEqual(['a', 'b']);
  });
});

describe('hmacSecretFile', () => {
  it('is the data-dir secret by default, the configured one otherwise, none with public keys', () => {
    expect(hmacSecretFile(auth(), '/d')).toBe('/d/jwt-secret');
    expect(hmacSecretFile(auth({ jwtSecretFile: '/s' }), '/d')).toBe('/s');
    expect(hmacSecretFile(auth({ jwtPublicKeyFile: '/p' }), '/d')).toBeUndefined();
  });
});

describe('firstStartHint', () => {
  it('tells how to mint an admin token', () => {
    expect(firstStartHint('/d/jwt-secret')).toContain(
      'npx stixgate token issue --sub admin --role admin',
    );
  });
});
