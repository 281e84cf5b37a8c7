// The configuration as the server and the CLI read it: the file named by STIXGATE_CONFIG (if
// any) and the environment. A reload is this call again.
import path from 'node:path';
import { loadConfig, type Env } from './load-config.js';
import { readKeyText } from './secret-file.js';
import type { Config } from './types.js';

/** Reads STIXGATE_CONFIG (if set, relative to `cwd`, default the process's) and builds the Config. */
export function readConfig(env: Env, cwd?: string): Readonly<Config> {
  const named = env.STIXGATE_CONFIG;
  if (named === undefined || named === '') return loadConfig(env);
  const file = cwd === undefined ? named : path.resolve(cwd, named);
  return loadConfig(env, readKeyText(file, 'STIXGATE_CONFIG'), file);
}
