// TAXII 2.1 §5.1 collections and §5.2 collection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, startTestServer, type TestServer } from '../support/start-server.js';
import { TAXII } from '../support/taxii-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface CollectionBody {
  id: string;
  title: string;
  description?: string;
  alias?: string;
  can_read: boolean;
  can_write: boolean;
  media_types: string[];
}

async function list(token: string): Promise<CollectionBody[]> {
  const res = await server.as(token).get('/api1/collections/');
  expect(res.status).toBe(200);
  return (res.body as { collections?: CollectionBody[] }).collections ?? [];
}

describe('GET /{api-root}/collections/', () => {
  it('lists the collections an analyst can read or write, with the required fields', async () => {
    const collections = await list(server.tokens.analyst);
    expect(collections.map((c) => c.alias)).toEqual(['rw', 'ro', 'wo', 'partners']);
    expect(collections[0]).toEqual({
      id: COLLECTIONS.rw.id,
      title: 'Read-write',
      description: 'analysts read and write',
      alias: 'rw',
      can_read: true,
      can_write: true,
      media_types: ['application/stix+json;version=2.1'],
    });
  });

  it('reports can_read and can_write per collection', async () => {
    const byAlias = Object.fromEntries(
      (await list(server.tokens.analyst)).map((c) => [c.alias, [c.can_read, c.can_write]]),
    );
    expect(byAlias).toEqual({
      rw: [true, true],
      ro: [true, false],
      wo: [false, true],
      partners: [true, true],
    });
  });

  it('lists every collection for an admin', async () => {
    expect((await list(server.tokens.admin)).map((c) => c.alias)).toEqual([
      'rw',
      'ro',
      'wo',
      'hidden',
      'partners',
    ]);
  });

  it('keeps the same order on every request', async () => {
    const first = await list(server.tokens.admin);
    const second = await list(server.tokens.admin);
    expect(second.map((c) => c.id)).toEqual(first.map((c) => c.id));
  });

  it('shows partners only their collections, with the partner title', async () => {
    const collections = await list(server.tokens.partner);
    expect(collections).toEqual([
      {
        id: COLLECTIONS.partners.id,
        title: 'Shared indicators',
        alias: 'partners',
        can_read: true,
        can_write: false,
        media_types: ['application/stix+json;version=2.1'],
      },
    ]);
  });

  it('answers an empty resource when the caller sees no collection', async () => {
    const res = await server.as(server.tokens.partnerOther).get('/api1/collections/');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });

  it('answers 404 for an unknown API root', async () => {
    expect((await server.client.get('/nope/collections/')).status).toBe(404);
  });

  it('answers 401 without credentials', async () => {
    expect((await server.as(undefined).get('/api1/collections/')).status).toBe(401);
  });
});

describe('GET /{api-root}/collections/{id}/', () => {
  it('answers one collection by id', async () => {
    const res = await server.client.get(`/api1/collections/${COLLECTIONS.ro.id}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TAXII);
    expect(res.body).toMatchObject({
      id: COLLECTIONS.ro.id,
      title: 'Read-only',
      can_read: true,
      can_write: false,
    });
  });

  it('answers one collection by alias', async () => {
    const res = await server.client.get('/api1/collections/ro/');
    expect(res.status).toBe(200);
    expect((res.body as CollectionBody).id).toBe(COLLECTIONS.ro.id);
  });

  it('answers 404 for a collection the caller can neither read nor write, like a missing one', async () => {
    const hidden = await server.client.get(`/api1/collections/${COLLECTIONS.hidden.id}/`);
    const missing = await server.client.get(
      '/api1/collections/99999999-9999-4999-8999-999999999999/',
    );
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.text.replace(COLLECTIONS.hidden.id, 'X')).toBe(
      missing.text.replace('99999999-9999-4999-8999-999999999999', 'X'),
    );
  });

  it('answers 404 for a collection of another API root', async () => {
    expect((await server.client.get(`/api1/collections/${COLLECTIONS.small.id}/`)).status).toBe(
      404,
    );
  });

  it('answers 401 without credentials', async () => {
    expect((await server.as(undefined).get(`/api1/collections/${COLLECTIONS.rw.id}/`)).status).toBe(
      401,
    );
  });
});
