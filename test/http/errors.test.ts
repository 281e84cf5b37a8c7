// TAXII 2.1 §3.6.1 error messages for every error status, §3.1 media types, and hostile
// query strings that must never reach a store as objects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnvelope, makeIndicator } from '../support/builders.js';
import { collectionPath, startTestServer, type TestServer } from '../support/start-server.js';
import { TAXII } from '../support/taxii-client.js';
import { checkedFetch } from '../support/checked-fetch.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(makeIndicator()));
});
afterAll(async () => {
  await server.close();
});

function expectErrorBody(
  res: { status: number; headers: Headers; body: unknown; text: string },
  status: number,
): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe(TAXII);
  const body = res.body as Record<string, unknown>;
  expect(typeof body.title).toBe('string');
  expect(body.http_status).toBe(String(status));
  expect(Object.keys(body).sort()).toEqual(['description', 'http_status', 'title']);
  expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
}

describe('error message resource for every status', () => {
  it('400', async () =>
    expectErrorBody(
      await server.client.get(collectionPath('rw', 'objects/'), { query: 'limit=0' }),
      400,
    ));
  it('401', async () => expectErrorBody(await server.as(undefined).get('/api1/'), 401));
  it('403', async () =>
    expectErrorBody(await server.client.get(collectionPath('wo', 'objects/')), 403));
  it('404', async () => expectErrorBody(await server.client.get('/api1/nothing-here/'), 404));
  it('406', async () =>
    expectErrorBody(await server.client.get('/api1/', { accept: 'text/html' }), 406));
  it('413', async () =>
    expectErrorBody(
      await server.client.post(
        collectionPath('small', 'objects/'),
        makeEnvelope(makeIndicator({ description: 'x'.repeat(4096) })),
      ),
      413,
    ));
  it('415', async () =>
    expectErrorBody(
      await server.client.post(collectionPath('rw', 'objects/'), '{}', {
        contentType: 'text/plain',
      }),
      415,
    ));
  it('422', async () =>
    expectErrorBody(
      await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope('not an object')),
      422,
    ));
});

describe('authentication errors', () => {
  it('answers 401 with WWW-Authenticate for a bad token', async () => {
    const res = await server.as('not.a.jwt').get('/api1/');
    expectErrorBody(res, 401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="stixgate", Basic realm="stixgate"',
    );
  });

  it('answers 401 for an expired token', async () => {
    const expired = server.token({
      sub: 'x',
      role: 'analyst',
      exp: Math.floor(Date.now() / 1000) - 3600,
    });
    expectErrorBody(await server.as(expired).get('/api1/'), 401);
  });

  it('never echoes the token', async () => {
    const res = await server.as('secret-token-value-123').get('/api1/');
    expect(res.text).not.toContain('secret-token-value-123');
  });

  it('answers 401 for an unknown path without credentials, like any other', async () => {
    expect((await server.as(undefined).get('/api1/collections/anything/objects/')).status).toBe(
      401,
    );
  });
});

describe('Accept negotiation (TAXII 2.1 §3.1)', () => {
  it('accepts application/taxii+json;version=2.1', async () => {
    expect(
      (await server.client.get('/api1/', { accept: 'application/taxii+json;version=2.1' })).status,
    ).toBe(200);
  });

  it('accepts application/taxii+json without a version', async () => {
    expect((await server.client.get('/api1/', { accept: 'application/taxii+json' })).status).toBe(
      200,
    );
  });

  it('accepts a list holding a TAXII range among others, with spaces and quality values', async () => {
    expect(
      (
        await server.client.get('/api1/', {
          accept: 'text/html, application/taxii+json; version=2.1; q=0.9',
        })
      ).status,
    ).toBe(200);
  });

  it('answers 406 for version=2.0 only', async () => {
    expect(
      (await server.client.get('/api1/', { accept: 'application/taxii+json;version=2.0' })).status,
    ).toBe(406);
  });

  it('answers 406 for */*', async () => {
    expect((await server.client.get('/api1/', { accept: '*/*' })).status).toBe(406);
  });

  it('answers 406 for application/stix+json', async () => {
    expect(
      (
        await server.client.get(collectionPath('rw', 'objects/'), {
          accept: 'application/stix+json;version=2.1',
        })
      ).status,
    ).toBe(406);
  });

  it('answers 406 without Accept', async () => {
    expect((await server.client.get('/api1/', { accept: null })).status).toBe(406);
  });

  it('answers 406 when the TAXII range has q=0', async () => {
    expect(
      (await server.client.get('/api1/', { accept: 'application/taxii+json;version=2.1;q=0' }))
        .status,
    ).toBe(406);
  });
});

describe('hostile and malformed query strings', () => {
  const objects = collectionPath('rw', 'objects/');
  const cases: [string, string][] = [
    ['a nested operator key', 'match[id][$ne]=x'],
    ['a nested key on type', 'match[type][$gt]='],
    ['a repeated match field', 'match[type]=indicator&match[type]=malware'],
    ['a repeated limit', 'limit=1&limit=2'],
    ['an unknown match field', 'match[name]=x'],
    ['an unknown parameter', 'foo=bar'],
    ['an array-style key', 'match[type][]=indicator'],
    ['a prototype key', '__proto__[x]=1'],
    ['a constructor key', 'constructor[prototype][x]=1'],
    ['bad percent-encoding', 'match[type]=%E0%A4%A'],
    ['limit zero', 'limit=0'],
    ['a negative limit', 'limit=-5'],
    ['a fractional limit', 'limit=1.5'],
    ['a non-numeric limit', 'limit=ten'],
    ['a malformed added_after', 'added_after=yesterday'],
    ['added_after without timezone', 'added_after=2026-01-01T00:00:00'],
    ['a malformed version', 'match[version]=newest'],
    ['all combined with last', 'match[version]=all,last'],
    ['an empty list item', 'match[type]=indicator,,malware'],
    ['a malformed id', 'match[id]=not-an-id'],
    ['a malformed spec_version', 'match[spec_version]=latest'],
    ['an empty next', 'next='],
    ['a garbage next', 'next=abc.def'],
    ['a base64 next of the wrong size', 'next=AAAAAAAAAAAAAAAAAAAA'],
    ['an encoded bracket operator', 'match%5Bid%5D%5B%24ne%5D=x'],
  ];
  for (const [what, query] of cases) {
    it(`answers 400 for ${what}`, async () => {
      const res = await server.client.get(objects, { query });
      expectErrorBody(res, 400);
    });
  }

  it('accepts percent-encoded keys of valid parameters', async () => {
    expect((await server.client.get(objects, { query: 'match%5Btype%5D=indicator' })).status).toBe(
      200,
    );
  });
});

describe('paths', () => {
  it('answers 404 for an objects path without the trailing slash', async () => {
    expectErrorBody(await server.client.get(collectionPath('rw', 'objects')), 404);
  });

  it('answers 404 for a POST to a path without the trailing slash', async () => {
    expect(
      (await server.client.post(collectionPath('rw', 'objects'), makeEnvelope(makeIndicator())))
        .status,
    ).toBe(404);
  });

  it('answers 404 for an unknown path under an API root', async () => {
    expectErrorBody(await server.client.get('/api1/collections/rw/things/'), 404);
  });

  it('answers 400 for a malformed percent-encoded path', async () => {
    const res = await checkedFetch(`${server.url}/api1/collections/%E0%A4%A/`, {
      headers: { Accept: TAXII, Authorization: `Bearer ${server.tokens.analyst}` },
    });
    expect(res.status).toBe(400);
  });
});
