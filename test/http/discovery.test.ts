// TAXII 2.1 §4.1 discovery over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/start-server.js';
import { TAXII } from '../support/taxii-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('GET /taxii2/', () => {
  it('answers the discovery resource with title, default and api_roots', async () => {
    const res = await server.client.get('/taxii2/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TAXII);
    expect(res.body).toEqual({
      title: 'stixgate test server',
      description: 'for tests',
      contact: 'cert@example.org',
      default: '/api1/',
      api_roots: ['/api1/', '/small/'],
    });
  });

  it('lists a default that is one of api_roots', async () => {
    const body = (await server.client.get('/taxii2/')).body as {
      default: string;
      api_roots: string[];
    };
    expect(body.api_roots).toContain(body.default);
  });

  it('gives /-relative API root URLs without a query', async () => {
    const body = (await server.client.get('/taxii2/')).body as { api_roots: string[] };
    for (const root of body.api_roots) expect(root).toMatch(/^\/[^?]*\/$/);
  });

  it('requires authentication unless discovery is public', async () => {
    const res = await server.as(undefined).get('/taxii2/');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="stixgate", Basic realm="stixgate"',
    );
  });

  it('answers 404 for /taxii2 without the trailing slash', async () => {
    const res = await server.client.get('/taxii2');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe(TAXII);
  });

  it('answers 400 for a query parameter discovery does not take', async () => {
    expect((await server.client.get('/taxii2/', { query: 'limit=1' })).status).toBe(400);
  });
});

describe('public discovery', () => {
  let open: TestServer;
  beforeAll(async () => {
    open = await startTestServer({ config: { discovery: { title: 'open', public: true } } });
  });
  afterAll(async () => {
    await open.close();
  });

  it('answers without credentials when discovery.public is true', async () => {
    const res = await open.as(undefined).get('/taxii2/');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ title: 'open', default: '/api1/', api_roots: ['/api1/'] });
  });

  it('still requires authentication for the API root', async () => {
    expect((await open.as(undefined).get('/api1/')).status).toBe(401);
  });
});
