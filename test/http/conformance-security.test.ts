// Security defaults over real HTTP: loopback-only by default, no default credentials, the
// security headers on every response (errors included), 401 + challenge on every TAXII
// endpoint without valid credentials (TAXII 2.1 §1.6.9, §8.2.2), and logs that never hold a
// credential or an object body.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import jwt from 'jsonwebtoken';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/http/logger.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { makeEnvelope, makeIndicator, type StixObject } from '../support/builders.js';
import {
  backendEnv,
  collectionPath,
  SMALL_MAX_CONTENT_LENGTH,
  startTestServer,
  TEST_CONFIG,
  type TestServer,
} from '../support/start-server.js';
import { TAXII, taxiiRequest, type TaxiiResponse } from '../support/taxii-client.js';
import { basicHeader, mintToken, nowSeconds } from '../support/tokens.js';
import { checkedFetch } from '../support/checked-fetch.js';

const CHALLENGE = 'Bearer realm="stixgate", Basic realm="stixgate"';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** startServer exactly as `npm start` does, with only DATA_DIR (and the test backend) set. */
async function startBare(): Promise<{ running: RunningServer; dataDir: string }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'stixgate-sec-'));
  const running = await startServer(
    { PORT: '0', DATA_DIR: dataDir, ...backendEnv() },
    { log: createLogger('silent'), print: () => {} },
  );
  cleanups.push(async () => {
    await running.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { running, dataDir };
}

function nonLoopbackAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? [])
      if (info.family === 'IPv4' && !info.internal) return info.address;
  }
  return undefined;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('listening address', () => {
  it('defaults HOST to 127.0.0.1 in the configuration', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
  });

  it('listens on 127.0.0.1 when HOST is not set', async () => {
    const { running } = await startBare();
    const address = running.server.address() as net.AddressInfo;
    expect(address.address).toBe('127.0.0.1');
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('cannot be reached through a non-loopback interface when HOST is not set', async () => {
    const external = nonLoopbackAddress();
    if (external === undefined) return; // no such interface on this machine: nothing to reach
    const { running } = await startBare();
    const port = (running.server.address() as net.AddressInfo).port;
    expect(await connects('127.0.0.1', port)).toBe(true);
    expect(await connects(external, port)).toBe(false);
  });
});

describe('no default credentials', () => {
  const guesses: [string, string][] = [
    ['admin', 'admin'],
    ['admin', 'password'],
    ['admin', ''],
    ['stixgate', 'stixgate'],
    ['taxii', 'taxii'],
    ['user', 'pass'],
    ['root', 'root'],
    ['', ''],
  ];

  it.each(guesses)('refuses Basic %s:%s on a fresh server', async (user, password) => {
    const { running } = await startBare();
    const res = await taxiiRequest('GET', `${running.url}/taxii2/`, undefined, {
      headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
    });
    expect(res.status).toBe(401);
  });

  it.each(['secret', 'changeme', 'stixgate', 'your-256-bit-secret', 'x'])(
    'refuses a token signed with the well-known secret %j',
    async (secret) => {
      const { running } = await startBare();
      const claims = {
        sub: 'x',
        role: 'admin',
        groups: [],
        jti: randomUUID(),
        iss: 'stixgate',
        aud: 'stixgate',
        exp: nowSeconds() + 600,
      };
      const token = jwt.sign(claims, secret, { algorithm: 'HS256' });
      expect((await taxiiRequest('GET', `${running.url}/api1/`, undefined, { token })).status).toBe(
        401,
      );
    },
  );

  it('refuses an anonymous request to every surface, admin API included', async () => {
    const { running } = await startBare();
    for (const urlPath of ['/taxii2/', '/api1/', '/api1/collections/', '/admin/collections/']) {
      expect(
        (await taxiiRequest('GET', `${running.url}${urlPath}`, undefined, {})).status,
        urlPath,
      ).toBe(401);
    }
  });

  it('generates a different signing secret for every fresh data directory', async () => {
    const a = await startBare();
    const b = await startBare();
    const [sa, sb] = await Promise.all([
      readFile(path.join(a.dataDir, 'jwt-secret'), 'utf8'),
      readFile(path.join(b.dataDir, 'jwt-secret'), 'utf8'),
    ]);
    expect(sa.trim().length).toBeGreaterThanOrEqual(32);
    expect(sa).not.toBe(sb);
  });
});

describe('with the test server', () => {
  let server: TestServer;
  const lines: string[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
  const stored = makeIndicator();

  beforeAll(async () => {
    server = await startTestServer({
      config: { ...TEST_CONFIG, auth: { rate_limit: { failures: 10_000 } } },
      start: { log: createLogger('trace', sink) },
    });
    await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(stored));
  });
  afterAll(async () => {
    await server.close();
  });

  /** Every TAXII endpoint, each method it serves, on both API roots. */
  function endpoints(): [string, string][] {
    const id = stored.id;
    const list: [string, string][] = [['GET', '/taxii2/']];
    for (const name of ['rw', 'small'] as const) {
      const root = name === 'rw' ? '/api1/' : '/small/';
      list.push(
        ['GET', root],
        ['GET', `${root}collections/`],
        ['GET', `${root}status/${randomUUID()}/`],
        ['GET', collectionPath(name)],
        ['GET', collectionPath(name, 'objects/')],
        ['POST', collectionPath(name, 'objects/')],
        ['GET', collectionPath(name, 'manifest/')],
        ['GET', collectionPath(name, `objects/${id}/`)],
        ['DELETE', collectionPath(name, `objects/${id}/`)],
        ['GET', collectionPath(name, `objects/${id}/versions/`)],
        ['POST', collectionPath(name, `objects/${id}/revoke/`)],
      );
    }
    // Unknown paths under a root answer 401 too: no 404-vs-401 oracle before authentication.
    list.push(['GET', '/api1/collections/no-such/objects/'], ['GET', '/nope/']);
    return list;
  }

  async function call(
    method: string,
    urlPath: string,
    authorization: string | undefined,
  ): Promise<TaxiiResponse> {
    return taxiiRequest(
      method,
      `${server.url}${urlPath}`,
      method === 'POST' && urlPath.endsWith('/objects/')
        ? makeEnvelope(makeIndicator())
        : undefined,
      {
        headers: authorization === undefined ? {} : { Authorization: authorization },
      },
    );
  }

  const credentials: [string, () => string | undefined][] = [
    ['no credentials', () => undefined],
    ['an invalid Bearer token', () => 'Bearer not.a.token'],
    ['an expired token', () => `Bearer ${mintToken({ exp: nowSeconds() - 60 })}`],
    [
      'Basic with a password that is no token',
      () => `Basic ${Buffer.from('user:password').toString('base64')}`,
    ],
  ];

  describe.each(credentials)('401 with %s', (_what, authorization) => {
    it.each(endpoints())(
      '%s %s answers 401 with WWW-Authenticate and a TAXII error',
      async (method, urlPath) => {
        const res = await call(method, urlPath, authorization());
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe(CHALLENGE);
        expect(res.headers.get('content-type')).toBe(TAXII);
        expect(res.body).toEqual({
          title: 'Authentication required',
          description: expect.any(String) as string,
          http_status: '401',
        });
      },
    );
  });

  it('changed nothing through any of those requests', async () => {
    const res = await server.client.get(collectionPath('rw', `objects/${stored.id}/`), {
      query: 'match[version]=all',
    });
    expect((res.body as { objects: StixObject[] }).objects).toEqual([stored]);
  });

  describe('security headers on every response', () => {
    const expectSecurityHeaders = (res: { headers: Headers; status: number }): void => {
      expect(res.headers.get('x-content-type-options'), String(res.status)).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-request-id')).toMatch(/\S/);
      expect(res.headers.get('x-powered-by')).toBeNull();
    };

    const cases: [string, number, () => Promise<{ headers: Headers; status: number }>][] = [
      ['discovery', 200, () => server.client.get('/taxii2/')],
      ['objects', 200, () => server.client.get(collectionPath('rw', 'objects/'))],
      [
        'a POST',
        202,
        () => server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(makeIndicator())),
      ],
      [
        'a DELETE',
        200,
        async () => {
          const obj = makeIndicator();
          await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(obj));
          return server.client.delete(collectionPath('rw', `objects/${obj.id}/`));
        },
      ],
      [
        'a malformed query',
        400,
        () => server.client.get(collectionPath('rw', 'objects/'), { query: 'match[id][$ne]=x' }),
      ],
      [
        'malformed JSON',
        400,
        () => server.client.post(collectionPath('rw', 'objects/'), '{"objects": ['),
      ],
      ['no credentials', 401, () => server.as(undefined).get('/api1/')],
      ['a forbidden read', 403, () => server.client.get(collectionPath('wo', 'objects/'))],
      ['an unknown collection', 404, () => server.client.get(collectionPath('hidden', 'objects/'))],
      ['a path without trailing slash', 404, () => server.client.get('/api1')],
      ['a bad Accept', 406, () => server.client.get('/api1/', { accept: 'text/html' })],
      [
        'an oversized body',
        413,
        () =>
          server.client.post(
            collectionPath('small', 'objects/'),
            makeEnvelope(makeIndicator({ description: 'x'.repeat(SMALL_MAX_CONTENT_LENGTH) })),
          ),
      ],
      [
        'a bad Content-Type',
        415,
        () =>
          server.client.post(collectionPath('rw', 'objects/'), '{}', { contentType: 'text/plain' }),
      ],
      [
        'an entry without id',
        422,
        () =>
          server.client.post(collectionPath('rw', 'objects/'), makeEnvelope({ type: 'indicator' })),
      ],
      ['the health check', 200, () => checkedFetch(`${server.url}/healthz`)],
      ['an unknown top-level path', 404, () => checkedFetch(`${server.url}/favicon.ico`)],
      [
        'an admin error',
        404,
        () => server.as(server.tokens.admin).get('/admin/nothing/', { accept: 'application/json' }),
      ],
      ['an OPTIONS request', 0, () => checkedFetch(`${server.url}/api1/`, { method: 'OPTIONS' })],
    ];

    it.each(cases)('on %s (%i)', async (_what, status, send) => {
      const res = await send();
      if (status !== 0) expect(res.status).toBe(status);
      expectSecurityHeaders(res);
    });
  });

  describe('request ids', () => {
    it.each([
      ['an over-long one', 'x'.repeat(200)],
      ['markup', '<script>alert(1)</script>'],
      ['spaces and quotes', 'a b "c"'],
    ])(
      'replaces an inbound X-Request-Id with %s by a fresh UUID (no log or header injection)',
      async (_what, inbound) => {
        const res = await server.client.get('/api1/', { headers: { 'X-Request-Id': inbound } });
        expect(res.headers.get('x-request-id')).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        );
      },
    );
  });

  describe('logs', () => {
    it('never hold a token, a Basic credential or posted object content, on success or failure', async () => {
      const marker = `qa-secret-${randomUUID()}`;
      const token = server.tokens.analyst;
      const basic = basicHeader(token, 'misp').authorization;
      const objects = collectionPath('rw', 'objects/');
      const requests: Promise<unknown>[] = [
        taxiiRequest('GET', `${server.url}/api1/`, undefined, {
          headers: { Authorization: basic },
        }),
        taxiiRequest(
          'POST',
          `${server.url}${objects}`,
          makeEnvelope(makeIndicator({ description: marker })),
          { headers: { Authorization: basic } },
        ),
        // Failures that carry the marker in the body: invalid STIX, malformed JSON, conflict, 413, 422.
        server.client.post(
          objects,
          makeEnvelope({ ...makeIndicator({ description: marker }), pattern: 'not a pattern' }),
        ),
        server.client.post(objects, `{"objects": [{"description": "${marker}"`),
        server.client.post(objects, makeEnvelope({ ...stored, name: marker })),
        server.client.post(
          collectionPath('small', 'objects/'),
          makeEnvelope(
            makeIndicator({ description: `${marker}${'x'.repeat(SMALL_MAX_CONTENT_LENGTH)}` }),
          ),
        ),
        server.client.post(objects, makeEnvelope({ type: 'indicator', name: marker })),
        server.client.get(objects, { query: `match[id]=${marker}` }),
        taxiiRequest('GET', `${server.url}/api1/`, undefined, {
          headers: { Authorization: `Bearer ${token.slice(0, -3)}xyz` },
        }),
        taxiiRequest('GET', `${server.url}/api1/`, undefined, {
          headers: { Authorization: `Basic ${Buffer.from(`u:${marker}`).toString('base64')}` },
        }),
      ];
      for (const r of requests) await r;
      const log = lines.join('');
      expect(log).toContain('"path":"/api1/"');
      const [header, payload, signature] = token.split('.');
      expect(log).not.toContain(payload!);
      expect(log).not.toContain(signature!);
      expect(log).not.toContain(`${header!}.`);
      expect(log).not.toContain(basic.slice('Basic '.length, 'Basic '.length + 24));
      expect(log).not.toMatch(/eyJ[\w-]{10,}/);
      expect(log).not.toContain(marker);
      expect(log.toLowerCase()).not.toContain('authorization":"');
    });
  });
});
