// TAXII 2.1 §5.6 GET and §5.7 DELETE of one object.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  at,
  makeEnvelope,
  makeIndicator,
  makeMalware,
  nextVersion,
  type StixObject,
} from '../support/builders.js';
import { collectionPath, startTestServer, type TestServer } from '../support/start-server.js';
import { TAXII } from '../support/taxii-client.js';

let server: TestServer;
const ind = makeIndicator({ created: at(0) });
const indV2 = nextVersion(ind, at(1000), { name: 'v2' });
const indV3 = nextVersion(ind, at(2000), { name: 'v3' });

beforeAll(async () => {
  server = await startTestServer();
  for (const obj of [ind, indV2, indV3])
    await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(obj));
});
afterAll(async () => {
  await server.close();
});

function objectPath(id: string, name: 'rw' | 'ro' | 'wo' | 'hidden' = 'rw'): string {
  return collectionPath(name, `objects/${id}/`);
}

function modifiedOf(body: unknown): string[] {
  return ((body as { objects?: StixObject[] }).objects ?? []).map((o) => String(o.modified));
}

describe('GET object', () => {
  it('answers an envelope with the latest version by default', async () => {
    const res = await server.client.get(objectPath(ind.id));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TAXII);
    expect(res.body).toEqual({ more: false, objects: [indV3] });
    expect(res.headers.get('x-taxii-date-added-first')).toBe(
      res.headers.get('x-taxii-date-added-last'),
    );
  });

  it('answers all versions with match[version]=all', async () => {
    const res = await server.client.get(objectPath(ind.id), { query: 'match[version]=all' });
    expect(modifiedOf(res.body)).toEqual([at(0), at(1000), at(2000)]);
    expect(
      res.headers.get('x-taxii-date-added-first')! < res.headers.get('x-taxii-date-added-last')!,
    ).toBe(true);
  });

  it('answers the first version with match[version]=first', async () => {
    expect(
      modifiedOf(
        (await server.client.get(objectPath(ind.id), { query: 'match[version]=first' })).body,
      ),
    ).toEqual([at(0)]);
  });

  it('answers an exact version', async () => {
    expect(
      modifiedOf(
        (await server.client.get(objectPath(ind.id), { query: `match[version]=${at(1000)}` })).body,
      ),
    ).toEqual([at(1000)]);
  });

  it('pages versions with limit and next', async () => {
    const first = await server.client.get(objectPath(ind.id), {
      query: 'match[version]=all&limit=2',
    });
    const body = first.body as { more: boolean; next: string };
    expect(body.more).toBe(true);
    const second = await server.client.get(objectPath(ind.id), {
      query: `match[version]=all&limit=2&next=${encodeURIComponent(body.next)}`,
    });
    expect(modifiedOf(second.body)).toEqual([at(2000)]);
  });

  it('pages versions with added_after', async () => {
    const first = await server.client.get(objectPath(ind.id), {
      query: 'match[version]=all&limit=1',
    });
    const last = first.headers.get('x-taxii-date-added-last')!;
    const rest = await server.client.get(objectPath(ind.id), {
      query: `match[version]=all&added_after=${last}`,
    });
    expect(modifiedOf(rest.body)).toEqual([at(1000), at(2000)]);
  });

  it('filters by spec_version', async () => {
    expect(
      (await server.client.get(objectPath(ind.id), { query: 'match[spec_version]=2.0' })).status,
    ).toBe(404);
    expect(
      (await server.client.get(objectPath(ind.id), { query: 'match[spec_version]=2.1' })).status,
    ).toBe(200);
  });

  it('answers 404 for an unknown object', async () => {
    const res = await server.client.get(
      objectPath('indicator--00000000-0000-4000-8000-000000000000'),
    );
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ http_status: '404' });
  });

  it('answers 404 for a version that does not exist', async () => {
    expect(
      (
        await server.client.get(objectPath(ind.id), {
          query: 'match[version]=2020-01-01T00:00:00Z',
        })
      ).status,
    ).toBe(404);
  });

  it('answers 400 for match[type] (not a parameter of this endpoint)', async () => {
    expect(
      (await server.client.get(objectPath(ind.id), { query: 'match[type]=indicator' })).status,
    ).toBe(400);
  });

  it('answers 403 when the caller can write but not read the collection', async () => {
    expect((await server.client.get(objectPath(ind.id, 'wo'))).status).toBe(403);
  });

  it('answers 404 when the caller can neither read nor write the collection', async () => {
    expect((await server.client.get(objectPath(ind.id, 'hidden'))).status).toBe(404);
  });
});

describe('DELETE object', () => {
  it('deletes every version: GET answers 404 and the manifest omits it', async () => {
    const mal = makeMalware({ created: at(0) });
    await server.client.post(
      collectionPath('rw', 'objects/'),
      makeEnvelope(mal, nextVersion(mal, at(5000))),
    );
    const res = await server.client.delete(objectPath(mal.id));
    expect(res.status).toBe(200);
    expect((await server.client.get(objectPath(mal.id))).status).toBe(404);
    expect(
      (await server.client.get(objectPath(mal.id), { query: 'match[version]=all' })).status,
    ).toBe(404);
    const manifest = await server.client.get(collectionPath('rw', 'manifest/'), {
      query: `match[id]=${mal.id}&match[version]=all`,
    });
    expect(manifest.body).toEqual({});
  });

  it('deletes only the selected version with match[version]', async () => {
    const mal = makeMalware({ created: at(0) });
    const later = nextVersion(mal, at(7000));
    await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(mal, later));
    expect(
      (await server.client.delete(objectPath(mal.id), { query: `match[version]=${at(7000)}` }))
        .status,
    ).toBe(200);
    const res = await server.client.get(objectPath(mal.id));
    expect(modifiedOf(res.body)).toEqual([at(0)]);
  });

  it('answers 404 for an object that does not exist', async () => {
    expect(
      (await server.client.delete(objectPath('malware--00000000-0000-4000-8000-000000000000')))
        .status,
    ).toBe(404);
  });

  it('answers 403 when the caller can read but not write', async () => {
    await server.as(server.tokens.admin).post(collectionPath('ro', 'objects/'), makeEnvelope(ind));
    expect((await server.client.delete(objectPath(ind.id, 'ro'))).status).toBe(403);
  });

  it('answers 403 when the caller can write but not read', async () => {
    expect((await server.client.delete(objectPath(ind.id, 'wo'))).status).toBe(403);
  });

  it('answers 404 when the caller has neither right', async () => {
    expect((await server.client.delete(objectPath(ind.id, 'hidden'))).status).toBe(404);
  });

  it('answers 401 without credentials', async () => {
    expect((await server.as(undefined).delete(objectPath(ind.id))).status).toBe(401);
  });

  it('answers 400 for a parameter DELETE does not take', async () => {
    expect((await server.client.delete(objectPath(ind.id), { query: 'limit=1' })).status).toBe(400);
  });
});
