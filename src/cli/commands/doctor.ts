// `stixgate doctor`: checks what a start needs — configuration, secret files and their modes,
// the store (reachable, schema accepted), the sharing model, TLS files, the clock — and says
// what to fix, one line per finding. Exit 1 when anything must be fixed. Never prints secrets
// and never creates anything (no store, no key).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { hmacSecretFile } from '../../auth/key-files.js';
import type { Config } from '../../config/types.js';
import { readConfig } from '../../config/read-config.js';
import { CURSOR_SECRET_NAME } from '../../config/secret-file.js';
import { openStore } from '../../store/open-store.js';
import { parseCommandArgs, refusePositionals } from '../args.js';
import type { CliContext } from '../context.js';
import { readCliMasterKey } from '../sharing-session.js';
import { describeFailure } from '../system-errors.js';

export const usage = `usage: stixgate doctor

Checks, with the server's environment: the configuration; the secret files (present, readable,
mode 0600); the store (reachable, schema accepted); the sharing model and master key; the TLS
certificate and key (readable, matching, not expired); the clock against MongoDB's. Prints one
line per check (ok / warn / FAIL) with what to do; exit 1 when a check failed.`;

type Level = 'ok' | 'warn' | 'FAIL';
interface Finding {
  level: Level;
  check: string;
  text: string;
}

/** Clock difference above which instances would disagree on date_added order. */
const MAX_SKEW_MS = 2000;
const STORE_TIMEOUT_MS = 10_000;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {}, usage);
  if (values.help) {
    ctx.stdout.write(`${usage}\n`);
    return 0;
  }
  refusePositionals(positionals, usage);
  const findings: Finding[] = [];
  const add = (level: Level, check: string, text: string) => {
    findings.push({ level, check, text });
    ctx.stdout.write(`${level.padEnd(4)}  ${check.padEnd(14)} ${text}\n`);
  };
  const why = (error: unknown) =>
    describeFailure(error) ?? (error instanceof Error ? error.message : String(error));

  let config: Readonly<Config>;
  try {
    config = readConfig(ctx.env);
    add(
      'ok',
      'configuration',
      `${config.configFile ?? 'no file (environment only)'}; ${config.apiRoots.length} API root(s), listening on ${config.host}:${config.port}`,
    );
  } catch (error) {
    add('FAIL', 'configuration', `${why(error)}: fix it, then run doctor again`);
    return 1;
  }
  const dataDir = path.resolve(ctx.cwd, config.dataDir);

  const secret = (label: string, file: string | undefined, createdOnStart: boolean) => {
    if (file === undefined) return;
    let mode: number;
    try {
      mode = statSync(file).mode;
      readFileSync(file);
    } catch (error) {
      const missing = (error as { code?: unknown }).code === 'ENOENT';
      if (missing && createdOnStart)
        add(
          'warn',
          'secrets',
          `${label} ${file} does not exist yet: run \`stixgate keys init\` and back it up`,
        );
      else add('FAIL', 'secrets', `${label}: ${why(error)}`);
      return;
    }
    if ((mode & 0o077) !== 0)
      add(
        'FAIL',
        'secrets',
        `${label} ${file} is readable by others (mode ${(mode & 0o777).toString(8)}): chmod 600 ${file}`,
      );
    else add('ok', 'secrets', `${label} ${file} (mode ${(mode & 0o777).toString(8)})`);
  };
  const jwt = hmacSecretFile(config.auth, dataDir);
  secret('JWT secret', jwt, config.auth.jwtSecretFile === undefined);
  if (config.auth.jwtPublicKeyFile !== undefined) {
    try {
      readFileSync(config.auth.jwtPublicKeyFile);
      add('ok', 'secrets', `JWT verification keys ${config.auth.jwtPublicKeyFile}`);
    } catch (error) {
      add('FAIL', 'secrets', `JWT verification keys: ${why(error)}`);
    }
  }
  secret(
    'cursor key',
    config.cursorSecretFile ?? path.join(dataDir, CURSOR_SECRET_NAME),
    config.cursorSecretFile === undefined,
  );
  secret('metrics token', config.ops.metrics.tokenFile, false);

  try {
    const model = config.sharing;
    secret('sharing master key', readCliMasterKey(config)?.file, true);
    add(
      'ok',
      'sharing',
      model.groups.length === 0
        ? 'no partner groups: partners are served nothing'
        : `${model.groups.length} group(s), ${model.policies.length} polic${model.policies.length === 1 ? 'y' : 'ies'}`,
    );
  } catch (error) {
    add('FAIL', 'sharing', why(error));
  }

  if (config.tls !== undefined) checkTls(config.tls, add, why);

  if (config.mongodbUri === undefined && !existsSync(path.join(dataDir, 'stixgate.db'))) {
    add('warn', 'store', `no SQLite store in ${dataDir} yet: the first start creates it`);
  } else {
    try {
      const store = await withTimeout(
        openStore({
          dataDir,
          ...(config.mongodbUri !== undefined && { mongodbUri: config.mongodbUri }),
        }),
        'opening the store',
      );
      try {
        const collections = await withTimeout(store.listCollections(), 'listing collections');
        add(
          'ok',
          'store',
          `${store.backend} reachable, schema accepted, ${collections.length} collection(s)`,
        );
      } finally {
        await store.close();
      }
    } catch (error) {
      add('FAIL', 'store', why(error));
    }
  }

  if (config.mongodbUri !== undefined) await checkMongoClock(config.mongodbUri, add, why);
  else add('ok', 'clock', "embedded store: date_added comes from this machine's clock only");

  const failed = findings.filter((f) => f.level === 'FAIL').length;
  const warned = findings.filter((f) => f.level === 'warn').length;
  ctx.stdout.write(
    failed > 0
      ? `${failed} problem(s) to fix${warned > 0 ? `, ${warned} warning(s)` : ''}\n`
      : `ready to start${warned > 0 ? ` (${warned} warning(s))` : ''}\n`,
  );
  return failed > 0 ? 1 : 0;
}

function checkTls(
  tls: NonNullable<Config['tls']>,
  add: (level: Level, check: string, text: string) => void,
  why: (error: unknown) => string,
): void {
  try {
    const cert = new X509Certificate(readFileSync(tls.certFile));
    const key = createPrivateKey(readFileSync(tls.keyFile));
    if (!cert.checkPrivateKey(key)) {
      add(
        'FAIL',
        'tls',
        `${tls.keyFile} is not the key of ${tls.certFile}: give the matching pair`,
      );
      return;
    }
    const left = new Date(cert.validTo).getTime() - Date.now();
    const days = Math.floor(left / 86_400_000);
    if (left <= 0) add('FAIL', 'tls', `${tls.certFile} expired on ${cert.validTo}: renew it`);
    else if (days < 14) add('warn', 'tls', `${tls.certFile} expires in ${days} day(s): renew it`);
    else add('ok', 'tls', `${cert.subject.replace(/\n/g, ', ')}; valid until ${cert.validTo}`);
  } catch (error) {
    add('FAIL', 'tls', `${why(error)} (certificate ${tls.certFile}, key ${tls.keyFile})`);
  }
}

async function checkMongoClock(
  uri: string,
  add: (level: Level, check: string, text: string) => void,
  why: (error: unknown) => string,
): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: STORE_TIMEOUT_MS });
  try {
    const before = Date.now();
    const hello = (await client.db('admin').command({ hello: 1 })) as { localTime?: Date };
    const after = Date.now();
    if (!(hello.localTime instanceof Date)) {
      add('warn', 'clock', 'MongoDB did not report its time: keep NTP on every host');
      return;
    }
    const skew = hello.localTime.getTime() - (before + after) / 2;
    const text = `MongoDB's clock is ${Math.abs(Math.round(skew))} ms ${skew >= 0 ? 'ahead of' : 'behind'} this one`;
    if (Math.abs(skew) > MAX_SKEW_MS)
      add(
        'FAIL',
        'clock',
        `${text}: synchronise the clocks (NTP) or instances will disagree on date_added order`,
      );
    else add('ok', 'clock', text);
  } catch (error) {
    add('warn', 'clock', `not checked: ${why(error)}`);
  } finally {
    await client.close();
  }
}

async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `${what} took over ${STORE_TIMEOUT_MS / 1000} s: check MONGODB_URI and the network`,
              ),
            ),
          STORE_TIMEOUT_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
