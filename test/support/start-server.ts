// Starts the real stixgate server (src/main.ts startServer: config → store → app → listen)
// on 127.0.0.1 with an ephemeral port, a temporary DATA_DIR and the test JWT secret. The
// backend comes from STIXGATE_TEST_BACKEND: `sqlite` (default) or `mongodb` (the URI from
// global-setup's inject('mongodbUri'), with a database of its own), so that one HTTP suite
// runs unchanged against both backends.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/http/logger.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/main.js';
import type { Store } from '../../src/store/types.js';
import { testMongoUri, uniqueDbName } from './mongo-server.js';
import { TaxiiClient } from './taxii-client.js';
import { mintToken, TEST_JWT_SECRET, type TestClaims } from './tokens.js';

/** The collections every test server has (ids are fixed so tests can name them). */
export const COLLECTIONS = {
  /** analysts read and write */
  rw: { id: '11111111-1111-4111-8111-111111111111', alias: 'rw', root: 'api1' },
  /** analysts read only */
  ro: { id: '22222222-2222-4222-8222-222222222222', alias: 'ro', root: 'api1' },
  /** analysts write only */
  wo: { id: '33333333-3333-4333-8333-333333333333', alias: 'wo', root: 'api1' },
  /** admins only */
  hidden: { id: '44444444-4444-4444-8444-444444444444', alias: 'hidden', root: 'api1' },
  /** analysts, and partners of group g1, read */
  partners: { id: '55555555-5555-4555-8555-555555555555', alias: 'partners', root: 'api1' },
  /** in API root `small`: max_content_length 2048, default_limit 3, max_limit 5, 5 objects per POST */
  small: { id: '66666666-6666-4666-8666-666666666666', alias: 'small', root: 'small' },
} as const;

export const SMALL_MAX_CONTENT_LENGTH = 2048;
export const SMALL_MAX_OBJECTS = 5;

const analystRw = { roles: ['analyst'], groups: [] };
const adminOnly = { roles: [], groups: [] };

export const TEST_CONFIG = {
  discovery: {
    title: 'stixgate test server',
    description: 'for tests',
    contact: 'cert@example.org',
    default: 'api1',
  },
  api_roots: [
    { path: 'api1', title: 'API root one', description: 'main root' },
    {
      path: 'small',
      title: 'Small root',
      max_content_length: SMALL_MAX_CONTENT_LENGTH,
      default_limit: 3,
      max_limit: 5,
      max_objects_per_request: SMALL_MAX_OBJECTS,
    },
  ],
  collections: [
    {
      id: COLLECTIONS.rw.id,
      alias: 'rw',
      title: 'Read-write',
      description: 'analysts read and write',
      read: analystRw,
      write: analystRw,
    },
    { id: COLLECTIONS.ro.id, alias: 'ro', title: 'Read-only', read: analystRw, write: adminOnly },
    { id: COLLECTIONS.wo.id, alias: 'wo', title: 'Write-only', read: adminOnly, write: analystRw },
    {
      id: COLLECTIONS.hidden.id,
      alias: 'hidden',
      title: 'Admins only',
      read: adminOnly,
      write: adminOnly,
    },
    {
      id: COLLECTIONS.partners.id,
      alias: 'partners',
      title: 'Partner feed',
      partner_title: 'Shared indicators',
      read: { roles: ['analyst'], groups: ['g1'] },
      write: analystRw,
    },
    {
      id: COLLECTIONS.small.id,
      alias: 'small',
      api_root: 'small',
      title: 'Small',
      read: analystRw,
      write: analystRw,
    },
  ],
};

export interface TestServer {
  url: string;
  store: Store;
  running: RunningServer;
  dataDir: string;
  tokens: {
    admin: string;
    analyst: string;
    analyst2: string;
    partner: string;
    partnerOther: string;
  };
  /** A client with the analyst token. */
  client: TaxiiClient;
  as(token: string | undefined): TaxiiClient;
  token(claims: TestClaims): string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Configuration file contents (default TEST_CONFIG); `null` starts without a file. */
  config?: Record<string, unknown> | null;
  env?: Record<string, string>;
  start?: StartOptions;
  /**
   * Default: a clock that advances at least one millisecond per reading, so that objects
   * posted in separate requests never share a millisecond of date_added and page sizes are
   * deterministic. `true` uses the system clock (concurrency tests).
   */
  realClock?: boolean;
}

/** Strictly increasing by ≥ 1 ms per call, never behind the system clock. */
export function steppingClock(): () => number {
  let last = 0;
  return () => {
    last = Math.max(Date.now() * 1000, last + 1000);
    return last;
  };
}

export function testBackend(): 'sqlite' | 'mongodb' {
  const backend = process.env.STIXGATE_TEST_BACKEND ?? 'sqlite';
  if (backend !== 'sqlite' && backend !== 'mongodb')
    throw new Error(`STIXGATE_TEST_BACKEND must be sqlite or mongodb, not ${backend}`);
  return backend;
}

function mongoUriWithDatabase(base: string, dbName: string): string {
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  return url.toString();
}

/** MONGODB_URI (with a fresh database) when the suite runs against MongoDB; {} for SQLite. */
export function backendEnv(): Record<string, string> {
  return testBackend() === 'mongodb'
    ? { MONGODB_URI: mongoUriWithDatabase(testMongoUri(), uniqueDbName('stixgate_http')) }
    : {};
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'stixgate-http-'));
  const secretFile = path.join(dataDir, 'test-jwt-secret');
  await writeFile(secretFile, TEST_JWT_SECRET, { mode: 0o600 });
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    STIXGATE_JWT_SECRET_FILE: secretFile,
  };
  const config = options.config === undefined ? TEST_CONFIG : options.config;
  if (config !== null) {
    const configFile = path.join(dataDir, 'stixgate.json');
    await writeFile(configFile, JSON.stringify(config));
    env.STIXGATE_CONFIG = configFile;
  }
  Object.assign(env, backendEnv());
  Object.assign(env, options.env);

  const running = await startServer(env, {
    log: createLogger(process.env.STIXGATE_TEST_LOG ?? 'silent'),
    print: () => {},
    ...(options.realClock !== true && { now: steppingClock() }),
    ...options.start,
  });
  const token = (claims: TestClaims): string => mintToken(claims);
  const tokens = {
    admin: token({ sub: 'admin-1', role: 'admin' }),
    analyst: token({ sub: 'analyst-1', role: 'analyst' }),
    analyst2: token({ sub: 'analyst-2', role: 'analyst' }),
    partner: token({ sub: 'partner-1', role: 'partner', groups: ['g1'] }),
    partnerOther: token({ sub: 'partner-2', role: 'partner', groups: ['g2'] }),
  };
  return {
    url: running.url,
    store: running.store,
    running,
    dataDir,
    tokens,
    client: new TaxiiClient(running.url, tokens.analyst),
    as: (t) => new TaxiiClient(running.url, t),
    token,
    async close() {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `/api1/collections/<id>/<rest>` for a named test collection. */
export function collectionPath(name: keyof typeof COLLECTIONS, rest = ''): string {
  const c = COLLECTIONS[name];
  return `/${c.root}/collections/${c.id}/${rest}`;
}
