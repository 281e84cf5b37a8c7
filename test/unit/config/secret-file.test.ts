// The one reader of secret files: trimmed bytes, failures that name the setting and the file,
// never the content.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { readSecretFile } from '../../../src/config/secret-file.js';
import { ConfigError } from '../../../src/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'stixgate-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readSecretFile', () => {
  it('returns the secret without surrounding white space', () => {
    const file = path.join(dir, 'ok');
    writeFileSync(file, '  a-secret-of-enough-length \n');
    expect(readSecretFile(file, 'SOME_FILE').toString('utf8')).toBe('a-secret-of-enough-length');
  });

  it('names the setting and the file when the file cannot be read', () => {
    const file = path.join(dir, 'missing');
    expect(() => readSecretFile(file, 'SOME_FILE')).toThrow(ConfigError);
    expect(() => readSecretFile(file, 'SOME_FILE')).toThrow(`cannot read ${file} (ENOENT)`);
  });

  it('refuses a secret shorter than asked, without repeating it', () => {
    const file = path.join(dir, 'short');
    writeFileSync(file, 'tiny-secret\n');
    let message = '';
    try {
      readSecretFile(file, 'SOME_FILE', 32);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('at least 32 bytes');
    expect(message).not.toContain('tiny-secret');
  });
});

describe('sharing settings from the environment', () => {
  it('are typed Config fields with their defaults', () => {
    const config = loadConfig({});
    expect(config.sharingCacheMb).toBe(32);
    expect(config.auditRetentionDays).toBe(365);
    expect(config.sharingKeyFile).toBeUndefined();
  });

  it('read the environment once, in loadConfig', () => {
    const config = loadConfig({
      STIXGATE_SHARING_CACHE_MB: '0',
      STIXGATE_AUDIT_RETENTION_DAYS: '30',
      STIXGATE_SHARING_KEY_FILE: '/run/secrets/sharing',
    });
    expect(config.sharingCacheMb).toBe(0);
    expect(config.auditRetentionDays).toBe(30);
    expect(config.sharingKeyFile).toBe('/run/secrets/sharing');
  });

  it.each(['-1', 'ten', 'NaN'])('refuse STIXGATE_SHARING_CACHE_MB=%j', (value) => {
    expect(() => loadConfig({ STIXGATE_SHARING_CACHE_MB: value })).toThrow(ConfigError);
  });
});
