// The sharing master key: STIXGATE_SHARING_KEY_FILE when set (relative to the working
// directory), else `sharing.master_key_file` (relative to the configuration file). Only read
// when partner groups are declared; without groups partners are served nothing and no key is
// needed. The key is never logged; failures name the setting and the file.
import path from 'node:path';
import { MIN_MASTER_SECRET_BYTES } from '../sharing/keys.js';
import { ensureSecretFile, readSecretFile } from './secret-file.js';
import type { Config } from './types.js';

export interface SharingKeyFile {
  file: string;
  /** The setting that names the file (reported on failure). */
  key: 'STIXGATE_SHARING_KEY_FILE' | 'sharing.master_key_file';
}

export interface SharingMasterKey {
  secret: Buffer;
  file: string;
  /** True when this read created the file (first start). */
  generated: boolean;
}

/** Where the master key is read from; undefined when no partner groups are declared. */
export function sharingKeyFileOf(config: Readonly<Config>): SharingKeyFile | undefined {
  const declared = config.sharing.masterKeyFile;
  if (config.sharing.groups.length === 0) return undefined;
  const file = config.sharingKeyFile !== undefined ? path.resolve(config.sharingKeyFile) : declared;
  if (file === undefined) return undefined;
  return {
    file,
    key: file === declared ? 'sharing.master_key_file' : 'STIXGATE_SHARING_KEY_FILE',
  };
}

export interface ReadSharingKeyOptions {
  /** Create the file with a fresh random secret (mode 0600) when it is missing (server start). */
  create: boolean;
  /** What to tell the operator when the file does not exist (and is not created). */
  ifMissing?: string;
}

/** Reads (or on a first start creates) the master key; undefined when no groups are declared. */
export function readSharingMasterKey(
  config: Readonly<Config>,
  options: ReadSharingKeyOptions,
): SharingMasterKey | undefined {
  const where = sharingKeyFileOf(config);
  if (where === undefined) return undefined;
  const generated = options.create && ensureSecretFile(where.file, where.key);
  const secret = readSecretFile(where.file, where.key, MIN_MASTER_SECRET_BYTES, {
    name: 'master secret',
    ...(options.ifMissing !== undefined && { ifMissing: options.ifMissing }),
  });
  return { secret, file: where.file, generated };
}
