// Without a sharing view, partners are served nothing (fail
// closed), on every read surface, and the answers look like an empty collection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnvelope, makeIndicator } from '../support/builders.js';
import { collectionPath, startTestServer, type TestServer } from '../support/start-server.js';

let server: TestServer;
const ind = makeIndicator();
beforeAll(async () => {
  // Explicitly no partner view, whatever the default wiring becomes.
  server = await startTestServer({ start: { partnerReadView: () => undefined } });
  await server.client.post(
    collectionPath('partners', 'objects/'),
    makeEnvelope(ind, makeIndicator()),
  );
});
afterAll(async () => {
  await server.close();
});

describe('partner reads without a sharing view', () => {
  it('serves an empty objects envelope without date headers', async () => {
    const res = await server.as(server.tokens.partner).get(collectionPath('partners', 'objects/'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(res.headers.get('x-taxii-date-added-last')).toBeNull();
  });

  it('serves an empty manifest', async () => {
    expect(
      (await server.as(server.tokens.partner).get(collectionPath('partners', 'manifest/'))).body,
    ).toEqual({});
  });

  it('answers 404 for the object and its versions, like a missing object', async () => {
    expect(
      (await server.as(server.tokens.partner).get(collectionPath('partners', `objects/${ind.id}/`)))
        .status,
    ).toBe(404);
    expect(
      (
        await server
          .as(server.tokens.partner)
          .get(collectionPath('partners', `objects/${ind.id}/versions/`))
      ).status,
    ).toBe(404);
  });

  it('still serves analysts raw', async () => {
    const res = await server.client.get(collectionPath('partners', 'objects/'));
    expect((res.body as { objects: unknown[] }).objects).toHaveLength(2);
  });
});
