// The sharing section as loadConfig returns it (parsed, typed, paths resolved), and the master
// key read from the file it names: created only when asked, failures naming the setting.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { readSharingMasterKey, sharingKeyFileOf } from '../../../src/config/sharing-key.js';
import { ConfigError } from '../../../src/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'stixgate-sharing-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECTION = {
  master_key_file: 'sharing.key',
  own_identity: { id: 'identity--0b3c1d5e-7f2a-4c8b-9d0e-1f2a3b4c5d6e', name: 'CERT' },
  policies: [{ id: 'isac', revision: 3, tlp_ceiling: 'amber' }],
  groups: [{ id: 'g1', name: 'Group one', policy: 'isac' }],
};

function configWith(
  sharing: unknown,
  env: Record<string, string> = {},
): ReturnType<typeof loadConfig> {
  return loadConfig(env, JSON.stringify({ sharing }), path.join(dir, 'stixgate.json'));
}

describe('Config.sharing', () => {
  it('is the parsed section, its key file resolved against the configuration file', () => {
    const config = configWith(SECTION);
    expect(config.sharing.groups.map((g) => g.id)).toEqual(['g1']);
    expect(config.sharing.policies[0]).toMatchObject({ id: 'isac', revision: 3, keyEpoch: 1 });
    expect(config.sharing.masterKeyFile).toBe(path.join(dir, 'sharing.key'));
  });

  it('has no groups when the file declares no sharing section', () => {
    expect(loadConfig({}).sharing.groups).toEqual([]);
  });

  it('stops the load with the key of a broken section', () => {
    const broken = { ...SECTION, policies: [{ id: 'isac', revision: 1, tlp_ceiling: 'red' }] };
    expect(() => configWith(broken)).toThrow(/sharing\.policies\[0\]\.tlp_ceiling/);
  });
});

describe('readSharingMasterKey', () => {
  it('reads nothing when no partner group is declared', () => {
    const config = configWith({ ...SECTION, groups: [] });
    expect(sharingKeyFileOf(config)).toBeUndefined();
    expect(readSharingMasterKey(config, { create: true })).toBeUndefined();
  });

  it('creates the file (mode 0600) on a first start and reads the same secret afterwards', () => {
    const sub = mkdtempSync(path.join(dir, 'create-'));
    const config = loadConfig(
      {},
      JSON.stringify({ sharing: SECTION }),
      path.join(sub, 'stixgate.json'),
    );
    const first = readSharingMasterKey(config, { create: true })!;
    expect(first.generated).toBe(true);
    expect(first.file).toBe(path.join(sub, 'sharing.key'));
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const again = readSharingMasterKey(config, { create: true })!;
    expect(again.generated).toBe(false);
    expect(again.secret.equals(first.secret)).toBe(true);
    expect(readFileSync(first.file, 'utf8').trim()).toBe(first.secret.toString('utf8'));
  });

  it('names STIXGATE_SHARING_KEY_FILE when that file is missing, and creates nothing unless asked', () => {
    const file = path.join(dir, 'absent.key');
    const config = configWith(SECTION, { STIXGATE_SHARING_KEY_FILE: file });
    expect(sharingKeyFileOf(config)).toEqual({ file, key: 'STIXGATE_SHARING_KEY_FILE' });
    let error: unknown;
    try {
      readSharingMasterKey(config, { create: false, ifMissing: 'run keys init' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('STIXGATE_SHARING_KEY_FILE');
    expect((error as Error).message).toContain(`${file} does not exist yet: run keys init`);
    expect(() => statSync(file)).toThrow();
  });

  it('refuses a master secret shorter than 32 bytes without repeating it', () => {
    const file = path.join(dir, 'short.key');
    writeFileSync(file, 'short-master\n', { mode: 0o600 });
    const config = configWith(SECTION, { STIXGATE_SHARING_KEY_FILE: file });
    let message = '';
    try {
      readSharingMasterKey(config, { create: false });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('at least 32 bytes');
    expect(message).not.toContain('short-master');
  });
});
