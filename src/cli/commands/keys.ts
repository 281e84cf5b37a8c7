// `stixgate keys init`: creates every secret the server needs before its first start (JWT
// signing secret, cursor key, sharing master key), mode 0600, and never replaces one that
// exists. Prints file names only, never key material.
import path from 'node:path';
import { ensureSecretFile, hmacSecretFile } from '../../auth/key-files.js';
import { BadRequestError } from '../../errors.js';
import { readConfig } from '../../config/read-config.js';
import { CURSOR_SECRET_NAME } from '../../config/secret-file.js';
import { readSharingMasterKey } from '../../config/sharing-key.js';
import { parseCommandArgs } from '../args.js';
import type { CliContext } from '../context.js';

export const usage = `usage: stixgate keys init

Creates, unless they exist, with mode 0600:
  the JWT signing secret   STIXGATE_JWT_SECRET_FILE, else <DATA_DIR>/jwt-secret
                           (not with STIXGATE_JWT_PUBLIC_KEY_FILE: your issuer holds that key)
  the cursor key           STIXGATE_CURSOR_SECRET_FILE, else <DATA_DIR>/cursor-secret
  the sharing master key   STIXGATE_SHARING_KEY_FILE, else sharing.master_key_file
                           (only when the configuration declares partner groups)
Run it with the server's environment (DATA_DIR, STIXGATE_CONFIG, …). Back the files up: a
lost master key changes every partner pseudonym; a lost JWT secret invalidates every token.`;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {}, usage);
  const action = positionals[0];
  if (values.help) {
    ctx.stdout.write(`${usage}\n`);
    return 0;
  }
  if (action !== 'init') {
    throw new BadRequestError(
      `${action === undefined ? 'missing action' : `unknown action "${action}"`}\n${usage}`,
    );
  }
  if (positionals.length > 1)
    throw new BadRequestError(`unexpected argument "${positionals[1]}"\n${usage}`);
  const config = readConfig(ctx.env);
  const dataDir = path.resolve(ctx.cwd, config.dataDir);
  const report = (what: string, file: string, created: boolean) =>
    ctx.stdout.write(`${created ? 'created' : 'exists '}  ${what.padEnd(20)} ${file}\n`);

  const jwt = hmacSecretFile(config.auth, dataDir);
  if (jwt === undefined)
    ctx.stdout.write(
      `skipped  JWT signing secret    tokens are verified with ${config.auth.jwtPublicKeyFile}\n`,
    );
  else report('JWT signing secret', jwt, ensureSecretFile(jwt));

  const cursor = config.cursorSecretFile ?? path.join(dataDir, CURSOR_SECRET_NAME);
  report('cursor key', cursor, ensureSecretFile(cursor));

  const sharing = readSharingMasterKey(config, { create: true });
  if (sharing === undefined)
    ctx.stdout.write('skipped  sharing master key    no partner groups are configured\n');
  else report('sharing master key', sharing.file, sharing.generated);
  return 0;
}
