// Security headers, request ids, CORS (off by default, allow-list when configured), health.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_CONFIG, type TestServer } from '../support/start-server.js';
import { TAXII } from '../support/taxii-client.js';
import { checkedFetch } from '../support/checked-fetch.js';

let server: TestServer;
let withCors: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  withCors = await startTestServer({
    config: { ...TEST_CONFIG, cors: { allow_origins: ['https://tool.example.org'] } },
  });
});
afterAll(async () => {
  await server.close();
  await withCors.close();
});

describe('response headers', () => {
  it('sends security headers and no X-Powered-By', async () => {
    const res = await server.client.get('/api1/');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('sends a request id, keeping a sane inbound one', async () => {
    expect((await server.client.get('/api1/')).headers.get('x-request-id')).toMatch(
      /^[0-9a-f-]{36}$/,
    );
    expect(
      (await server.client.get('/api1/', { headers: { 'X-Request-Id': 'abc-123' } })).headers.get(
        'x-request-id',
      ),
    ).toBe('abc-123');
  });

  it('answers without a User-Agent (TAXII 2.1 §8.2.1 SHOULD not reject)', async () => {
    const res = await checkedFetch(`${server.url}/api1/`, {
      headers: {
        Accept: TAXII,
        Authorization: `Bearer ${server.tokens.analyst}`,
        'User-Agent': '',
      },
    });
    expect(res.status).toBe(200);
  });
});

describe('CORS', () => {
  it('is off by default', async () => {
    const res = await server.client.get('/api1/', {
      headers: { Origin: 'https://tool.example.org' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows a listed origin and exposes the TAXII headers', async () => {
    const res = await withCors.client.get('/api1/', {
      headers: { Origin: 'https://tool.example.org' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://tool.example.org');
    expect(res.headers.get('access-control-expose-headers')).toContain('X-TAXII-Date-Added-Last');
  });

  it('ignores an origin that is not listed', async () => {
    const res = await withCors.client.get('/api1/', {
      headers: { Origin: 'https://evil.example' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight from a listed origin without credentials', async () => {
    const res = await checkedFetch(`${withCors.url}/api1/collections/`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://tool.example.org',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toContain('Authorization');
  });
});

describe('GET /healthz', () => {
  it('answers 200 without credentials and without TAXII headers', async () => {
    const res = await checkedFetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });
});
