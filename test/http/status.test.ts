// TAXII 2.1 §4.3 status resource: persisted, readable later by its submitter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnvelope, makeIndicator } from '../support/builders.js';
import { collectionPath, startTestServer, type TestServer } from '../support/start-server.js';
import { TAXII } from '../support/taxii-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function postOne(): Promise<{ id: string; body: unknown }> {
  const res = await server.client.post(
    collectionPath('rw', 'objects/'),
    makeEnvelope(makeIndicator(), makeIndicator()),
  );
  return { id: (res.body as { id: string }).id, body: res.body };
}

describe('GET /{api-root}/status/{id}/', () => {
  it('answers the same status resource the POST returned', async () => {
    const posted = await postOne();
    const res = await server.client.get(`/api1/status/${posted.id}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TAXII);
    expect(res.body).toEqual(posted.body);
  });

  it('carries every required field', async () => {
    const posted = await postOne();
    const body = (await server.client.get(`/api1/status/${posted.id}/`)).body as Record<
      string,
      unknown
    >;
    for (const key of [
      'id',
      'status',
      'total_count',
      'success_count',
      'failure_count',
      'pending_count',
    ])
      expect(body).toHaveProperty(key);
    expect(['pending', 'complete']).toContain(body.status);
  });

  it('is readable by an admin', async () => {
    const posted = await postOne();
    expect((await server.as(server.tokens.admin).get(`/api1/status/${posted.id}/`)).status).toBe(
      200,
    );
  });

  it('answers 404 to another caller, like an unknown id', async () => {
    const posted = await postOne();
    expect((await server.as(server.tokens.analyst2).get(`/api1/status/${posted.id}/`)).status).toBe(
      404,
    );
  });

  it('answers 404 for an unknown or malformed status id', async () => {
    expect(
      (await server.client.get('/api1/status/5f9a0a3e-8b7c-4d2e-9f10-1a2b3c4d5e6f/')).status,
    ).toBe(404);
    expect((await server.client.get('/api1/status/not-an-id/')).status).toBe(404);
  });

  it('answers 404 under another API root', async () => {
    const posted = await postOne();
    expect((await server.client.get(`/small/status/${posted.id}/`)).status).toBe(404);
  });

  it('answers 404 once the status has expired', async () => {
    const posted = await postOne();
    const record = await server.store.getStatus('api1', posted.id);
    // Pretend it completed 73 hours ago (retention is 72 hours by default).
    await server.store.putStatus({ ...record!, updatedAt: Date.now() * 1000 - 73 * 3_600_000_000 });
    expect((await server.client.get(`/api1/status/${posted.id}/`)).status).toBe(404);
  });

  it('answers 401 without credentials', async () => {
    const posted = await postOne();
    expect((await server.as(undefined).get(`/api1/status/${posted.id}/`)).status).toBe(401);
  });
});
