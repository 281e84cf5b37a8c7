// loadConfig: env + declarative file → frozen Config; every error names its key.
import { describe, expect, it } from 'vitest';
import { DEFAULT_COLLECTION_ID, loadConfig } from '../../../src/config/load-config.js';
import { ConfigError } from '../../../src/errors.js';

const UUID_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const UUID_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

function keyOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.key;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const json = (value: unknown): string => JSON.stringify(value);

describe('loadConfig without any configuration', () => {
  const config = loadConfig({});

  it('listens on 127.0.0.1:8000 with ./data and the embedded store', () => {
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8000,
      dataDir: './data',
      logLevel: 'info',
    });
    expect(config.mongodbUri).toBeUndefined();
    expect(config.tls).toBeUndefined();
  });

  it('serves one API root api1 as the default', () => {
    expect(config.apiRoots.map((r) => r.path)).toEqual(['api1']);
    expect(config.discovery).toMatchObject({ defaultApiRoot: 'api1', public: false });
    expect(config.apiRoots[0]).toMatchObject({
      maxContentLength: 10 * 1024 * 1024,
      defaultLimit: 100,
      maxLimit: 1000,
    });
  });

  it('declares one default collection that analysts read and write', () => {
    expect(config.usesDefaultCollections).toBe(true);
    expect(config.collections).toEqual([
      expect.objectContaining({
        id: DEFAULT_COLLECTION_ID,
        apiRoot: 'api1',
        read: { roles: ['analyst'], groups: [] },
        write: { roles: ['analyst'], groups: [] },
        validation: 'permissive',
      }),
    ]);
  });

  it('turns CORS off and keeps statuses 72 hours', () => {
    expect(config.cors.allowOrigins).toEqual([]);
    expect(config.status.retentionHours).toBe(72);
  });

  it('is deeply frozen', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.apiRoots[0])).toBe(true);
    expect(Object.isFrozen(config.collections[0]!.read.roles)).toBe(true);
  });
});

describe('environment', () => {
  it('reads HOST, PORT, DATA_DIR, MONGODB_URI and the secret files', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '9443',
      DATA_DIR: '/var/lib/stixgate',
      MONGODB_URI: 'mongodb://db:27017/stixgate',
      STIXGATE_CURSOR_SECRET_FILE: '/run/secrets/cursor',
      STIXGATE_JWT_SECRET_FILE: '/run/secrets/jwt',
      STIXGATE_LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9443,
      dataDir: '/var/lib/stixgate',
      mongodbUri: 'mongodb://db:27017/stixgate',
      cursorSecretFile: '/run/secrets/cursor',
      logLevel: 'warn',
    });
    expect(config.auth.jwtSecretFile).toBe('/run/secrets/jwt');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ MONGODB_URI: 'postgres://x' }, 'MONGODB_URI'],
    [{ STIXGATE_LOG_LEVEL: 'loud' }, 'STIXGATE_LOG_LEVEL'],
  ])('names the bad variable in %j', (env, key) => {
    expect(keyOf(() => loadConfig(env))).toBe(key);
  });
});

describe('configuration file', () => {
  const file = {
    discovery: {
      title: 'CERT feed',
      description: 'd',
      contact: 'c',
      default: 'feeds',
      public: true,
    },
    api_roots: [
      {
        path: 'feeds',
        title: 'Feeds',
        max_content_length: 2048,
        default_limit: 10,
        max_limit: 50,
        max_objects_per_request: 500,
      },
      { path: 'intake', title: 'Intake' },
    ],
    collections: [
      {
        id: UUID_A,
        api_root: 'feeds',
        title: 'Indicators',
        alias: 'indicators',
        read: { roles: ['analyst'], groups: ['banks'] },
        write: { roles: ['analyst'] },
        validation: 'strict',
        default_tlp: 'green',
        partner_title: 'Shared indicators',
      },
      { id: UUID_B, api_root: 'intake', title: 'Reports', alias: 'indicators' },
    ],
    status: { retention_hours: 48 },
    cors: { allow_origins: ['https://tool.example.org'] },
    tls: { cert_file: 'tls/cert.pem', key_file: '/abs/key.pem' },
  };

  it('reads YAML and JSON alike', () => {
    const fromJson = loadConfig({}, json(file), '/etc/stixgate/config.json');
    const fromYaml = loadConfig(
      {},
      `discovery:\n  title: CERT feed\n`,
      '/etc/stixgate/config.yaml',
    );
    expect(fromJson.discovery.title).toBe('CERT feed');
    expect(fromYaml.discovery.title).toBe('CERT feed');
  });

  it('reads every key', () => {
    const config = loadConfig({}, json(file), '/etc/stixgate/config.json');
    expect(config.discovery).toEqual({
      title: 'CERT feed',
      description: 'd',
      contact: 'c',
      defaultApiRoot: 'feeds',
      public: true,
    });
    expect(config.apiRoots).toEqual([
      {
        path: 'feeds',
        title: 'Feeds',
        maxContentLength: 2048,
        defaultLimit: 10,
        maxLimit: 50,
        maxObjectsPerRequest: 500,
      },
      {
        path: 'intake',
        title: 'Intake',
        maxContentLength: 10 * 1024 * 1024,
        defaultLimit: 100,
        maxLimit: 1000,
        maxObjectsPerRequest: 100_000,
      },
    ]);
    expect(config.collections[0]).toEqual({
      id: UUID_A,
      apiRoot: 'feeds',
      title: 'Indicators',
      alias: 'indicators',
      read: { roles: ['analyst'], groups: ['banks'] },
      write: { roles: ['analyst'], groups: [] },
      validation: 'strict',
      defaultTlp: 'green',
      partnerTitle: 'Shared indicators',
    });
    expect(config.usesDefaultCollections).toBe(false);
    expect(config.status.retentionHours).toBe(48);
    expect(config.cors.allowOrigins).toEqual(['https://tool.example.org']);
    expect(config.configFile).toBe('/etc/stixgate/config.json');
  });

  it('resolves file paths relative to the configuration file', () => {
    const config = loadConfig({}, json(file), '/etc/stixgate/config.json');
    expect(config.tls).toEqual({ certFile: '/etc/stixgate/tls/cert.pem', keyFile: '/abs/key.pem' });
  });

  it('lets the same alias live in two API roots', () => {
    expect(loadConfig({}, json(file), 'c.json').collections.map((c) => c.alias)).toEqual([
      'indicators',
      'indicators',
    ]);
  });

  it('accepts an empty file', () => {
    expect(loadConfig({}, '', 'empty.yaml').apiRoots[0]?.path).toBe('api1');
  });

  const collection = { id: UUID_A, title: 'T' };
  it.each([
    ['an unknown top-level key', { colections: [] }, 'colections'],
    ['an unknown discovery key', { discovery: { titel: 'x' } }, 'discovery.titel'],
    ['a default outside api_roots', { discovery: { default: 'nope' } }, 'discovery.default'],
    ['an empty api_roots list', { api_roots: [] }, 'api_roots'],
    [
      'an API root path with a slash',
      { api_roots: [{ path: 'a/b', title: 't' }] },
      'api_roots[0].path',
    ],
    [
      'a reserved API root path',
      { api_roots: [{ path: 'taxii2', title: 't' }] },
      'api_roots[0].path',
    ],
    [
      'an API root the review console would hide',
      { api_roots: [{ path: 'console', title: 't' }] },
      'api_roots[0].path',
    ],
    [
      'an API root the OpenAPI document would hide',
      { api_roots: [{ path: 'openapi.json', title: 't' }] },
      'api_roots[0].path',
    ],
    [
      'a duplicate API root',
      {
        api_roots: [
          { path: 'a', title: 't' },
          { path: 'a', title: 't' },
        ],
      },
      'api_roots[1].path',
    ],
    ['a missing API root title', { api_roots: [{ path: 'a' }] }, 'api_roots[0].title'],
    [
      'a zero max_content_length',
      { api_roots: [{ path: 'a', title: 't', max_content_length: 0 }] },
      'api_roots[0].max_content_length',
    ],
    [
      'default_limit above max_limit',
      { api_roots: [{ path: 'a', title: 't', default_limit: 20, max_limit: 10 }] },
      'api_roots[0].default_limit',
    ],
    [
      'max_objects_per_request of zero',
      { api_roots: [{ path: 'a', title: 't', max_objects_per_request: 0 }] },
      'api_roots[0].max_objects_per_request',
    ],
    [
      'a collection id that is not a UUID',
      { collections: [{ ...collection, id: 'abc' }] },
      'collections[0].id',
    ],
    ['a duplicate collection id', { collections: [collection, collection] }, 'collections[1].id'],
    [
      'a collection in an unknown API root',
      { collections: [{ ...collection, api_root: 'nope' }] },
      'collections[0].api_root',
    ],
    [
      'an unknown role',
      { collections: [{ ...collection, read: { roles: ['guest'] } }] },
      'collections[0].read.roles[0]',
    ],
    [
      'an unknown access key',
      { collections: [{ ...collection, read: { users: ['x'] } }] },
      'collections[0].read.users',
    ],
    [
      'a bad validation mode',
      { collections: [{ ...collection, validation: 'lenient' }] },
      'collections[0].validation',
    ],
    [
      'a bad default TLP',
      { collections: [{ ...collection, default_tlp: 'white' }] },
      'collections[0].default_tlp',
    ],
    [
      'an unknown collection key',
      { collections: [{ ...collection, owner: 'x' }] },
      'collections[0].owner',
    ],
    ['a retention under 24 hours', { status: { retention_hours: 1 } }, 'status.retention_hours'],
    ['a CORS wildcard', { cors: { allow_origins: ['*'] } }, 'cors.allow_origins[0]'],
    ['a TLS key without certificate', { tls: { key_file: 'k.pem' } }, 'tls.cert_file'],
    ['a title that is not a string', { discovery: { title: 5 } }, 'discovery.title'],
    ['public that is not a boolean', { discovery: { public: 'yes' } }, 'discovery.public'],
  ])('names the key for %s', (_what, value, key) => {
    expect(keyOf(() => loadConfig({}, json(value), 'c.json'))).toBe(key);
  });

  it('names a duplicate alias within one API root', () => {
    const value = {
      collections: [
        { id: UUID_A, title: 'a', alias: 'x' },
        { id: UUID_B, title: 'b', alias: 'x' },
      ],
    };
    expect(() => loadConfig({}, json(value), 'c.json')).toThrow(
      'collections[1].alias: duplicate in api root "api1"',
    );
  });

  it('reports a file that does not parse', () => {
    expect(keyOf(() => loadConfig({}, '{ not json', 'broken.json'))).toBe('broken.json');
    expect(keyOf(() => loadConfig({}, 'a: [', 'broken.yaml'))).toBe('broken.yaml');
  });

  it('refuses a file whose top level is not a mapping', () => {
    expect(keyOf(() => loadConfig({}, '- a\n- b\n', 'list.yaml'))).toBe('list.yaml');
  });
});
