// TAXII 2.1 §5.8 object versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, makeEnvelope, makeIndicator, makeIpv4Addr, nextVersion } from '../support/builders.js';
import { collectionPath, startTestServer, type TestServer } from '../support/start-server.js';
import { TAXII } from '../support/taxii-client.js';

let server: TestServer;
const ind = makeIndicator({ created: at(0) });
const ip = makeIpv4Addr({ value: '192.0.2.44' });

beforeAll(async () => {
  server = await startTestServer();
  // Posted newest first: versions still sort by date_added, which here is posting order.
  await server.client.post(
    collectionPath('rw', 'objects/'),
    makeEnvelope(nextVersion(ind, at(3000))),
  );
  await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(ind));
  await server.client.post(
    collectionPath('rw', 'objects/'),
    makeEnvelope(nextVersion(ind, at(1000))),
  );
  await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(ip));
});
afterAll(async () => {
  await server.close();
});

const path = (id: string, name: 'rw' | 'wo' | 'hidden' = 'rw'): string =>
  collectionPath(name, `objects/${id}/versions/`);

describe('GET versions', () => {
  it('lists every version as a TAXII timestamp, ascending by date_added', async () => {
    const res = await server.client.get(path(ind.id));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TAXII);
    expect(res.body).toEqual({
      more: false,
      versions: [
        '2026-01-01T00:00:03.000000Z',
        '2026-01-01T00:00:00.000000Z',
        '2026-01-01T00:00:01.000000Z',
      ],
    });
  });

  it('sends X-TAXII-Date-Added-First/Last', async () => {
    const res = await server.client.get(path(ind.id));
    expect(res.headers.get('x-taxii-date-added-first')).toMatch(/\.\d{6}Z$/);
    expect(res.headers.get('x-taxii-date-added-last')).toMatch(/\.\d{6}Z$/);
  });

  it('versions an object without dates by its date_added', async () => {
    const res = await server.client.get(path(ip.id));
    const versions = (res.body as { versions: string[] }).versions;
    expect(versions).toEqual([res.headers.get('x-taxii-date-added-first')]);
  });

  it('pages with limit and next', async () => {
    const first = await server.client.get(path(ind.id), { query: 'limit=2' });
    const body = first.body as { more: boolean; next: string; versions: string[] };
    expect(body.versions).toHaveLength(2);
    expect(body.more).toBe(true);
    const second = await server.client.get(path(ind.id), {
      query: `limit=2&next=${encodeURIComponent(body.next)}`,
    });
    expect(second.body).toEqual({ more: false, versions: ['2026-01-01T00:00:01.000000Z'] });
  });

  it('pages with added_after', async () => {
    const first = await server.client.get(path(ind.id), { query: 'limit=1' });
    const rest = await server.client.get(path(ind.id), {
      query: `added_after=${first.headers.get('x-taxii-date-added-last')!}`,
    });
    expect((rest.body as { versions: string[] }).versions).toHaveLength(2);
  });

  it('filters by spec_version', async () => {
    expect(
      (await server.client.get(path(ind.id), { query: 'match[spec_version]=2.1' })).status,
    ).toBe(200);
    expect(
      (await server.client.get(path(ind.id), { query: 'match[spec_version]=2.0' })).status,
    ).toBe(404);
  });

  it('answers 400 for match[version] (not a parameter of this endpoint)', async () => {
    expect((await server.client.get(path(ind.id), { query: 'match[version]=all' })).status).toBe(
      400,
    );
  });

  it('answers 404 for an unknown object', async () => {
    expect(
      (await server.client.get(path('indicator--00000000-0000-4000-8000-000000000000'))).status,
    ).toBe(404);
  });

  it('answers 403 on a write-only collection and 404 on an invisible one', async () => {
    expect((await server.client.get(path(ind.id, 'wo'))).status).toBe(403);
    expect((await server.client.get(path(ind.id, 'hidden'))).status).toBe(404);
  });
});
