// TAXII 2.1 §5.5 POST objects, and the §4.3 status resource it creates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  at,
  makeEnvelope,
  makeIdentity,
  makeIndicator,
  makeIpv4Addr,
  makeMalware,
  nextVersion,
} from '../support/builders.js';
import { loadCorpus } from '../support/corpus.js';
import {
  collectionPath,
  SMALL_MAX_CONTENT_LENGTH,
  SMALL_MAX_OBJECTS,
  startTestServer,
  type TestServer,
} from '../support/start-server.js';
import { TAXII } from '../support/taxii-client.js';
import { checkedFetch } from '../support/checked-fetch.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface StatusBody {
  id: string;
  status: string;
  request_timestamp: string;
  total_count: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
  successes: { id: string; version: string; message?: string }[];
  failures?: { id: string; version: string; message?: string }[];
  pendings?: unknown[];
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('POST objects: accepted envelopes', () => {
  it('answers 202 with a complete status resource', async () => {
    const indicator = makeIndicator();
    const malware = makeMalware();
    const res = await server.client.post(
      collectionPath('rw', 'objects/'),
      makeEnvelope(indicator, malware),
    );
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBe(TAXII);
    const status = res.body as StatusBody;
    expect(status).toMatchObject({
      status: 'complete',
      total_count: 2,
      success_count: 2,
      failure_count: 0,
      pending_count: 0,
    });
    // TAXII 2.1 §2: empty lists are omitted, never sent as [].
    expect(status).not.toHaveProperty('failures');
    expect(status).not.toHaveProperty('pendings');
    expect(status.request_timestamp).toMatch(TIMESTAMP);
    expect(status.successes).toEqual([
      { id: indicator.id, version: '2026-01-01T00:00:00.000000Z' },
      { id: malware.id, version: '2026-01-01T00:00:00.000000Z' },
    ]);
  });

  it('reports version = modified for each success', async () => {
    const indicator = makeIndicator({ created: at(0), modified: at(1500) });
    const status = (
      await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(indicator))
    ).body as StatusBody;
    expect(status.successes[0]?.version).toBe('2026-01-01T00:00:01.500000Z');
  });

  it('treats re-posting an identical version as a success that stores nothing new', async () => {
    const identity = makeIdentity();
    await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(identity));
    const again = await server.client.post(
      collectionPath('rw', 'objects/'),
      makeEnvelope(identity),
    );
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ success_count: 1, failure_count: 0 });
    const versions = await server.client.get(
      collectionPath('rw', `objects/${identity.id}/versions/`),
    );
    expect((versions.body as { versions: string[] }).versions).toHaveLength(1);
  });

  it('recognises a re-posted version with its properties in another order as a duplicate', async () => {
    const identity = makeIdentity();
    await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(identity));
    const reordered = Object.fromEntries(Object.entries(identity).reverse());
    const again = await server.client.post(
      collectionPath('rw', 'objects/'),
      makeEnvelope(reordered),
    );
    expect(again.body).toMatchObject({ success_count: 1, failure_count: 0 });
    const versions = await server.client.get(
      collectionPath('rw', `objects/${identity.id}/versions/`),
    );
    expect((versions.body as { versions: string[] }).versions).toHaveLength(1);
  });

  it('keeps new versions of the same id as versions', async () => {
    const v1 = makeMalware({ created: at(0) });
    const v2 = nextVersion(v1, at(1000), { description: 'updated' });
    await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(v1));
    await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(v2));
    const versions = await server.client.get(collectionPath('rw', `objects/${v1.id}/versions/`));
    expect((versions.body as { versions: string[] }).versions).toEqual([
      '2026-01-01T00:00:00.000000Z',
      '2026-01-01T00:00:01.000000Z',
    ]);
  });

  it('reports a conflict (same id and version, different content) as a failure', async () => {
    const original = makeIndicator();
    await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(original));
    const altered = { ...original, name: 'something else' };
    const res = await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(altered));
    expect(res.status).toBe(202);
    const status = res.body as StatusBody;
    expect(status).toMatchObject({ success_count: 0, failure_count: 1 });
    expect(status.failures?.[0]).toMatchObject({
      id: original.id,
      version: '2026-01-01T00:00:00.000000Z',
    });
    expect(status.failures?.[0]?.message).toMatch(/conflict/);
  });

  it('reports invalid objects as failures with a message, and stores the valid ones', async () => {
    const good = makeIndicator();
    // STIX 2.1 §2.9: an identifier starts with the object's type.
    const bad = makeIndicator({ id: 'malware--0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d' });
    const res = await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(good, bad));
    expect(res.status).toBe(202);
    const status = res.body as StatusBody;
    expect(status).toMatchObject({ total_count: 2, success_count: 1, failure_count: 1 });
    expect(status.failures?.[0]?.id).toBe(bad.id);
    expect(status.failures?.[0]?.message).toMatch(/invalid STIX/);
    const stored = await server.client.get(collectionPath('rw', `objects/${bad.id}/`));
    expect(stored.status).toBe(404);
  });

  it('reports a schema violation with the property path', async () => {
    const bad = makeIndicator();
    delete bad.pattern;
    const res = await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(bad));
    const status = res.body as StatusBody;
    expect(status).toMatchObject({ success_count: 0, failure_count: 1 });
    expect(status.failures?.[0]?.message).toMatch(/pattern/);
  });

  it('accepts every object of the shared STIX 2.1 corpus as valid', async () => {
    for (const file of loadCorpus()) {
      const res = await server.client.post(
        collectionPath('rw', 'objects/'),
        makeEnvelope(...file.objects),
      );
      expect(res.status, file.name).toBe(202);
      // Some corpus files reuse an id+version with other content (identity*.json): conflicts, not invalid STIX.
      const invalid = ((res.body as StatusBody).failures ?? []).filter(
        (f) => !f.message?.startsWith('conflict'),
      );
      expect(invalid, file.name).toEqual([]);
    }
  });

  it('versions an SCO without dates by its date_added', async () => {
    const ip = makeIpv4Addr({ value: '203.0.113.9' });
    const status = (await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(ip)))
      .body as StatusBody;
    expect(status.successes[0]?.id).toBe(ip.id);
    expect(status.successes[0]?.version).toMatch(TIMESTAMP);
  });

  it('accepts Content-Type application/taxii+json without a version', async () => {
    const res = await server.client.post(
      collectionPath('rw', 'objects/'),
      makeEnvelope(makeIndicator()),
      { contentType: 'application/taxii+json' },
    );
    expect(res.status).toBe(202);
  });

  it('accepts an empty envelope with zero counts', async () => {
    const res = await server.client.post(collectionPath('rw', 'objects/'), {});
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ total_count: 0, success_count: 0, failure_count: 0 });
  });

  it('accepts a body of exactly max_content_length bytes', async () => {
    const envelope = makeEnvelope(makeIndicator());
    const text = JSON.stringify(envelope);
    const padded = text.slice(0, -1) + ' '.repeat(SMALL_MAX_CONTENT_LENGTH - text.length) + '}';
    expect(Buffer.byteLength(padded)).toBe(SMALL_MAX_CONTENT_LENGTH);
    const res = await server.client.post(collectionPath('small', 'objects/'), padded);
    expect(res.status).toBe(202);
  });
});

describe('POST objects: refused requests', () => {
  it('answers 422 to an envelope with more objects than the API root accepts per request, storing none', async () => {
    const stubs = (n: number): string =>
      JSON.stringify({ objects: Array.from({ length: n }, (_, i) => ({ id: `indicator--${i}` })) });
    const over = await server.client.post(
      collectionPath('small', 'objects/'),
      stubs(SMALL_MAX_OBJECTS + 1),
    );
    expect(over.status).toBe(422);
    expect((over.body as { description: string }).description).toContain(
      `at most ${SMALL_MAX_OBJECTS} per request`,
    );
    const at = await server.client.post(
      collectionPath('small', 'objects/'),
      stubs(SMALL_MAX_OBJECTS),
    );
    expect(at.status).toBe(202);
    expect(at.body).toMatchObject({
      total_count: SMALL_MAX_OBJECTS,
      failure_count: SMALL_MAX_OBJECTS,
    });
  });

  it('answers 413 when the body exceeds the API root max_content_length', async () => {
    const big = makeEnvelope(makeIndicator({ description: 'x'.repeat(SMALL_MAX_CONTENT_LENGTH) }));
    const res = await server.client.post(collectionPath('small', 'objects/'), big);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ http_status: '413' });
  });

  it('answers 413 for an oversized chunked body without Content-Length', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 8) controller.close();
        else {
          sent += 1;
          controller.enqueue(chunk);
        }
      },
    });
    const res = await checkedFetch(`${server.url}${collectionPath('small', 'objects/')}`, {
      method: 'POST',
      headers: {
        Accept: TAXII,
        'Content-Type': TAXII,
        Authorization: `Bearer ${server.tokens.analyst}`,
      },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe(TAXII);
  });

  it('answers 415 for Content-Type application/json', async () => {
    const res = await server.client.post(
      collectionPath('rw', 'objects/'),
      makeEnvelope(makeIndicator()),
      { contentType: 'application/json' },
    );
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ http_status: '415' });
  });

  it('answers 415 for a TAXII 2.0 media type', async () => {
    const res = await server.client.post(
      collectionPath('rw', 'objects/'),
      makeEnvelope(makeIndicator()),
      { contentType: 'application/taxii+json;version=2.0' },
    );
    expect(res.status).toBe(415);
  });

  it('answers 415 without Content-Type', async () => {
    const res = await server.client.post(
      collectionPath('rw', 'objects/'),
      JSON.stringify(makeEnvelope()),
      { contentType: null },
    );
    expect(res.status).toBe(415);
  });

  it('answers 406 when Accept has no TAXII media range', async () => {
    const res = await server.client.post(
      collectionPath('rw', 'objects/'),
      makeEnvelope(makeIndicator()),
      { accept: 'application/json' },
    );
    expect(res.status).toBe(406);
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await server.client.post(collectionPath('rw', 'objects/'), '{"objects": [');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ http_status: '400' });
  });

  it('answers 400 when the body is not an envelope', async () => {
    expect(
      (await server.client.post(collectionPath('rw', 'objects/'), [makeIndicator()])).status,
    ).toBe(400);
    expect(
      (await server.client.post(collectionPath('rw', 'objects/'), { objects: 'nope' })).status,
    ).toBe(400);
  });

  it('answers 422 when an envelope entry is not a STIX object with an id', async () => {
    const res = await server.client.post(
      collectionPath('rw', 'objects/'),
      makeEnvelope(makeIndicator(), 42),
    );
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ http_status: '422' });
  });

  it('answers 403 on a collection the caller can read but not write', async () => {
    expect(
      (await server.client.post(collectionPath('ro', 'objects/'), makeEnvelope(makeIndicator())))
        .status,
    ).toBe(403);
  });

  it('answers 404 on a collection the caller can neither read nor write', async () => {
    expect(
      (
        await server.client.post(
          collectionPath('hidden', 'objects/'),
          makeEnvelope(makeIndicator()),
        )
      ).status,
    ).toBe(404);
  });

  it('answers 401 without credentials', async () => {
    expect(
      (
        await server
          .as(undefined)
          .post(collectionPath('rw', 'objects/'), makeEnvelope(makeIndicator()))
      ).status,
    ).toBe(401);
  });

  it('lets a write-only caller post', async () => {
    expect(
      (await server.client.post(collectionPath('wo', 'objects/'), makeEnvelope(makeIndicator())))
        .status,
    ).toBe(202);
  });
});
