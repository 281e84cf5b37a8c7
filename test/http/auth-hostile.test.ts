// Hostile credentials over real HTTP: every malformed token is a counted 401 (never a 500),
// `crit` is enforced, several Authorization headers are refused, and the failed-auth limiter
// sheds the failing credentials without locking out a valid token from the same address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CONFIG, startTestServer, type TestServer } from '../support/start-server.js';
import { rawHttp, rawRequestText } from '../support/raw-http.js';
import { TAXII, taxiiRequest } from '../support/taxii-client.js';
import { defaultClaims, mintToken, segment, signSegments } from '../support/tokens.js';

// Signed with the server's own secret (signSegments' default): only the defect under test can
// make a token fail.
const validClaims = () => JSON.stringify(defaultClaims());

/** Tokens that must all be refused: each is a distinct way of being malformed. */
const HOSTILE: [string, () => string][] = [
  ['payload not JSON (typ JWT)', () => signSegments('{"alg":"HS256","typ":"JWT"}', 'not json')],
  ['payload not JSON (no typ)', () => signSegments('{"alg":"HS256"}', '{"sub":')],
  ['payload a JSON string', () => signSegments('{"alg":"HS256","typ":"JWT"}', '"admin"')],
  ['payload null', () => signSegments('{"alg":"HS256","typ":"JWT"}', 'null')],
  ['payload an array', () => signSegments('{"alg":"HS256","typ":"JWT"}', '[1,2]')],
  ['header an array', () => signSegments('[]', validClaims())],
  ['header not JSON', () => signSegments('{alg:HS256}', validClaims())],
  [
    'header not UTF-8',
    () => `${Buffer.from([0xff, 0xfe]).toString('base64url')}.${segment('{}')}.c2ln`,
  ],
  ['alg a number', () => signSegments('{"alg":256}', validClaims())],
  ['kid an object', () => signSegments('{"alg":"HS256","kid":{"a":1}}', validClaims())],
  [
    'crit unknown',
    () => signSegments('{"alg":"HS256","crit":["x-stixgate"],"x-stixgate":1}', validClaims()),
  ],
  ['crit empty', () => signSegments('{"alg":"HS256","crit":[]}', validClaims())],
  ['crit not an array', () => signSegments('{"alg":"HS256","crit":"exp"}', validClaims())],
  ['b64 false', () => signSegments('{"alg":"HS256","b64":false,"crit":["b64"]}', validClaims())],
  [
    'exp a string',
    () => signSegments('{"alg":"HS256"}', JSON.stringify({ ...defaultClaims(), exp: 'never' })),
  ],
  ['non-canonical base64url', () => `${signSegments('{"alg":"HS256"}', validClaims())}B`],
  ['four parts', () => `${signSegments('{"alg":"HS256"}', validClaims())}.e30`],
];

describe('malformed tokens', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      config: { ...TEST_CONFIG, auth: { rate_limit: { failures: 1000 } } },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(HOSTILE)('answers a TAXII 401 to a token whose %s', async (_what, make) => {
    const res = await taxiiRequest('GET', `${server.url}/api1/collections/`, undefined, {
      token: make(),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe(TAXII);
    expect(res.body).toEqual({
      title: expect.any(String) as unknown,
      description: expect.any(String) as unknown,
      http_status: '401',
    });
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('serves the same request with a well-formed token (the refusals are the defects)', async () => {
    const res = await taxiiRequest('GET', `${server.url}/api1/collections/`, undefined, {
      token: signSegments('{"alg":"HS256","typ":"JWT"}', validClaims()),
    });
    expect(res.status).toBe(200);
  });

  it('refuses a request with two Authorization headers, even when both are valid', async () => {
    const token = server.tokens.analyst;
    for (const pair of [
      [token, token],
      [token, 'garbage'],
      ['garbage', token],
    ]) {
      const res = await rawHttp(
        server.url,
        rawRequestText('GET', '/api1/collections/', [
          'Host: 127.0.0.1',
          `Accept: ${TAXII}`,
          `Authorization: Bearer ${pair[0]!}`,
          `Authorization: Bearer ${pair[1]!}`,
        ]),
      );
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe(TAXII);
      expect(res.body).toMatchObject({ http_status: '400' });
    }
    const one = await rawHttp(
      server.url,
      rawRequestText('GET', '/api1/collections/', [
        'Host: 127.0.0.1',
        `Accept: ${TAXII}`,
        `Authorization: Bearer ${token}`,
      ]),
    );
    expect(one.status).toBe(200);
  });
});

describe('failure limiter over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      config: { ...TEST_CONFIG, auth: { rate_limit: { failures: 5, window_seconds: 600 } } },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('counts malformed tokens as failures, then throttles them with 429, while a valid token from the same address is served every time', async () => {
    const statuses: number[] = [];
    const served: number[] = [];
    for (let i = 0; i < 12; i++) {
      const bad = await taxiiRequest('GET', `${server.url}/api1/collections/`, undefined, {
        token: HOSTILE[i % HOSTILE.length]![1](),
      });
      statuses.push(bad.status);
      if (bad.status === 429) expect(Number(bad.headers.get('retry-after'))).toBeGreaterThan(0);
      const good = await taxiiRequest('GET', `${server.url}/api1/collections/`, undefined, {
        token: mintToken({ sub: 'analyst-1', role: 'analyst' }),
      });
      served.push(good.status);
    }
    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(7).fill(429)]);
    expect(served).toEqual(Array<number>(12).fill(200));
  });
});
