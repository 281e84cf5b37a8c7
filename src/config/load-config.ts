// Builds the one frozen Config from the environment and the optional declarative file
// (YAML or JSON). Pure: it reads neither process.env nor the file system; main.ts passes both.
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';
import type { AccessList, Role } from '../domain.js';
import { parseAuthConfig } from './auth-config.js';
import { parseOpsConfig } from './ops-config.js';
import { parseSharingConfig } from './sharing-config.js';
import {
  checkInteger,
  isPlainObject,
  readArray,
  readBoolean,
  readInteger,
  readObject,
  readString,
  readStringList,
  requireString,
  type RawObject,
} from './reader.js';
import type { ApiRootConfig, CollectionSeed, Config, DiscoveryConfig, TlsConfig } from './types.js';

export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8000,
  dataDir: './data',
  maxContentLength: 10 * 1024 * 1024,
  defaultLimit: 100,
  maxLimit: 1000,
  maxObjectsPerRequest: 100_000,
  statusRetentionHours: 72,
  principalRequestsPerMinute: 1200,
  maxConcurrentRequests: 64,
} as const;

/** Stable id of the collection served when no configuration declares any. */
export const DEFAULT_COLLECTION_ID = '9f3a6c2e-7d41-4b8a-a1c5-2e6f0b9d4c37';

const TOP_KEYS = [
  'discovery',
  'api_roots',
  'collections',
  'status',
  'cors',
  'tls',
  'auth',
  'sharing',
  'limits',
  'trust_proxy',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,63}$/;
const GROUP = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/;
/** Path segments the server uses itself; an API root may not shadow them. */
// Paths the server answers itself at the top level: an API root of that name would be hidden.
const RESERVED_ROOTS = [
  'taxii2',
  'healthz',
  'readyz',
  'metrics',
  'admin',
  'console',
  'openapi.json',
];
const ROLE_NAMES: readonly Role[] = ['admin', 'analyst', 'partner'];
const TLP_CODES = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;

export function loadConfig(env: Env, fileText?: string, fileName?: string): Readonly<Config> {
  const raw = fileText === undefined ? {} : parseFile(fileText, fileName);
  const file = readObject(raw, '', TOP_KEYS);
  const baseDir = fileName === undefined ? undefined : path.dirname(path.resolve(fileName));
  const resolvePath = (p: string): string => (baseDir === undefined ? p : path.resolve(baseDir, p));

  const apiRoots = parseApiRoots(file.api_roots);
  const discovery = parseDiscovery(file.discovery, apiRoots);
  const declared = file.collections !== undefined && file.collections !== null;
  const collections = declared
    ? parseCollections(file.collections, apiRoots)
    : [defaultCollection(discovery.defaultApiRoot ?? apiRoots[0]!.path)];
  const sharing = parseSharingConfig(file.sharing, resolvePath);

  const config: Config = {
    host: nonEmpty(env.HOST) ?? DEFAULTS.host,
    port: parsePort(env.PORT),
    dataDir: nonEmpty(env.DATA_DIR) ?? DEFAULTS.dataDir,
    mongodbReservationTimeoutMs: parseReservationTimeout(
      env.STIXGATE_MONGODB_RESERVATION_TIMEOUT_MS,
    ),
    instanceId:
      nonEmpty(env.STIXGATE_INSTANCE_ID) ??
      `${hostname()}:${path.resolve(nonEmpty(env.DATA_DIR) ?? DEFAULTS.dataDir)}`,
    logLevel: parseLogLevel(env.STIXGATE_LOG_LEVEL),
    discovery,
    apiRoots,
    collections,
    usesDefaultCollections: !declared,
    status: parseStatus(file.status),
    cors: parseCors(file.cors),
    limits: parseLimits(file.limits),
    trustProxy: parseTrustProxy(file.trust_proxy),
    auth: parseAuthConfig(file.auth, env, resolvePath),
    ops: parseOpsConfig(env),
    sharing,
    sharingCacheMb: nonNegativeNumber(env, 'STIXGATE_SHARING_CACHE_MB', 32),
    readCacheMb: nonNegativeNumber(env, 'STIXGATE_READ_CACHE_MB', 16),
    partnerPageCacheMb: nonNegativeNumber(env, 'STIXGATE_PARTNER_PAGE_CACHE_MB', 16),
    auditRetentionDays: nonNegativeNumber(
      env,
      'STIXGATE_AUDIT_RETENTION_DAYS',
      DEFAULT_AUDIT_RETENTION_DAYS,
    ),
  };
  const sharingKeyFile = nonEmpty(env.STIXGATE_SHARING_KEY_FILE);
  if (sharingKeyFile !== undefined) config.sharingKeyFile = sharingKeyFile;
  const mongodbUri = nonEmpty(env.MONGODB_URI);
  if (mongodbUri !== undefined) {
    if (!/^mongodb(\+srv)?:\/\//.test(mongodbUri))
      throw new ConfigError('MONGODB_URI', 'must start with mongodb:// or mongodb+srv://');
    config.mongodbUri = mongodbUri;
  }
  if (fileName !== undefined) config.configFile = path.resolve(fileName);
  const cursorSecretFile = nonEmpty(env.STIXGATE_CURSOR_SECRET_FILE);
  if (cursorSecretFile !== undefined) config.cursorSecretFile = cursorSecretFile;
  const tls = parseTls(file.tls, env, resolvePath);
  if (tls !== undefined) config.tls = tls;
  return deepFreeze(config);
}

export const DEFAULT_AUDIT_RETENTION_DAYS = 365;

function nonNegativeNumber(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new ConfigError(name, 'must be a non-negative number');
  return n;
}

function parseFile(text: string, fileName: string | undefined): unknown {
  const label = fileName ?? 'STIXGATE_CONFIG';
  try {
    const value: unknown = fileName?.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (value !== null && value !== undefined && !isPlainObject(value)) {
      throw new ConfigError(label, 'the configuration file must hold a mapping at the top');
    }
    return value ?? {};
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause;
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : 'unreadable';
    throw new ConfigError(label, `cannot parse: ${reason}`);
  }
}

function parseReservationTimeout(value: string | undefined): number {
  const key = 'STIXGATE_MONGODB_RESERVATION_TIMEOUT_MS';
  if (value === undefined || value === '') return 60_000;
  if (!/^[0-9]{1,9}$/.test(value))
    throw new ConfigError(key, 'must be an integer number of milliseconds');
  return checkInteger(Number(value), key, { min: 1_000, max: 3_600_000 });
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULTS.port;
  if (!/^[0-9]{1,5}$/.test(value))
    throw new ConfigError('PORT', 'must be an integer between 0 and 65535');
  return checkInteger(Number(value), 'PORT', { min: 0, max: 65535 });
}

function parseLogLevel(value: string | undefined): string {
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (value === undefined || value === '') return 'info';
  if (!levels.includes(value))
    throw new ConfigError('STIXGATE_LOG_LEVEL', `must be one of ${levels.join(', ')}`);
  return value;
}

function parseApiRoots(value: unknown): ApiRootConfig[] {
  if (value === undefined || value === null) {
    return [
      {
        path: 'api1',
        title: 'Default API root',
        maxContentLength: DEFAULTS.maxContentLength,
        defaultLimit: DEFAULTS.defaultLimit,
        maxLimit: DEFAULTS.maxLimit,
        maxObjectsPerRequest: DEFAULTS.maxObjectsPerRequest,
      },
    ];
  }
  if (!Array.isArray(value)) throw new ConfigError('api_roots', 'must be a list');
  if (value.length === 0) throw new ConfigError('api_roots', 'must declare at least one API root');
  const seen = new Set<string>();
  return value.map((item, i) => {
    const key = `api_roots[${i}]`;
    const obj = readObject(item, key, [
      'path',
      'title',
      'description',
      'max_content_length',
      'default_limit',
      'max_limit',
      'max_objects_per_request',
    ]);
    const rootPath = requireString(obj, key, 'path', {
      pattern: SEGMENT,
      patternHint: 'must be one URL path segment (letters, digits, . _ ~ -)',
    });
    if (RESERVED_ROOTS.includes(rootPath))
      throw new ConfigError(`${key}.path`, `"${rootPath}" is reserved`);
    if (seen.has(rootPath))
      throw new ConfigError(`${key}.path`, `duplicate API root "${rootPath}"`);
    seen.add(rootPath);
    const maxLimit =
      readInteger(obj, key, 'max_limit', { min: 1, max: 100_000 }) ?? DEFAULTS.maxLimit;
    const defaultLimit =
      readInteger(obj, key, 'default_limit', { min: 1, max: 100_000 }) ??
      Math.min(DEFAULTS.defaultLimit, maxLimit);
    if (defaultLimit > maxLimit)
      throw new ConfigError(`${key}.default_limit`, 'must not exceed max_limit');
    const root: ApiRootConfig = {
      path: rootPath,
      title: requireString(obj, key, 'title'),
      maxContentLength:
        readInteger(obj, key, 'max_content_length', { min: 1024, max: 1024 * 1024 * 1024 }) ??
        DEFAULTS.maxContentLength,
      defaultLimit,
      maxLimit,
      maxObjectsPerRequest:
        readInteger(obj, key, 'max_objects_per_request', { min: 1, max: 10_000_000 }) ??
        DEFAULTS.maxObjectsPerRequest,
    };
    const description = readString(obj, key, 'description');
    if (description !== undefined) root.description = description;
    return root;
  });
}

function parseDiscovery(value: unknown, apiRoots: ApiRootConfig[]): DiscoveryConfig {
  const obj = readObject(value, 'discovery', [
    'title',
    'description',
    'contact',
    'default',
    'public',
  ]);
  const discovery: DiscoveryConfig = {
    title: readString(obj, 'discovery', 'title') ?? 'stixgate TAXII 2.1 server',
    public: readBoolean(obj, 'discovery', 'public') ?? false,
  };
  const description = readString(obj, 'discovery', 'description');
  if (description !== undefined) discovery.description = description;
  const contact = readString(obj, 'discovery', 'contact');
  if (contact !== undefined) discovery.contact = contact;
  const defaultRoot = readString(obj, 'discovery', 'default');
  // TAXII 2.1 §4.1: `default` must be one of api_roots.
  if (defaultRoot !== undefined && !apiRoots.some((r) => r.path === defaultRoot)) {
    throw new ConfigError('discovery.default', `"${defaultRoot}" is not one of api_roots`);
  }
  discovery.defaultApiRoot = defaultRoot ?? apiRoots[0]!.path;
  return discovery;
}

const COLLECTION_KEYS = [
  'id',
  'api_root',
  'title',
  'description',
  'alias',
  'read',
  'write',
  'validation',
  'default_tlp',
  'partner_title',
  'partner_description',
];

function parseCollections(value: unknown, apiRoots: ApiRootConfig[]): CollectionSeed[] {
  if (!Array.isArray(value)) throw new ConfigError('collections', 'must be a list');
  const ids = new Set<string>();
  const aliases = new Set<string>();
  return value.map((item, i) => {
    const key = `collections[${i}]`;
    const seed = parseCollectionSeed(item, key, apiRoots);
    if (ids.has(seed.id)) throw new ConfigError(`${key}.id`, `duplicate collection id ${seed.id}`);
    ids.add(seed.id);
    if (seed.alias !== undefined) {
      // TAXII 2.1 §5.2: alias unique within the API root.
      const scoped = `${seed.apiRoot}/${seed.alias}`;
      if (aliases.has(scoped))
        throw new ConfigError(`${key}.alias`, `duplicate in api root "${seed.apiRoot}"`);
      aliases.add(scoped);
    }
    return seed;
  });
}

/**
 * One collection in the file's snake_case shape → CollectionSeed. Shared by the file, the
 * CLI (`collection create`) and the admin API so that a collection is validated one way.
 */
export function parseCollectionSeed(
  item: unknown,
  key: string,
  apiRoots: readonly ApiRootConfig[],
): CollectionSeed {
  const obj = readObject(item, key, COLLECTION_KEYS);
  const id = requireString(obj, key, 'id', {
    pattern: UUID,
    patternHint: 'must be a lowercase UUID',
  });
  const apiRoot = readString(obj, key, 'api_root') ?? apiRoots[0]!.path;
  if (!apiRoots.some((r) => r.path === apiRoot))
    throw new ConfigError(`${key}.api_root`, `"${apiRoot}" is not one of api_roots`);
  const seed: CollectionSeed = {
    id,
    apiRoot,
    title: requireString(obj, key, 'title'),
    read: parseAccess(obj.read, `${key}.read`),
    write: parseAccess(obj.write, `${key}.write`),
    validation:
      parseEnum(obj, key, 'validation', ['strict', 'permissive'] as const) ?? 'permissive',
    defaultTlp: parseEnum(obj, key, 'default_tlp', TLP_CODES) ?? 'amber',
  };
  const alias = readString(obj, key, 'alias', {
    pattern: SEGMENT,
    patternHint: 'must be one URL path segment (letters, digits, . _ ~ -)',
  });
  if (alias !== undefined) {
    // An alias must never be mistaken for a collection id.
    if (UUID.test(alias))
      throw new ConfigError(`${key}.alias`, 'must not look like a collection id');
    seed.alias = alias;
  }
  for (const [name, field] of [
    ['description', 'description'],
    ['partner_title', 'partnerTitle'],
    ['partner_description', 'partnerDescription'],
  ] as const) {
    const text = readString(obj, key, name);
    if (text !== undefined) seed[field] = text;
  }
  return seed;
}

function parseAccess(value: unknown, key: string): AccessList {
  if (value === undefined || value === null) return { roles: ['analyst'], groups: [] };
  const obj = readObject(value, key, ['roles', 'groups']);
  const roles = readStringList(obj, key, 'roles') ?? [];
  roles.forEach((role, i) => {
    if (!(ROLE_NAMES as readonly string[]).includes(role))
      throw new ConfigError(`${key}.roles[${i}]`, `must be one of ${ROLE_NAMES.join(', ')}`);
  });
  return { roles: roles as Role[], groups: readStringList(obj, key, 'groups', GROUP) ?? [] };
}

function parseEnum<T extends string>(
  obj: RawObject,
  parent: string,
  name: string,
  values: readonly T[],
): T | undefined {
  const value = readString(obj, parent, name);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value))
    throw new ConfigError(`${parent}.${name}`, `must be one of ${values.join(', ')}`);
  return value as T;
}

function parseStatus(value: unknown): Config['status'] {
  const obj = readObject(value, 'status', ['retention_hours']);
  // TAXII 2.1 §4.3 (SHOULD): keep status resources at least 24 hours after completion.
  return {
    retentionHours:
      readInteger(obj, 'status', 'retention_hours', { min: 24, max: 24 * 366 }) ??
      DEFAULTS.statusRetentionHours,
  };
}

function parseLimits(value: unknown): Config['limits'] {
  const obj = readObject(value, 'limits', [
    'principal_requests_per_minute',
    'max_concurrent_requests',
  ]);
  return {
    principalRequestsPerMinute:
      readInteger(obj, 'limits', 'principal_requests_per_minute', { min: 0, max: 1_000_000 }) ??
      DEFAULTS.principalRequestsPerMinute,
    maxConcurrentRequests:
      readInteger(obj, 'limits', 'max_concurrent_requests', { min: 0, max: 100_000 }) ??
      DEFAULTS.maxConcurrentRequests,
  };
}

function parseTrustProxy(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ConfigError('trust_proxy', 'must be a list');
  return value.map((entry: unknown, i) => {
    if (typeof entry !== 'string' || !isAddressOrCidr(entry))
      throw new ConfigError(
        `trust_proxy[${i}]`,
        'must be an IP address or a CIDR block like 10.0.0.0/8',
      );
    return entry;
  });
}

function isAddressOrCidr(text: string): boolean {
  const [address = '', bits, extra] = text.split('/');
  if (extra !== undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^[0-9]{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function parseCors(value: unknown): Config['cors'] {
  const obj = readObject(value, 'cors', ['allow_origins']);
  const origins = readArray(obj, 'cors', 'allow_origins') ?? [];
  return {
    allowOrigins: origins.map((origin, i) => {
      if (typeof origin !== 'string' || !ORIGIN.test(origin)) {
        throw new ConfigError(
          `cors.allow_origins[${i}]`,
          'must be an origin like https://tool.example.org (no wildcard, no path)',
        );
      }
      return origin;
    }),
  };
}

function parseTls(
  value: unknown,
  env: Env,
  resolvePath: (p: string) => string,
): TlsConfig | undefined {
  const obj = readObject(value, 'tls', ['cert_file', 'key_file']);
  const certFile = nonEmpty(env.STIXGATE_TLS_CERT_FILE) ?? readString(obj, 'tls', 'cert_file');
  const keyFile = nonEmpty(env.STIXGATE_TLS_KEY_FILE) ?? readString(obj, 'tls', 'key_file');
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined)
    throw new ConfigError('tls.cert_file', 'is required when tls.key_file is given');
  if (keyFile === undefined)
    throw new ConfigError('tls.key_file', 'is required when tls.cert_file is given');
  return { certFile: resolvePath(certFile), keyFile: resolvePath(keyFile) };
}

function defaultCollection(apiRoot: string): CollectionSeed {
  return {
    id: DEFAULT_COLLECTION_ID,
    apiRoot,
    title: 'Default collection',
    description: 'Created because no configuration declares collections.',
    alias: 'default',
    read: { roles: ['analyst'], groups: [] },
    write: { roles: ['analyst'], groups: [] },
    validation: 'permissive',
    defaultTlp: 'amber',
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
