// `stixgate migrate --from SPEC --to SPEC`: copies a whole store to another backend exactly —
// collections, every object version with its date_added and first/last markers, status
// resources, token revocations and the audit trail (with its seq) — with progress lines.
// Both stores must offer StoreTransfer. A copy can be re-run: what is already there is skipped.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BadRequestError, ConfigError } from '../../errors.js';
import { openStore } from '../../store/open-store.js';
import type { Store, StoreTransfer } from '../../store/types.js';
import { createChangeRecorder } from '../../taxii/changes.js';
import { parseCommandArgs, refusePositionals, requireOption } from '../args.js';
import { cliPrincipal } from '../principal.js';
import type { CliContext } from '../context.js';

export const MIGRATE_USAGE = `usage: stixgate migrate --from SPEC --to SPEC
  Copies everything a store holds to another store, exactly: collections, every object version
  with its date_added and first/last markers, status resources, token revocations, audit records.
  SPEC is sqlite:DATA_DIR (the directory holding stixgate.db, or the file itself) or a
  mongodb:// / mongodb+srv:// connection string (the database is the one named in its path,
  else "stixgate"). Stop the servers writing to the source first; re-running is harmless.
  examples:
    stixgate migrate --from sqlite:./data --to mongodb://db1,db2,db3/stixgate?replicaSet=rs0
    stixgate migrate --from mongodb://localhost/stixgate --to sqlite:/var/lib/stixgate`;

export const usage = MIGRATE_USAGE;

const SQLITE_FILE = 'stixgate.db';

/** What a store copy cannot carry: it lives in files next to the store, not in it. */
export const NOT_COPIED =
  'not copied (files, not store content): the JWT secret (jwt-secret), the cursor key (cursor-secret), ' +
  'the sharing master key and the configuration file. Give the new deployment the same files ' +
  '(or the same STIXGATE_*_FILE paths), or issued tokens, next cursors and partner pseudonyms stop matching.';

/** Versions and records copied per round trip. */
const PAGE = 1000;

export interface MigrateArgs {
  from: string;
  to: string;
  log: (line: string) => void;
}

export interface MigrateSummary {
  collections: number;
  objects: number;
  objectsCopied: number;
  statuses: number;
  revokedTokens: number;
  auditRecords: number;
}

type StoreSpec = { kind: 'sqlite'; dataDir: string } | { kind: 'mongodb'; uri: string };

export function parseStoreSpec(spec: string, option: string): StoreSpec {
  if (spec.startsWith('sqlite:')) {
    const target = spec.slice('sqlite:'.length);
    if (target === '')
      throw new BadRequestError(`--${option}: sqlite: needs a path\n${MIGRATE_USAGE}`);
    // The file itself may be named; the store opens <dataDir>/stixgate.db.
    const dataDir = target.endsWith('.db') ? path.dirname(target) : target;
    return { kind: 'sqlite', dataDir: path.resolve(dataDir) };
  }
  if (/^mongodb(\+srv)?:\/\//.test(spec)) return { kind: 'mongodb', uri: spec };
  throw new BadRequestError(
    `--${option} must be sqlite:PATH or a mongodb:// URI\n${MIGRATE_USAGE}`,
  );
}

/** How a spec is named in progress lines: never the URI, which may carry credentials. */
function describe(spec: StoreSpec): string {
  if (spec.kind === 'sqlite') return `sqlite:${spec.dataDir}`;
  const host = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]*)/.exec(spec.uri)?.[1] ?? '?';
  return `mongodb://${host}`;
}

async function open(spec: StoreSpec): Promise<Store> {
  return spec.kind === 'sqlite'
    ? openStore({ dataDir: spec.dataDir })
    : openStore({ dataDir: '', mongodbUri: spec.uri });
}

function transferOf(store: Store, role: string): StoreTransfer {
  if (store.transfer === undefined) {
    throw new ConfigError(role, `the ${store.backend} store cannot be migrated (no bulk transfer)`);
  }
  return store.transfer;
}

export async function runMigrate(args: MigrateArgs): Promise<MigrateSummary> {
  const from = parseStoreSpec(args.from, 'from');
  const to = parseStoreSpec(args.to, 'to');
  if (JSON.stringify(from) === JSON.stringify(to)) {
    throw new BadRequestError('--from and --to name the same store');
  }
  // Opening a SQLite path creates a database there: a mistyped --from would "succeed" with an
  // empty copy. The source must already be a store.
  if (from.kind === 'sqlite' && !existsSync(path.join(from.dataDir, SQLITE_FILE)))
    throw new BadRequestError(
      `--from: ${path.join(from.dataDir, SQLITE_FILE)} does not exist: give the DATA_DIR of an existing store`,
    );
  const source = await open(from);
  try {
    if (from.kind === 'mongodb' && (await source.listCollections()).length === 0)
      throw new BadRequestError(
        '--from: that MongoDB database holds no stixgate collections: check the database name in the URI',
      );
    const target = await open(to);
    try {
      args.log(`migrating ${describe(from)} -> ${describe(to)}`);
      args.log(NOT_COPIED);
      const summary = await copyStore(source, target, args.log);
      await createChangeRecorder({
        store: target,
        now: () => Date.now() * 1000,
        onError: (error) =>
          args.log(`warning: the migration audit record was not written (${String(error)})`),
      })({
        principal: cliPrincipal(),
        source: 'cli',
        action: 'migrate',
        details: { from: describe(from), to: describe(to), ...summary },
      });
      return summary;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

export async function copyStore(
  source: Store,
  target: Store,
  log: (line: string) => void,
): Promise<MigrateSummary> {
  const input = transferOf(source, 'from');
  const output = transferOf(target, 'to');
  const summary: MigrateSummary = {
    collections: 0,
    objects: 0,
    objectsCopied: 0,
    statuses: 0,
    revokedTokens: 0,
    auditRecords: 0,
  };

  const collections = await source.listCollections();
  for (const collection of collections) {
    // Collections first: imports need them, and an alias clash stops the copy (ConflictError).
    await target.putCollection(collection);
    summary.collections++;
  }
  log(`collections: ${summary.collections}`);

  for (const collection of collections) {
    const total = await source.countObjects(collection.id);
    const label = `${collection.apiRoot}/${collection.alias ?? collection.id}`;
    let done = 0;
    let copied = 0;
    let after: number | undefined;
    for (;;) {
      const records = await input.exportObjects(collection.id, after, PAGE);
      if (records.length === 0) break;
      copied += await output.importObjects(collection.id, records);
      done += records.length;
      after = records[records.length - 1]?.dateAdded;
      log(`objects ${label}: ${done}/${total} versions (${copied} new)`);
      if (records.length < PAGE) break;
    }
    if (done === 0) log(`objects ${label}: 0 versions`);
    const stored = await target.countObjects(collection.id);
    if (stored < done) {
      throw new ConfigError(
        'to',
        `collection ${label}: ${stored} versions stored after copying ${done}`,
      );
    }
    summary.objects += done;
    summary.objectsCopied += copied;
  }

  let afterStatus: string | undefined;
  for (;;) {
    const statuses = await input.exportStatuses(afterStatus, PAGE);
    for (const status of statuses) await target.putStatus(status);
    summary.statuses += statuses.length;
    afterStatus = statuses[statuses.length - 1]?.id;
    if (statuses.length < PAGE) break;
  }
  log(`statuses: ${summary.statuses}`);

  const revoked = await source.listRevokedTokens();
  for (const token of revoked) await target.revokeToken(token);
  summary.revokedTokens = revoked.length;
  log(`revoked tokens: ${summary.revokedTokens}`);

  let afterSeq: number | undefined;
  for (;;) {
    const records = await source.queryAudit({
      limit: PAGE,
      ...(afterSeq !== undefined && { afterSeq }),
    });
    if (records.length > 0) await output.importAudit(records);
    summary.auditRecords += records.length;
    afterSeq = records[records.length - 1]?.seq;
    if (records.length < PAGE || afterSeq === undefined) break;
  }
  log(`audit records: ${summary.auditRecords}`);
  log(
    `done: ${summary.collections} collections, ${summary.objects} object versions (${summary.objectsCopied} new), ` +
      `${summary.statuses} statuses, ${summary.revokedTokens} revoked tokens, ${summary.auditRecords} audit records`,
  );
  return summary;
}

/** CLI entry (CommandModule): progress on stderr, so stdout stays free for scripts. */
export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const options = { from: { type: 'string' }, to: { type: 'string' } } as const;
  const { values, positionals } = parseCommandArgs(argv, options, MIGRATE_USAGE);
  if (values.help) {
    ctx.stdout.write(`${MIGRATE_USAGE}\n`);
    return 0;
  }
  refusePositionals(positionals, MIGRATE_USAGE);
  await runMigrate({
    from: requireOption(values.from, 'from', MIGRATE_USAGE),
    to: requireOption(values.to, 'to', MIGRATE_USAGE),
    log: (line) => ctx.stderr.write(`${line}\n`),
  });
  return 0;
}
