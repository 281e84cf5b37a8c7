// Content negotiation per endpoint (TAXII 2.1 §3.1 and the "Required Headers" of §4 and §5):
// every media type an endpoint defines for Accept (and, on Add Objects, for Content-Type) is
// served, alone and combined with q-values and parameters; everything else gets 406 / 415.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnvelope, makeIndicator } from '../support/builders.js';
import { collectionPath, startTestServer, type TestServer } from '../support/start-server.js';
import type { RequestOptions, TaxiiResponse } from '../support/taxii-client.js';

let server: TestServer;
let statusId: string;
const stored = makeIndicator();

beforeAll(async () => {
  server = await startTestServer();
  const posted = await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(stored));
  expect(posted.status).toBe(202);
  statusId = (posted.body as { id: string }).id;
});
afterAll(async () => {
  await server.close();
});

type Send = (options: RequestOptions) => Promise<TaxiiResponse>;

/** Each GET/DELETE endpoint of TAXII 2.1, with the status of its successful answer. */
const endpoints: { name: string; ok: number; send: () => Send }[] = [
  { name: 'Discovery (§4.1)', ok: 200, send: () => (o) => server.client.get('/taxii2/', o) },
  { name: 'API root (§4.2)', ok: 200, send: () => (o) => server.client.get('/api1/', o) },
  {
    name: 'Status (§4.3)',
    ok: 200,
    send: () => (o) => server.client.get(`/api1/status/${statusId}/`, o),
  },
  {
    name: 'Collections (§5.1)',
    ok: 200,
    send: () => (o) => server.client.get('/api1/collections/', o),
  },
  {
    name: 'Collection (§5.2)',
    ok: 200,
    send: () => (o) => server.client.get(collectionPath('rw'), o),
  },
  {
    name: 'Object manifests (§5.3)',
    ok: 200,
    send: () => (o) => server.client.get(collectionPath('rw', 'manifest/'), o),
  },
  {
    name: 'Objects (§5.4)',
    ok: 200,
    send: () => (o) => server.client.get(collectionPath('rw', 'objects/'), o),
  },
  {
    name: 'Object (§5.6)',
    ok: 200,
    send: () => (o) => server.client.get(collectionPath('rw', `objects/${stored.id}/`), o),
  },
  {
    // A DELETE of an object that is not there: 404 when negotiation passes, 406 when not.
    name: 'Delete an object (§5.7)',
    ok: 404,
    send: () => (o) =>
      server.client.delete(collectionPath('rw', `objects/indicator--${crypto.randomUUID()}/`), o),
  },
  {
    name: 'Object versions (§5.8)',
    ok: 200,
    send: () => (o) => server.client.get(collectionPath('rw', `objects/${stored.id}/versions/`), o),
  },
];

/** `application/taxii+json;version=2.1` (every endpoint) in the forms RFC 7231 allows. */
const TAXII_ACCEPTED = [
  'application/taxii+json;version=2.1',
  'application/taxii+json',
  'application/taxii+json; version=2.1',
  'Application/TAXII+JSON;Version=2.1',
  'application/taxii+json;version="2.1"',
  'application/taxii+json;version=2.1;q=0.5',
  'application/taxii+json;version=2.1;charset=utf-8',
  'text/html;q=0.9, application/taxii+json;version=2.1;q=0.1',
  'application/taxii+json;version=2.0, application/taxii+json;version=2.1',
  '*/*;q=0.1, application/taxii+json;version=2.1',
  'application/json, application/taxii+json',
  // §5.3's own Accept line, sent to every endpoint.
  'application/taxii+json;version=2.1,application/stix+json;version=2.1',
];

/** Not defined for any endpoint but the manifest, or refused by its q-value. */
const REFUSED_EVERYWHERE = [
  null,
  '',
  '*/*',
  'application/*',
  'application/json',
  'text/html',
  'application/taxii+json;version=2.0',
  'application/taxii+json;q=0',
  'application/taxii+json;version=2.1;q=0',
  'application/taxii+json;q=0.0001',
  // The most specific range decides (RFC 7231 §5.3.2): version 2.1 is refused here.
  'application/taxii+json;version=2.1;q=0, application/taxii+json',
  'application/stix+json;version=2.0',
];

/** §5.3 lists `application/stix+json;version=2.1` too: the manifest serves it. */
const STIX_FORMS = [
  'application/stix+json;version=2.1',
  'application/stix+json;version=2.1;q=0.8',
  'application/json;q=0.9, application/stix+json;version=2.1',
];

describe.each(endpoints)('$name', ({ name, ok, send }) => {
  const manifest = name.startsWith('Object manifests');

  it.each(TAXII_ACCEPTED)('serves Accept: %s', async (accept) => {
    const res = await send()({ accept });
    expect(res.status).toBe(ok);
  });

  it.each(REFUSED_EVERYWHERE)('answers 406 to Accept: %s', async (accept) => {
    const res = await send()({ accept });
    expect(res.status).toBe(406);
    expect(res.body).toMatchObject({ http_status: '406' });
  });

  it.each(STIX_FORMS)(
    manifest ? 'serves Accept: %s (§5.3)' : 'answers 406 to Accept: %s (not defined here)',
    async (accept) => {
      const res = await send()({ accept });
      expect(res.status).toBe(manifest ? ok : 406);
    },
  );
});

describe('Add Objects (§5.5)', () => {
  const post = (options: RequestOptions) =>
    server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(makeIndicator()), options);

  it.each(TAXII_ACCEPTED)('serves Accept: %s', async (accept) => {
    expect((await post({ accept })).status).toBe(202);
  });

  it.each([...REFUSED_EVERYWHERE, ...STIX_FORMS])('answers 406 to Accept: %s', async (accept) => {
    const res = await post({ accept });
    expect(res.status).toBe(406);
  });

  it.each([
    'application/taxii+json;version=2.1',
    'application/taxii+json',
    'application/taxii+json; version=2.1',
    'APPLICATION/TAXII+JSON;VERSION=2.1',
    'application/taxii+json;version="2.1"',
    'application/taxii+json;version=2.1;charset=utf-8',
    'application/taxii+json;charset=UTF-8;version=2.1',
  ])('stores a body sent as Content-Type: %s', async (contentType) => {
    const obj = makeIndicator();
    const res = await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(obj), {
      contentType,
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ success_count: 1 });
  });

  it.each([
    null,
    'application/json',
    'application/stix+json;version=2.1',
    'application/taxii+json;version=2.0',
    'application/taxii+json;charset=latin1',
    'text/plain',
    'application/x-www-form-urlencoded',
  ])('answers 415 to Content-Type: %s and stores nothing', async (contentType) => {
    const obj = makeIndicator();
    const res = await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(obj), {
      contentType,
    });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ http_status: '415' });
    expect((await server.client.get(collectionPath('rw', `objects/${obj.id}/`))).status).toBe(404);
  });
});
