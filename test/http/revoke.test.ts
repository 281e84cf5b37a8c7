// stixgate extension: POST …/objects/{id}/revoke/ adds a revoked version that pollers see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnvelope, makeIndicator, makeIpv4Addr } from '../support/builders.js';
import { collectionPath, startTestServer, type TestServer } from '../support/start-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const revokePath = (id: string, name: 'rw' | 'ro' | 'hidden' = 'rw'): string =>
  collectionPath(name, `objects/${id}/revoke/`);

describe('POST revoke', () => {
  it('adds a later version with revoked: true that added_after pollers receive', async () => {
    const ind = makeIndicator();
    await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(ind));
    const before = await server.client.get(collectionPath('rw', 'objects/'));
    const last = before.headers.get('x-taxii-date-added-last')!;
    const res = await server.client.post(revokePath(ind.id), undefined);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'complete', success_count: 1, failure_count: 0 });
    const polled = await server.client.get(collectionPath('rw', 'objects/'), {
      query: `added_after=${last}`,
    });
    const objects = (polled.body as { objects: Record<string, unknown>[] }).objects;
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({ id: ind.id, revoked: true, name: ind.name });
    expect(String(objects[0]!.modified) > String(ind.modified)).toBe(true);
  });

  it('is idempotent on an already revoked object', async () => {
    const ind = makeIndicator();
    await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(ind));
    await server.client.post(revokePath(ind.id), undefined);
    const again = await server.client.post(revokePath(ind.id), undefined);
    expect(again.body).toMatchObject({ success_count: 1 });
    const versions = await server.client.get(collectionPath('rw', `objects/${ind.id}/versions/`));
    expect((versions.body as { versions: string[] }).versions).toHaveLength(2);
  });

  it('answers 422 for an object without versions (an SCO)', async () => {
    const ip = makeIpv4Addr();
    await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(ip));
    expect((await server.client.post(revokePath(ip.id), undefined)).status).toBe(422);
  });

  it('answers 404 for an unknown object and for an invisible collection', async () => {
    expect(
      (
        await server.client.post(
          revokePath('indicator--00000000-0000-4000-8000-000000000000'),
          undefined,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await server.client.post(
          revokePath('indicator--00000000-0000-4000-8000-000000000000', 'hidden'),
          undefined,
        )
      ).status,
    ).toBe(404);
  });

  it('answers 403 without write access', async () => {
    expect(
      (
        await server.client.post(
          revokePath('indicator--00000000-0000-4000-8000-000000000000', 'ro'),
          undefined,
        )
      ).status,
    ).toBe(403);
  });
});
