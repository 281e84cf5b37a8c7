// Conformance rows that no other HTTP test proved (see docs/conformance.md): status
// versions of objects without `modified` (§4.3.1), status retention ≥ 24 h (§4.3), version
// matching by `created` (§3.4.1), `match[spec_version]` absent = latest only (§3.4.1), every
// STIX 2.1 type in `match[type]` (§3.4), `more` always with `next`, response media types
// (§1.6.8), unknown custom properties per validation mode (§7.1), TLS 1.2 and HSTS (§8.3).
import { readFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/stix/canonical-json.js';
import {
  at,
  makeEnvelope,
  makeIndicator,
  makeMalware,
  makeStatementMarking,
  nextVersion,
  T0,
  type StixObject,
} from '../support/builders.js';
import {
  COLLECTIONS,
  collectionPath,
  startTestServer,
  TEST_CONFIG,
  type TestServer,
} from '../support/start-server.js';
import { TAXII } from '../support/taxii-client.js';
import { mintToken } from '../support/tokens.js';
import { checkedNodeResponse } from '../support/checked-fetch.js';
import { versionKeyFromMicros } from '../../src/stix/timestamp.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const STRICT = { id: '77777777-7777-4777-8777-777777777777', alias: 'strict' };

let server: TestServer;
beforeAll(async () => {
  const analysts = { roles: ['analyst'], groups: [] };
  server = await startTestServer({
    config: {
      ...TEST_CONFIG,
      collections: [
        ...TEST_CONFIG.collections,
        { ...STRICT, title: 'Strict', validation: 'strict', read: analysts, write: analysts },
      ],
    },
  });
});
afterAll(async () => {
  await server.close();
});

// A statement marking definition: STIX 2.1 versions it by `created` only (no `modified`).
const statementMarking = (statement: string): StixObject =>
  makeStatementMarking({ created: '2026-01-02T03:04:05.678Z', definition: { statement } });

describe('status resource (§4.3)', () => {
  it('reports version = created for an object without modified (§4.3.1)', async () => {
    const marking = statementMarking('Copyright 2026 Example CERT');
    const res = await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(marking));
    expect(res.body).toMatchObject({
      success_count: 1,
      successes: [{ id: marking.id, version: '2026-01-02T03:04:05.678000Z' }],
    });
  });

  it('reports version = created for a failure of an object without modified', async () => {
    const marking = { ...statementMarking('x'), definition: 'not an object' };
    const res = await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(marking));
    const failures = (res.body as { failures: { id: string; version: string }[] }).failures;
    expect(failures).toHaveLength(1);
    expect(failures[0]!.version).toMatch(/^2026-01-02T03:04:05\.678/);
  });

  it('is still served 25 hours after completion (kept at least 24 h, SHOULD)', async () => {
    const posted = await server.client.post(
      collectionPath('rw', 'objects/'),
      makeEnvelope(makeIndicator()),
    );
    const id = (posted.body as { id: string }).id;
    const record = await server.store.getStatus('api1', id);
    await server.store.putStatus({ ...record!, updatedAt: Date.now() * 1000 - 25 * 3_600_000_000 });
    const res = await server.client.get(`/api1/status/${id}/`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(posted.body);
  });
});

describe('match[version] of objects without modified (§3.4.1)', () => {
  const marking = statementMarking('version by created');
  beforeAll(async () => {
    await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(marking));
  });

  it('selects the object by its created timestamp', async () => {
    const res = await server.client.get(collectionPath('rw', `objects/${marking.id}/`), {
      query: 'match[version]=2026-01-02T03:04:05.678Z',
    });
    expect(res.status).toBe(200);
    expect((res.body as { objects: StixObject[] }).objects).toEqual([marking]);
  });

  it('lists created as its only version', async () => {
    const res = await server.client.get(collectionPath('rw', `objects/${marking.id}/versions/`));
    expect((res.body as { versions: string[] }).versions).toEqual(['2026-01-02T03:04:05.678000Z']);
  });

  it('gives created as the manifest version', async () => {
    const res = await server.client.get(collectionPath('rw', 'manifest/'), {
      query: `match[id]=${marking.id}`,
    });
    expect((res.body as { objects: { version: string }[] }).objects[0]!.version).toBe(
      '2026-01-02T03:04:05.678000Z',
    );
  });
});

describe('match[spec_version] (§3.4.1)', () => {
  // STIX 2.0 content reaches a store through migration or import; written here directly.
  const legacy = {
    type: 'indicator',
    id: `indicator--${randomUUID()}`,
    created: T0,
    modified: T0,
    name: '2.0 indicator',
    labels: ['malicious-activity'],
    pattern: "[ipv4-addr:value = '192.0.2.1']",
    valid_from: T0,
  };
  const current = makeIndicator({ name: '2.1 indicator' });
  const path21 = collectionPath('ro', 'objects/');

  beforeAll(async () => {
    await server.store.addObjects(
      COLLECTIONS.ro.id,
      [
        {
          id: legacy.id,
          type: 'indicator',
          specVersion: '2.0',
          version: versionKeyFromMicros(Date.parse(T0) * 1000),
          tlp: 'none',
          revoked: false,
          json: canonicalJson(legacy),
        },
      ],
      Date.now() * 1000,
    );
    await server.as(server.tokens.admin).post(path21, makeEnvelope(current));
  });

  it('serves only the latest spec version (2.1) when absent', async () => {
    const ids = ((await server.client.get(path21)).body as { objects: StixObject[] }).objects.map(
      (o) => o.id,
    );
    expect(ids).toContain(current.id);
    expect(ids).not.toContain(legacy.id);
  });

  it('serves 2.0 objects when asked for 2.0', async () => {
    const ids = (
      (await server.client.get(path21, { query: 'match[spec_version]=2.0' })).body as {
        objects: StixObject[];
      }
    ).objects.map((o) => o.id);
    expect(ids).toEqual([legacy.id]);
  });

  it('serves both when asked for 2.0,2.1', async () => {
    const ids = (
      (await server.client.get(path21, { query: 'match[spec_version]=2.0,2.1' })).body as {
        objects: StixObject[];
      }
    ).objects.map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining([legacy.id, current.id]));
  });

  it('applies the same default to the manifest', async () => {
    const ids = (
      (await server.client.get(collectionPath('ro', 'manifest/'))).body as {
        objects: { id: string }[];
      }
    ).objects.map((o) => o.id);
    expect(ids).not.toContain(legacy.id);
  });

  it('applies the same default to the object endpoint', async () => {
    expect((await server.client.get(collectionPath('ro', `objects/${legacy.id}/`))).status).toBe(
      404,
    );
    expect(
      (
        await server.client.get(collectionPath('ro', `objects/${legacy.id}/`), {
          query: 'match[spec_version]=2.0',
        })
      ).status,
    ).toBe(200);
  });
});

describe('match[type] (§3.4)', () => {
  const TYPES_21 = [
    'attack-pattern',
    'campaign',
    'course-of-action',
    'grouping',
    'identity',
    'incident',
    'indicator',
    'infrastructure',
    'intrusion-set',
    'location',
    'malware',
    'malware-analysis',
    'note',
    'observed-data',
    'opinion',
    'report',
    'threat-actor',
    'tool',
    'vulnerability',
    'relationship',
    'sighting',
    'artifact',
    'autonomous-system',
    'directory',
    'domain-name',
    'email-addr',
    'email-message',
    'file',
    'ipv4-addr',
    'ipv6-addr',
    'mac-addr',
    'mutex',
    'network-traffic',
    'process',
    'software',
    'url',
    'user-account',
    'windows-registry-key',
    'x509-certificate',
    'language-content',
    'marking-definition',
    'extension-definition',
  ];

  it.each(TYPES_21)('never errors for the STIX 2.1 type %s', async (type) => {
    const res = await server.client.get(collectionPath('rw', 'objects/'), {
      query: `match[type]=${type}`,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TAXII);
  });

  it('takes every STIX 2.1 type at once', async () => {
    expect(
      (
        await server.client.get(collectionPath('rw', 'manifest/'), {
          query: `match[type]=${TYPES_21.join(',')}`,
        })
      ).status,
    ).toBe(200);
  });
});

describe('more and next (§3.5)', () => {
  const obj = makeIndicator({ created: at(0) });
  beforeAll(async () => {
    for (let i = 1; i <= 4; i += 1)
      await server.client.post(
        collectionPath('rw', 'objects/'),
        makeEnvelope(i === 1 ? obj : nextVersion(obj, at(i * 1000))),
      );
  });

  it.each([
    ['objects', 'objects/', 'match[version]=all&limit=1'],
    ['manifest', 'manifest/', 'match[version]=all&limit=1'],
    ['object', '', 'match[version]=all&limit=1'],
    ['versions', 'versions/', 'limit=1'],
  ])(
    'offers next on every %s page that says more, until more is false',
    async (_name, suffix, query) => {
      const url =
        suffix === 'objects/' || suffix === 'manifest/'
          ? collectionPath('rw', suffix)
          : collectionPath('rw', `objects/${obj.id}/${suffix}`);
      let next: string | undefined;
      let pages = 0;
      for (;;) {
        const res = await server.client.get(url, {
          query: next === undefined ? query : `${query}&next=${encodeURIComponent(next)}`,
        });
        expect(res.status).toBe(200);
        const body = res.body as { more?: boolean; next?: string };
        pages += 1;
        expect(pages).toBeLessThan(500);
        if (body.more !== true) {
          expect(body.next).toBeUndefined();
          break;
        }
        expect(typeof body.next === 'string' && body.next.length > 0).toBe(true);
        next = body.next;
      }
      expect(pages).toBeGreaterThan(1);
    },
  );
});

describe('DELETE object (§5.7)', () => {
  it('answers 200 with an empty body', async () => {
    const obj = makeIndicator();
    await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(obj));
    const res = await server.client.delete(collectionPath('rw', `objects/${obj.id}/`));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });
});

describe('media types (§1.6.8, §3.1)', () => {
  it.each([
    ['GET', '/taxii2/'],
    ['GET', '/api1/'],
    ['GET', '/api1/collections/'],
    ['GET', collectionPath('rw')],
    ['GET', collectionPath('rw', 'objects/')],
    ['GET', collectionPath('rw', 'manifest/')],
    ['POST', collectionPath('rw', 'objects/')],
  ])('%s %s answers application/taxii+json;version=2.1 exactly', async (method, urlPath) => {
    const res =
      method === 'GET'
        ? await server.client.get(urlPath)
        : await server.client.post(urlPath, makeEnvelope(makeMalware()));
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('content-type')).toBe(TAXII);
  });

  it('names application/stix+json;version=2.1 only inside collection media_types and manifest records', async () => {
    const collection = await server.client.get(collectionPath('rw'));
    expect((collection.body as { media_types: string[] }).media_types).toEqual([
      'application/stix+json;version=2.1',
    ]);
    const manifest = await server.client.get(collectionPath('rw', 'manifest/'), {
      query: 'limit=1',
    });
    expect((manifest.body as { objects: { media_type: string }[] }).objects[0]!.media_type).toBe(
      'application/stix+json;version=2.1',
    );
  });
});

describe('unknown custom properties (§7.1: refuse or ignore)', () => {
  it('stores and serves them unchanged in a permissive collection', async () => {
    const obj = makeIndicator({ x_acme_score: 7 });
    expect(
      (await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(obj))).body,
    ).toMatchObject({ success_count: 1 });
    const res = await server.client.get(collectionPath('rw', `objects/${obj.id}/`));
    expect((res.body as { objects: StixObject[] }).objects[0]).toEqual(obj);
  });

  it('reports them as a failure of that object in a strict collection, storing the rest', async () => {
    const custom = makeIndicator({ x_acme_score: 7 });
    const plain = makeIndicator();
    const res = await server.client.post(
      `/api1/collections/${STRICT.id}/objects/`,
      makeEnvelope(custom, plain),
    );
    expect(res.status).toBe(202);
    const status = res.body as {
      success_count: number;
      failures: { id: string; message: string }[];
    };
    expect(status.success_count).toBe(1);
    expect(status.failures.map((f) => f.id)).toEqual([custom.id]);
    expect(status.failures[0]!.message).toMatch(/x_acme_score/);
  });
});

describe('TLS (§8.3)', () => {
  let tls: TestServer;
  let ca: Buffer;
  beforeAll(async () => {
    tls = await startTestServer({
      env: {
        STIXGATE_TLS_CERT_FILE: path.join(FIXTURES, 'tls-cert.pem'),
        STIXGATE_TLS_KEY_FILE: path.join(FIXTURES, 'tls-key.pem'),
      },
    });
    ca = await readFile(path.join(FIXTURES, 'tls-cert.pem'));
  });
  afterAll(async () => {
    await tls.close();
  });

  function get(
    maxVersion: 'TLSv1.2' | 'TLSv1.3',
  ): Promise<{ status: number; protocol: string; hsts: string | undefined }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        `${tls.url}/api1/`,
        {
          ca,
          maxVersion,
          headers: { Accept: TAXII, Authorization: `Bearer ${mintToken({ role: 'analyst' })}` },
        },
        (res) => {
          const hsts = res.headers['strict-transport-security'];
          const protocol = (res.socket as TLSSocket).getProtocol() ?? '';
          checkedNodeResponse('GET', `${tls.url}/api1/`, res).then(
            () =>
              resolve({
                status: res.statusCode ?? 0,
                protocol,
                hsts: typeof hsts === 'string' ? hsts : undefined,
              }),
            reject,
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('accepts a TLS 1.2 client (MUST)', async () => {
    expect(await get('TLSv1.2')).toMatchObject({ status: 200, protocol: 'TLSv1.2' });
  });

  it('sends Strict-Transport-Security over HTTPS', async () => {
    expect((await get('TLSv1.3')).hsts).toMatch(/max-age=\d+/);
  });

  it('sends no Strict-Transport-Security over plain HTTP', async () => {
    expect((await server.client.get('/api1/')).headers.get('strict-transport-security')).toBeNull();
  });
});
