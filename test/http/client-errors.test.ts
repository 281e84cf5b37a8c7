// Requests node:http refuses before the app runs still answer as TAXII errors; wrong methods
// answer 405 with Allow, OPTIONS answers Allow; Host is required once.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CONFIG, startTestServer, type TestServer } from '../support/start-server.js';
import { rawHttp, rawRequestText, type RawResponse } from '../support/raw-http.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

function rawRequest(text: string): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(text));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

function parse(response: string): { status: number; headers: string; body: unknown } {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  return {
    status: Number(head.split(' ')[1]),
    headers: head.toLowerCase(),
    body: JSON.parse(body),
  };
}

describe('requests refused by the HTTP parser', () => {
  it('answers 431 with a TAXII error and security headers when the headers exceed 16 KiB', async () => {
    const res = parse(
      await rawRequest(`GET /taxii2/ HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
    );
    expect(res.status).toBe(431);
    expect(res.headers).toContain('content-type: application/taxii+json;version=2.1');
    expect(res.headers).toContain('x-content-type-options: nosniff');
    expect(res.body).toEqual({
      title: 'Request headers too large',
      description: 'the request headers exceed 16 KiB',
      http_status: '431',
    });
  });

  it('answers 400 with a TAXII error to a malformed request line', async () => {
    const res = parse(await rawRequest('GARBAGE\r\n\r\n'));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ http_status: '400' });
  });
});

const TAXII_TYPE = 'application/taxii+json;version=2.1';
const OBJECT_ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const C = '11111111-1111-4111-8111-111111111111';

/** Every TAXII endpoint shape with the methods it answers. */
const ENDPOINTS: [string, string[]][] = [
  ['/taxii2/', ['GET', 'HEAD', 'OPTIONS']],
  ['/api1/', ['GET', 'HEAD', 'OPTIONS']],
  ['/api1/status/2d086da7-4bdc-4f91-900e-d77486753710/', ['GET', 'HEAD', 'OPTIONS']],
  ['/api1/collections/', ['GET', 'HEAD', 'OPTIONS']],
  [`/api1/collections/${C}/`, ['GET', 'HEAD', 'OPTIONS']],
  [`/api1/collections/${C}/manifest/`, ['GET', 'HEAD', 'OPTIONS']],
  [`/api1/collections/${C}/objects/`, ['GET', 'HEAD', 'POST', 'OPTIONS']],
  [`/api1/collections/${C}/objects/${OBJECT_ID}/`, ['GET', 'HEAD', 'DELETE', 'OPTIONS']],
  [`/api1/collections/${C}/objects/${OBJECT_ID}/versions/`, ['GET', 'HEAD', 'OPTIONS']],
  [`/api1/collections/${C}/objects/${OBJECT_ID}/revoke/`, ['POST', 'OPTIONS']],
];

function send(method: string, path: string, lines: string[] = []): Promise<RawResponse> {
  return rawHttp(
    server.url,
    rawRequestText(method, path, [
      'Host: 127.0.0.1',
      `Accept: ${TAXII_TYPE}`,
      `Authorization: Bearer ${server.tokens.admin}`,
      ...lines,
    ]),
  );
}

function expectTaxiiError(res: RawResponse, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe(TAXII_TYPE);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.body).toEqual({
    title: expect.any(String) as unknown,
    description: expect.any(String) as unknown,
    http_status: String(status),
  });
}

describe('methods', () => {
  it.each(ENDPOINTS)('answers 405 with Allow to every other method on %s', async (path, allow) => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      if (allow.includes(method)) continue;
      const res = await send(method, path);
      expectTaxiiError(res, 405);
      expect(res.headers.allow).toBe(allow.join(', '));
    }
  });

  it.each(ENDPOINTS)(
    'answers OPTIONS on %s with 204 and Allow, no text/plain body',
    async (path, allow) => {
      const res = await send('OPTIONS', path);
      expect(res.status).toBe(204);
      expect(res.headers.allow).toBe(allow.join(', '));
      expect(res.headers['content-type']).toBeUndefined();
      expect(res.text).toBe('');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    },
  );

  it('answers OPTIONS on a path that is no endpoint with a TAXII 404', async () => {
    expectTaxiiError(await send('OPTIONS', '/nowhere/at/all/here/x/y/z/'), 404);
    expectTaxiiError(await send('OPTIONS', '/api1/collections'), 404);
  });

  it('makes up no TAXII Allow for an admin path shaped like a TAXII one', async () => {
    // `/admin/collections/` has the shape of an API root's collections; it is the admin API.
    for (const path of ['/admin/collections/', '/admin/groups/']) {
      const res = await send('OPTIONS', path);
      expectTaxiiError(res, 404);
      expect(res.headers.allow).toBeUndefined();
    }
  });

  it('still answers 404, not 405, to a wrong method on a path that is no endpoint', async () => {
    expectTaxiiError(await send('PUT', '/api1/collections/x/y/'), 404);
  });
});

describe('responses node:http would build itself', () => {
  it('answers an unknown Expect with a TAXII 417', async () => {
    expectTaxiiError(await send('GET', '/taxii2/', ['Expect: teapot']), 417);
  });

  it('answers an HTTP/1.1 request without Host with a TAXII 400', async () => {
    const res = await rawHttp(
      server.url,
      `GET /taxii2/ HTTP/1.1\r\nAccept: ${TAXII_TYPE}\r\nConnection: close\r\n\r\n`,
    );
    expectTaxiiError(res, 400);
  });

  it('answers two Host headers with a TAXII 400 (RFC 9112 §3.2), one with 200', async () => {
    expectTaxiiError(await send('GET', '/taxii2/', ['Host: evil.example']), 400);
    expect((await send('GET', '/taxii2/')).status).toBe(200);
  });

  it('serves HTTP/1.0 without Host', async () => {
    const res = await rawHttp(
      server.url,
      `GET /taxii2/ HTTP/1.0\r\nAccept: ${TAXII_TYPE}\r\nAuthorization: Bearer ${server.tokens.admin}\r\n\r\n`,
    );
    expect(res.status).toBe(200);
  });
});

describe('CORS on OPTIONS, when configured', () => {
  let cors: TestServer;
  beforeAll(async () => {
    cors = await startTestServer({
      config: { ...TEST_CONFIG, cors: { allow_origins: ['https://console.example'] } },
    });
  });
  afterAll(async () => {
    await cors.close();
  });

  it('adds the CORS headers for a listed origin, and Allow', async () => {
    const res = await rawHttp(
      cors.url,
      rawRequestText('OPTIONS', '/taxii2/', ['Host: 127.0.0.1', 'Origin: https://console.example']),
    );
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(res.headers['access-control-allow-origin']).toBe('https://console.example');
    const other = await rawHttp(
      cors.url,
      rawRequestText('OPTIONS', '/taxii2/', ['Host: 127.0.0.1', 'Origin: https://evil.example']),
    );
    expect(other.status).toBe(204);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
