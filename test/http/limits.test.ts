// Abuse limits over real HTTP: the per-principal request rate (429 + Retry-After, one
// principal's flood never limits another), the concurrency cap (503 + Retry-After), and
// trust_proxy deciding which address the failure limiter counts.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CONFIG, startTestServer, type TestServer } from '../support/start-server.js';
import { TAXII, taxiiRequest } from '../support/taxii-client.js';
import { mintToken, nowSeconds } from '../support/tokens.js';

function get(server: TestServer, token: string, headers: Record<string, string> = {}) {
  return taxiiRequest('GET', `${server.url}/api1/collections/`, undefined, { token, headers });
}

describe('per-principal request rate', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      config: { ...TEST_CONFIG, limits: { principal_requests_per_minute: 5 } },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 429 with Retry-After past the allowance, for that principal only', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await get(server, server.tokens.analyst)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await get(server, server.tokens.analyst);
    expect(limited.headers.get('content-type')).toBe(TAXII);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ http_status: '429' });
    // Another token of the same subject is the same principal; another subject is not.
    expect((await get(server, mintToken({ sub: 'analyst-1', role: 'analyst' }))).status).toBe(429);
    expect((await get(server, server.tokens.analyst2)).status).toBe(200);
  });
});

describe('concurrency cap', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      config: { ...TEST_CONFIG, limits: { max_concurrent_requests: 1 } },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 503 with Retry-After while the cap is taken, and serves again once it is free', async () => {
    const { hostname, port } = new URL(server.url);
    // A POST whose body never finishes holds the only slot.
    const slow = connect(Number(port), hostname);
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    slow.write(
      `POST /api1/collections/11111111-1111-4111-8111-111111111111/objects/ HTTP/1.1\r\nHost: x\r\nContent-Type: ${TAXII}\r\nAccept: ${TAXII}\r\nAuthorization: Bearer ${server.tokens.analyst}\r\nContent-Length: 100\r\n\r\n{"objects"`,
    );
    let busy = await get(server, server.tokens.analyst2);
    for (let i = 0; i < 20 && busy.status !== 503; i++) {
      await new Promise((r) => setTimeout(r, 100));
      busy = await get(server, server.tokens.analyst2);
    }
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(busy.body).toMatchObject({ http_status: '503' });
    slow.destroy();
    let served = await get(server, server.tokens.analyst2);
    for (let i = 0; i < 20 && served.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      served = await get(server, server.tokens.analyst2);
    }
    expect(served.status).toBe(200);
  });
});

describe('trust_proxy', () => {
  const bad = () => mintToken({ exp: nowSeconds() - 3600 });

  it('without it, X-Forwarded-For is ignored: the socket address is throttled', async () => {
    const server = await startTestServer({
      config: { ...TEST_CONFIG, auth: { rate_limit: { failures: 2, window_seconds: 600 } } },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await get(server, bad(), { 'X-Forwarded-For': `203.0.113.${i}` })).status);
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await server.close();
    }
  });

  it('with the proxy trusted, each forwarded client has its own allowance, and a client cannot forge one', async () => {
    const server = await startTestServer({
      config: {
        ...TEST_CONFIG,
        trust_proxy: ['127.0.0.0/8'],
        auth: { rate_limit: { failures: 2, window_seconds: 600 } },
      },
    });
    try {
      const as = (xff: string) => get(server, bad(), { 'X-Forwarded-For': xff });
      expect([(await as('203.0.113.1')).status, (await as('203.0.113.1')).status]).toEqual([
        401, 401,
      ]);
      expect((await as('203.0.113.1')).status).toBe(429);
      // A forged left-most entry changes nothing: the proxy appended the real client.
      expect((await as('198.51.100.9, 203.0.113.1')).status).toBe(429);
      expect((await as('203.0.113.2')).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
