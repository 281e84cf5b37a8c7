// `stixgate token issue|revoke|list-revoked`: mint tokens with the key the server verifies
// with, and revoke them in the store (so every instance on that store refuses them).
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hmacSecretFile } from '../../auth/key-files.js';
import {
  issueToken,
  parseLifetime,
  parsePrivateKey,
  type SigningKey,
} from '../../auth/issue-token.js';
import { parseHmacSecret, parsePublicKeys } from '../../auth/keys.js';
import { isRole } from '../../auth/principal.js';
import type { Config } from '../../config/index.js';
import { readConfig } from '../../config/read-config.js';
import { readKeyText } from '../../config/secret-file.js';
import { BadRequestError, ConfigError } from '../../errors.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/types.js';
import type { CliContext } from '../context.js';

export const TOKEN_USAGE = `usage:
  stixgate token issue --sub NAME --role admin|analyst|partner [--group G]... [--expires 90d] [--key PRIVATE_KEY_FILE]
      Prints a signed token on stdout (and nothing else). HS256 with the server's secret
      (STIXGATE_JWT_SECRET_FILE, else <DATA_DIR>/jwt-secret); RS256/ES256 with --key when the
      server verifies with STIXGATE_JWT_PUBLIC_KEY_FILE. --expires: 30m, 12h, 90d, 2w, 1y.
  stixgate token revoke JTI [--reason TEXT]
      Stores the revocation; every instance using the same store refuses the token at once.
  stixgate token list-revoked [--json]
      Lists revoked token ids (jti, revoked at, reason).

Uses the same environment as the server (DATA_DIR, MONGODB_URI, STIXGATE_CONFIG, STIXGATE_JWT_*).`;

const GROUP = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const JTI = /^[\x21-\x7e]{1,256}$/;

/** Injected by tests; the CLI uses the real store and clock. */
export interface TokenDeps {
  openStore?: (config: Readonly<Config>) => Promise<Store>;
  now?: () => number;
}

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  return runToken(argv, ctx);
}

export async function runToken(
  argv: string[],
  ctx: CliContext,
  deps: TokenDeps = {},
): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    ctx.stdout.write(`${TOKEN_USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  const now = deps.now ?? Date.now;
  if (rest.includes('--help') || rest.includes('-h')) {
    if (!['issue', 'revoke', 'list-revoked'].includes(sub)) {
      ctx.stderr.write(`stixgate token: unknown subcommand "${sub}"\n${TOKEN_USAGE}\n`);
      return 2;
    }
    ctx.stdout.write(`${TOKEN_USAGE}\n`);
    return 0;
  }
  switch (sub) {
    case 'issue':
      return issue(rest, ctx, now);
    case 'revoke':
      return withStore(ctx, deps, (store, config) => revoke(rest, ctx, store, config, now));
    case 'list-revoked':
      return withStore(ctx, deps, (store) => listRevoked(rest, ctx, store));
    default:
      ctx.stderr.write(`stixgate token: unknown subcommand "${sub}"\n${TOKEN_USAGE}\n`);
      return 2;
  }
}

/** node:util parseArgs with its errors turned into usage errors. */
function parse<T>(parseFn: () => T): T {
  try {
    return parseFn();
  } catch (error) {
    throw new BadRequestError(error instanceof Error ? error.message : 'invalid arguments');
  }
}

function issue(argv: string[], ctx: CliContext, now: () => number): number {
  const { values } = parse(() =>
    parseArgs({
      args: argv,
      strict: true,
      options: {
        sub: { type: 'string' },
        role: { type: 'string' },
        group: { type: 'string', multiple: true },
        expires: { type: 'string' },
        key: { type: 'string' },
      },
    }),
  );
  if (values.sub === undefined || values.sub === '') throw new BadRequestError('--sub is required');
  if (!isRole(values.role)) throw new BadRequestError('--role must be admin, analyst or partner');
  const groups = values.group ?? [];
  for (const g of groups)
    if (!GROUP.test(g)) throw new BadRequestError(`invalid group name "${g}"`);
  if (values.role !== 'partner' && groups.length > 0) {
    ctx.stderr.write('note: groups only grant rights to partners; this token ignores them\n');
  }
  if (values.role === 'partner' && groups.length === 0) {
    ctx.stderr.write(
      'note: a partner without --group sees only collections open to every partner\n',
    );
  }
  const config = readConfig(ctx.env, ctx.cwd);
  const dataDir = path.resolve(ctx.cwd, config.dataDir);
  const signingKey = signingKeyFor(config, dataDir, values.key, ctx);
  const issued = issueToken(
    {
      subject: values.sub,
      role: values.role,
      groups,
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      lifetimeSeconds: parseLifetime(values.expires ?? '90d'),
      now: now(),
      roleClaim: config.auth.roleClaim,
      groupsClaim: config.auth.groupsClaim,
    },
    signingKey,
  );
  ctx.stdout.write(`${issued.token}\n`);
  // The jti is what `token revoke` needs later; stderr keeps stdout to the token alone.
  ctx.stderr.write(
    `jti ${issued.jti}, expires ${new Date(issued.expiresAt * 1000).toISOString()}\n`,
  );
  return 0;
}

function signingKeyFor(
  config: Readonly<Config>,
  dataDir: string,
  keyFile: string | undefined,
  ctx: CliContext,
): SigningKey {
  const publicKeyFile = config.auth.jwtPublicKeyFile;
  if (publicKeyFile === undefined) {
    if (keyFile !== undefined) {
      throw new BadRequestError(
        'the server verifies HS256 tokens with its secret; --key needs STIXGATE_JWT_PUBLIC_KEY_FILE',
      );
    }
    const file = hmacSecretFile(config.auth, dataDir)!;
    // Never created here: run from another directory, a fresh secret would sign tokens the
    // server refuses. `stixgate keys init` (or the first start) creates it.
    if (!existsSync(file))
      throw new ConfigError(
        config.auth.jwtSecretFile === undefined ? 'DATA_DIR' : 'STIXGATE_JWT_SECRET_FILE',
        `no JWT secret at ${file}: run this from the directory the server runs in (or set DATA_DIR / STIXGATE_JWT_SECRET_FILE as the server has them), or create it with \`stixgate keys init\``,
      );
    return parseHmacSecret(
      readKeyText(file, 'STIXGATE_JWT_SECRET_FILE'),
      'STIXGATE_JWT_SECRET_FILE',
    );
  }
  if (keyFile === undefined) {
    throw new BadRequestError(
      'the server verifies tokens with STIXGATE_JWT_PUBLIC_KEY_FILE; give --key PRIVATE_KEY_FILE',
    );
  }
  const key = parsePrivateKey(readKeyText(path.resolve(ctx.cwd, keyFile), '--key'), '--key');
  // Refuse to print a token the server would refuse, and take the kid from the matching JWK.
  const verification = parsePublicKeys(
    readKeyText(publicKeyFile, 'STIXGATE_JWT_PUBLIC_KEY_FILE'),
    'STIXGATE_JWT_PUBLIC_KEY_FILE',
  );
  const spki = (k: KeyObject) =>
    (k.type === 'private' ? createPublicKey(k) : k).export({ type: 'spki', format: 'der' });
  const mine = spki(key.key);
  const match =
    verification.kind === 'public'
      ? verification.keys.find((k) => spki(k.key).equals(mine))
      : undefined;
  if (!match)
    throw new BadRequestError(
      '--key is not the private half of any key in STIXGATE_JWT_PUBLIC_KEY_FILE',
    );
  return match.kid === undefined ? key : { ...key, kid: match.kid };
}

async function revoke(
  argv: string[],
  ctx: CliContext,
  store: Store,
  _config: Readonly<Config>,
  now: () => number,
): Promise<number> {
  const { values, positionals } = parse(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { reason: { type: 'string' } },
    }),
  );
  const jti = positionals[0];
  if (positionals.length > 1) throw new BadRequestError('revoke takes one token id');
  if (jti === undefined || !JTI.test(jti))
    throw new BadRequestError('give the token id (jti) to revoke');
  if (values.reason !== undefined && values.reason.length > 500)
    throw new BadRequestError('--reason is too long');
  const at = now() * 1000;
  await store.revokeToken(
    values.reason === undefined
      ? { jti, revokedAt: at }
      : { jti, revokedAt: at, reason: values.reason },
  );
  await store.appendAudit([
    {
      at,
      actor: `cli:${localUser()}`,
      role: 'admin',
      groups: [],
      action: 'token.revoke',
      details: values.reason === undefined ? { jti } : { jti, reason: values.reason },
    },
  ]);
  ctx.stderr.write(`revoked ${jti}\n`);
  return 0;
}

async function listRevoked(argv: string[], ctx: CliContext, store: Store): Promise<number> {
  const { values } = parse(() =>
    parseArgs({ args: argv, strict: true, options: { json: { type: 'boolean' } } }),
  );
  const tokens = await store.listRevokedTokens();
  if (values.json) {
    ctx.stdout.write(
      `${JSON.stringify(
        tokens.map((t) => ({
          ...t,
          revokedAt: iso(t.revokedAt),
          expiresAt: t.expiresAt === undefined ? undefined : iso(t.expiresAt),
        })),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  for (const t of tokens) ctx.stdout.write(`${t.jti}\t${iso(t.revokedAt)}\t${t.reason ?? ''}\n`);
  return 0;
}

async function withStore(
  ctx: CliContext,
  deps: TokenDeps,
  action: (store: Store, config: Readonly<Config>) => Promise<number>,
): Promise<number> {
  const config = readConfig(ctx.env, ctx.cwd);
  const store = await (deps.openStore ?? defaultOpenStore(ctx))(config);
  try {
    return await action(store, config);
  } finally {
    await store.close();
  }
}

function defaultOpenStore(ctx: CliContext) {
  return (config: Readonly<Config>) => {
    const options: Parameters<typeof openStore>[0] = {
      dataDir: path.resolve(ctx.cwd, config.dataDir),
    };
    if (config.mongodbUri !== undefined) options.mongodbUri = config.mongodbUri;
    return openStore(options);
  };
}

function iso(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
