// TAXII 2.1 §4.2 API root resource.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SMALL_MAX_CONTENT_LENGTH,
  startTestServer,
  type TestServer,
} from '../support/start-server.js';
import { TAXII } from '../support/taxii-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('GET /{api-root}/', () => {
  it('answers title, description, versions and max_content_length', async () => {
    const res = await server.client.get('/api1/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TAXII);
    expect(res.body).toEqual({
      title: 'API root one',
      description: 'main root',
      versions: ['application/taxii+json;version=2.1'],
      max_content_length: 10 * 1024 * 1024,
    });
  });

  it('reports the configured max_content_length of each root', async () => {
    const res = await server.client.get('/small/');
    expect((res.body as { max_content_length: number }).max_content_length).toBe(
      SMALL_MAX_CONTENT_LENGTH,
    );
  });

  it('answers 404 with an error message for an unknown API root', async () => {
    const res = await server.client.get('/nope/');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ title: 'Not found', http_status: '404' });
  });

  it('answers 401 without credentials', async () => {
    expect((await server.as(undefined).get('/api1/')).status).toBe(401);
  });

  it('answers 404 for the root path without its trailing slash', async () => {
    expect((await server.client.get('/api1')).status).toBe(404);
  });
});

describe('default configuration', () => {
  let bare: TestServer;
  beforeAll(async () => {
    bare = await startTestServer({ config: null });
  });
  afterAll(async () => {
    await bare.close();
  });

  it('serves API root api1 with one empty default collection readable by analysts', async () => {
    const root = await bare.client.get('/api1/');
    expect(root.status).toBe(200);
    const list = await bare.client.get('/api1/collections/');
    const collections = (
      list.body as {
        collections: { id: string; alias: string; can_read: boolean; can_write: boolean }[];
      }
    ).collections;
    expect(collections).toHaveLength(1);
    expect(collections[0]).toMatchObject({ alias: 'default', can_read: true, can_write: true });
    const objects = await bare.client.get(`/api1/collections/${collections[0]!.id}/objects/`);
    expect(objects.status).toBe(200);
    expect(objects.body).toEqual({});
  });
});
