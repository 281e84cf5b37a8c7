// Bad input loses nothing: every malformed, hostile or oversized request answers the exact
// TAXII 2.1 error (§3.6.1: status, media type, `{title, description, http_status}` with
// http_status a string, nothing internal) AND leaves every collection of the store exactly
// as it was: no object, no version, no partial write.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeEnvelope, makeIndicator, makeMalware } from '../support/builders.js';
import {
  COLLECTIONS,
  collectionPath,
  SMALL_MAX_CONTENT_LENGTH,
  startTestServer,
  TEST_CONFIG,
  testBackend,
  type TestServer,
} from '../support/start-server.js';
import { TAXII, taxiiRequest, type TaxiiResponse } from '../support/taxii-client.js';
import { basicHeader, mintToken, nowSeconds } from '../support/tokens.js';
import { checkedFetch } from '../support/checked-fetch.js';

let server: TestServer;
const seeded = makeIndicator({ name: 'seeded before every case' });
const OBJECTS = collectionPath('rw', 'objects/');

beforeAll(async () => {
  // Many failed authentications on purpose: keep the failed-auth rate limit out of the way.
  server = await startTestServer({
    config: { ...TEST_CONFIG, auth: { rate_limit: { failures: 10_000 } } },
  });
  expect((await server.client.post(OBJECTS, makeEnvelope(seeded))).status).toBe(202);
});
afterAll(async () => {
  await server.close();
});

/** Every stored version of every test collection, with its bytes and date_added. */
async function snapshot(): Promise<string[]> {
  const rows: string[] = [];
  for (const c of Object.values(COLLECTIONS)) {
    const page = await server.store.query(c.id, {
      versions: { kind: 'all' },
      specVersions: ['2.0', '2.1'],
      limit: 1_000_000,
    });
    expect(page.more).toBe(false);
    rows.push(
      ...page.records.map((r) => `${c.alias} ${r.id} ${r.version} ${r.dateAdded} ${r.json}`),
    );
  }
  return rows;
}

let before: string[];
beforeEach(async () => {
  before = await snapshot();
});

async function expectStoreUnchanged(): Promise<void> {
  expect(await snapshot()).toEqual(before);
}

/** TAXII 2.1 §3.6.1 error message, and nothing a client should not learn. */
function expectTaxiiError(res: TaxiiResponse, status: number): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toBe(TAXII);
  const body = res.body as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['description', 'http_status', 'title']);
  expect(typeof body.title).toBe('string');
  expect(typeof body.description).toBe('string');
  expect(body.http_status).toBe(String(status));
  // No stack frames, file paths, engine or driver messages.
  expect(res.text).not.toMatch(
    /\bat .*:\d+|\/work\/|node_modules|\.ts\b|SyntaxError|RangeError|TypeError|Unexpected token|SQLITE|Mongo|E11000|call stack/i,
  );
}

function postRaw(
  body: string | Uint8Array,
  headers: Record<string, string> = {},
  urlPath = OBJECTS,
): Promise<TaxiiResponse> {
  return rawRequest('POST', urlPath, body, { 'Content-Type': TAXII, ...headers });
}

async function rawRequest(
  method: string,
  urlPath: string,
  body: string | Uint8Array | undefined,
  headers: Record<string, string>,
): Promise<TaxiiResponse> {
  const res = await checkedFetch(`${server.url}${urlPath}`, {
    method,
    headers: { Accept: TAXII, Authorization: `Bearer ${server.tokens.analyst}`, ...headers },
    ...(body !== undefined && { body }),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

function envelopeText(...objects: unknown[]): string {
  return JSON.stringify(makeEnvelope(...objects));
}

describe('wrong media type', () => {
  it.each([
    ['text/plain', 'text/plain'],
    ['application/json', 'application/json'],
    ['a STIX bundle media type', 'application/stix+json;version=2.1'],
    ['TAXII 2.0', 'application/vnd.oasis.taxii+json; version=2.0'],
    ['a non-UTF-8 charset', 'application/taxii+json;version=2.1;charset=iso-8859-1'],
    ['form data', 'application/x-www-form-urlencoded'],
  ])('answers 415 for %s and stores nothing', async (_what, contentType) => {
    expectTaxiiError(
      await postRaw(envelopeText(makeIndicator()), { 'Content-Type': contentType }),
      415,
    );
    await expectStoreUnchanged();
  });

  it('answers 406 for a POST whose Accept is not TAXII 2.1, and stores nothing', async () => {
    expectTaxiiError(
      await postRaw(envelopeText(makeIndicator()), { Accept: 'application/json' }),
      406,
    );
    await expectStoreUnchanged();
  });
});

describe('oversized bodies', () => {
  const small = collectionPath('small', 'objects/');

  it('answers 413 for a declared Content-Length over max_content_length, and stores nothing', async () => {
    const text = envelopeText(makeIndicator({ description: 'x'.repeat(SMALL_MAX_CONTENT_LENGTH) }));
    expectTaxiiError(await postRaw(text, {}, small), 413);
    await expectStoreUnchanged();
  });

  it('answers 413 for a chunked body without Content-Length that grows past the limit, and stores nothing', async () => {
    // A valid envelope whose first bytes are an object the server could have stored early.
    const text = envelopeText(
      makeIndicator(),
      makeIndicator({ description: 'y'.repeat(SMALL_MAX_CONTENT_LENGTH) }),
    );
    const bytes = new TextEncoder().encode(text);
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) controller.close();
        else {
          controller.enqueue(bytes.subarray(offset, offset + 256));
          offset += 256;
        }
      },
    });
    const res = await checkedFetch(`${server.url}${small}`, {
      method: 'POST',
      headers: {
        Accept: TAXII,
        'Content-Type': TAXII,
        Authorization: `Bearer ${server.tokens.analyst}`,
      },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const text413 = await res.text();
    expectTaxiiError(
      { status: res.status, headers: res.headers, text: text413, body: JSON.parse(text413) },
      413,
    );
    await expectStoreUnchanged();
  });

  it('answers 413 for a declared length over the limit even when the body sent is short', async () => {
    const res = await new Promise<{
      status: number;
      body: string;
      contentType: string | undefined;
    }>((resolve, reject) => {
      void import('node:http').then(({ request }) => {
        const req = request(`${server.url}${small}`, {
          method: 'POST',
          headers: {
            Accept: TAXII,
            'Content-Type': TAXII,
            Authorization: `Bearer ${server.tokens.analyst}`,
            'Content-Length': String(SMALL_MAX_CONTENT_LENGTH + 1),
          },
        });
        req.on('response', (r) => {
          let body = '';
          r.on('data', (c: Buffer) => (body += c.toString()));
          r.on('end', () =>
            resolve({ status: r.statusCode ?? 0, body, contentType: r.headers['content-type'] }),
          );
        });
        req.on('error', reject);
        // Only the start of the announced body: the server must answer without waiting for the rest.
        req.write('{"objects":[');
      });
    });
    expect(res.status).toBe(413);
    expect(res.contentType).toBe(TAXII);
    expect(JSON.parse(res.body)).toMatchObject({ http_status: '413' });
    await expectStoreUnchanged();
  });
});

describe('bodies that are not a TAXII envelope', () => {
  const valid = makeIndicator();
  const full = envelopeText(valid, makeMalware());
  const cases: [string, string | Uint8Array][] = [
    ['malformed JSON', '{"objects": ['],
    ['JSON truncated in the middle of an object', full.slice(0, Math.floor(full.length / 2))],
    ['JSON truncated one byte short', full.slice(0, -1)],
    ['trailing garbage after the envelope', `${full}xyz`],
    ['two concatenated envelopes', `${full}${full}`],
    ['an empty body', ''],
    ['whitespace only', '  \n '],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0x6f, 0xff, 0xfe, 0x22, 0x3a, 0x5b, 0x5d, 0x7d])],
    ['a UTF-16 body', new Uint8Array(Buffer.from(`\ufeff${full}`, 'utf16le'))],
    ['single quotes', "{'objects': []}"],
    ['NaN', '{"objects": [NaN]}'],
    ['a comment', '{"objects": [] /* x */}'],
    ['a top-level array', `[${JSON.stringify(valid)}]`],
    ['a string', '"objects"'],
    ['a number', '42'],
    ['null', 'null'],
    ['true', 'true'],
    ['objects as an object', `{"objects": ${JSON.stringify(valid)}}`],
    ['objects as a string', '{"objects": "indicator"}'],
    ['objects as null', '{"objects": null}'],
    ['objects as a number', '{"objects": 1}'],
  ];
  it.each(cases)('answers 400 for %s, and stores nothing', async (_what, body) => {
    expectTaxiiError(await postRaw(body), 400);
    await expectStoreUnchanged();
  });

  it('answers 422 when one entry of a list of valid objects is not an object, and stores none of them', async () => {
    expectTaxiiError(
      await postRaw(envelopeText(makeIndicator(), makeMalware(), 'indicator--x')),
      422,
    );
    await expectStoreUnchanged();
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['a list', [makeIndicator()]],
    ['an object without id', { type: 'indicator' }],
    ['an object with a numeric id', { type: 'indicator', id: 7 }],
  ])('answers 422 for an entry that is %s, and stores nothing', async (_what, entry) => {
    expectTaxiiError(await postRaw(envelopeText(makeIndicator(), entry)), 422);
    await expectStoreUnchanged();
  });
});

describe('deeply nested JSON (JSON bomb)', () => {
  const deepArray = (n: number): string => '['.repeat(n) + ']'.repeat(n);
  const deepObject = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  const inProperty = (nested: string): string =>
    envelopeText(makeIndicator()).replace('"name"', `"x_nested":${nested},"name"`);

  it.each([
    ['nested arrays in a custom property', inProperty(deepArray(100_000))],
    ['nested objects in a custom property', inProperty(deepObject(5_000))],
    ['nested arrays as the objects list', `{"objects":${deepArray(100_000)}}`],
    ['nested objects beside the objects list', `{"objects":[],"x":${deepObject(100_000)}}`],
  ])('answers 400 for %s, and stores nothing', async (_what, body) => {
    expectTaxiiError(await postRaw(body), 400);
    await expectStoreUnchanged();
  });

  it('stores nothing of a batch whose other objects are valid', async () => {
    const good = makeIndicator();
    const text = envelopeText(good, makeIndicator({ x_nested: 'DEEP' })).replace(
      '"DEEP"',
      deepArray(10_000),
    );
    expectTaxiiError(await postRaw(text), 400);
    await expectStoreUnchanged();
    expect((await server.client.get(collectionPath('rw', `objects/${good.id}/`))).status).toBe(404);
  });

  it('accepts nesting that real STIX content uses', async () => {
    const obj = makeIndicator({ x_acme_context: JSON.parse(deepObject(20)) as unknown });
    const res = await server.client.post(OBJECTS, makeEnvelope(obj));
    expect(res.body).toMatchObject({ success_count: 1 });
  });

  it('counts no bracket inside a string, escaped quotes included', async () => {
    const obj = makeIndicator({
      description: `${'['.repeat(300)} \\" ${'{'.repeat(300)} \\\\ "[[[`,
      x_text: '\\"]]]]',
    });
    const res = await server.client.post(OBJECTS, makeEnvelope(obj));
    expect(res.body).toMatchObject({ success_count: 1 });
    expect((await server.client.get(collectionPath('rw', `objects/${obj.id}/`))).body).toEqual({
      more: false,
      objects: [obj],
    });
  });

  it('answers 400 for a JSON bomb sent to the admin API too', async () => {
    const res = await rawRequest(
      'POST',
      '/admin/collections/',
      `{"api_root":"api1","title":"t","x":${deepArray(1_000)}}`,
      {
        Authorization: `Bearer ${server.tokens.admin}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
    );
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/call stack|RangeError/);
    expect((await server.store.listCollections('api1')).map((c) => c.title)).not.toContain('t');
  });
});

describe('invalid STIX inside a valid envelope', () => {
  it('stores the valid objects exactly once and none of the invalid ones', async () => {
    const good = makeIndicator();
    const badType = { ...makeIndicator(), type: 'not a type' };
    const noPattern = makeIndicator();
    delete noPattern.pattern;
    const res = await server.client.post(OBJECTS, makeEnvelope(good, badType, noPattern));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ total_count: 3, success_count: 1, failure_count: 2 });
    const after = await snapshot();
    const added = after.filter((row) => !before.includes(row));
    expect(added).toHaveLength(1);
    expect(added[0]).toContain(good.id);
    expect(after.filter((row) => before.includes(row))).toEqual(before);
  });

  it('keeps a "__proto__" key of a custom property as posted', async () => {
    const obj = makeIndicator();
    const text = envelopeText(obj).replace('"name"', '"x_acme":{"__proto__":{"p":1},"b":2},"name"');
    const res = await postRaw(text);
    expect(res.body).toMatchObject({ success_count: 1, failure_count: 0 });
    const stored = await server.client.get(collectionPath('rw', `objects/${obj.id}/`));
    expect(stored.text).toContain('"x_acme":{"__proto__":{"p":1},"b":2}');
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });

  it('does not let a re-post of an object without its "__proto__" key pass as a duplicate', async () => {
    const obj = makeIndicator({ x_acme: { b: 2 } });
    const withProto = envelopeText(obj).replace(
      '"x_acme":{"b":2}',
      '"x_acme":{"__proto__":{"p":1},"b":2}',
    );
    expect((await postRaw(withProto)).body).toMatchObject({ success_count: 1 });
    const plain = await server.client.post(OBJECTS, makeEnvelope(obj));
    expect(plain.body).toMatchObject({ failure_count: 1 });
  });
});

describe('a huge number of objects', () => {
  it('reports every entry of a large envelope of invalid stubs and stores none of them', async () => {
    const count = 20_000;
    const text = `{"objects":[${Array.from({ length: count }, (_, i) => `{"id":"indicator--${i}"}`).join(',')}]}`;
    const res = await postRaw(text);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ total_count: count, success_count: 0, failure_count: count });
    await expectStoreUnchanged();
  });

  // The API root caps objects per request (default 100,000): a status is ~90 bytes per
  // object even for 10-byte stubs, so the cap bounds what one request can make us build.
  it('answers 202 with a status for one valid object among 99,999 invalid stubs (the default cap)', async () => {
    const good = makeIndicator();
    const text = `{"objects":[${JSON.stringify(good)},${Array.from({ length: 99_999 }, () => '{"id":"a"}').join(',')}]}`;
    const res = await postRaw(text);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ total_count: 100_000, success_count: 1 });
    const status = await server.client.get(`/api1/status/${(res.body as { id: string }).id}/`);
    expect(status.status).toBe(200);
    expect((status.body as { failure_count: number }).failure_count).toBe(99_999);
  });

  it('answers 422 to 250,000 stubs (over the cap) and stores nothing', async () => {
    const text = `{"objects":[${JSON.stringify(makeIndicator())},${Array.from({ length: 250_000 }, () => '{"id":"a"}').join(',')}]}`;
    expectTaxiiError(await postRaw(text), 422);
    await expectStoreUnchanged();
  });

  it('stores every object of a large valid envelope, in order, with distinct date_added', async () => {
    const objects = Array.from({ length: 2_000 }, (_, i) => makeIndicator({ name: `bulk ${i}` }));
    const res = await server.client.post(OBJECTS, makeEnvelope(...objects));
    expect(res.body).toMatchObject({ success_count: objects.length, failure_count: 0 });
    const page = await server.store.query(COLLECTIONS.rw.id, {
      ids: objects.map((o) => o.id),
      versions: { kind: 'all' },
      limit: 10_000,
    });
    expect(page.records.map((r) => r.id)).toEqual(objects.map((o) => o.id));
    expect(new Set(page.records.map((r) => r.dateAdded)).size).toBe(objects.length);
  });
});

describe('hostile query strings', () => {
  const hostile: [string, string][] = [
    ['a nested operator', 'match[id][$ne]=x'],
    ['an array-style key', 'match[type][]=indicator'],
    ['a repeated key', 'match[type]=indicator&match[type]=malware'],
    ['a key repeated under another encoding', 'match[type]=indicator&match%5Btype%5D=malware'],
    ['a __proto__ key', '__proto__=1'],
    ['a __proto__ match field', 'match[__proto__]=x'],
    ['a constructor key', 'constructor[prototype]=x'],
    ['a constructor match field', 'match[constructor]=x'],
    ['a hasOwnProperty key', 'hasOwnProperty=x'],
    ['an over-long value', `match[id]=indicator--${'a'.repeat(9000)}`],
    [
      'an over-long list',
      `match[type]=${Array.from({ length: 1000 }, () => 'indicator').join(',')}`,
    ],
    ['many parameters', Array.from({ length: 40 }, (_, i) => `p${i}=1`).join('&')],
    ['invalid UTF-8 in a value', 'match[type]=%FF%FE'],
    ['an overlong UTF-8 encoding', 'match[type]=%C0%AF'],
    ['a truncated percent escape', 'match[type]=indicator%2'],
    ['a NUL byte', 'match[type]=indicator%00'],
    ['a NUL byte in a key', 'match%00[type]=indicator'],
    ['a JSON value', 'match[id]={"$gt":""}'],
    ['a SQL fragment', "match[type]=indicator'%20OR%20'1'='1"],
    ['an added_after far out of range', 'added_after=99999-01-01T00:00:00Z'],
    ['a limit beyond integers', 'limit=1e309'],
    ['a hex limit', 'limit=0x10'],
  ];

  it.each(hostile)('answers 400 to GET objects for %s', async (_what, query) => {
    expectTaxiiError(await server.client.get(OBJECTS, { query }), 400);
  });

  it.each(hostile)('answers 400 to GET manifest for %s', async (_what, query) => {
    expectTaxiiError(await server.client.get(collectionPath('rw', 'manifest/'), { query }), 400);
  });

  it.each([
    ['a nested version operator', 'match[version][$ne]=x'],
    ['an array-style version', 'match[version][]=all'],
    ['a repeated version', `match[version]=first&match[version]=last`],
    ['all combined with last', 'match[version]=all,last'],
    ['a __proto__ key', '__proto__[version]=all'],
    ['invalid UTF-8', 'match[version]=%FF'],
  ])('answers 400 to DELETE for %s, and deletes nothing', async (_what, query) => {
    expectTaxiiError(
      await server.client.delete(collectionPath('rw', `objects/${seeded.id}/`), { query }),
      400,
    );
    await expectStoreUnchanged();
    expect((await server.client.get(collectionPath('rw', `objects/${seeded.id}/`))).status).toBe(
      200,
    );
  });

  it('answers 400 to a POST carrying a query string, and stores nothing', async () => {
    expectTaxiiError(
      await postRaw(envelopeText(makeIndicator()), {}, `${OBJECTS}?match[id][$ne]=x`),
      400,
    );
    await expectStoreUnchanged();
  });

  it('refuses a query past the HTTP parser header limit with a TAXII 431 before any TAXII code runs', async () => {
    // node:http refuses it; src/http/client-error.ts still answers with a TAXII error body.
    const res = await server.client.get(OBJECTS, { query: `match[id]=${'a'.repeat(20_000)}` });
    expect(res.status).toBe(431);
    expect(res.body).toMatchObject({ http_status: '431' });
  });

  it('leaves Object.prototype untouched', async () => {
    await server.client.get(OBJECTS, {
      query: '__proto__[polluted]=1&constructor[prototype][polluted]=1',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('bad credentials on writes', () => {
  const cases: [string, () => Record<string, string>][] = [
    ['no Authorization', () => ({ Authorization: '' })],
    [
      'an expired token',
      () => ({ Authorization: `Bearer ${mintToken({ exp: nowSeconds() - 60 })}` }),
    ],
    [
      'a token signed with another secret',
      () => ({ Authorization: `Bearer ${mintToken({}, { secret: 'z'.repeat(48) })}` }),
    ],
    [
      'a truncated token',
      () => ({ Authorization: `Bearer ${server.tokens.analyst.slice(0, -5)}` }),
    ],
    [
      'Basic without a colon',
      () => ({ Authorization: `Basic ${Buffer.from(server.tokens.analyst).toString('base64')}` }),
    ],
    ['Basic that is not base64', () => ({ Authorization: 'Basic %%%not-base64%%%' })],
    ['Basic with a user only', () => ({ Authorization: basicHeader('', 'analyst').authorization })],
    ['an empty Bearer', () => ({ Authorization: 'Bearer ' })],
    ['a Bearer of spaces', () => ({ Authorization: 'Bearer      ' })],
    [
      'a token split by a space',
      () => ({
        Authorization: `Bearer ${server.tokens.analyst.slice(0, 20)} ${server.tokens.analyst.slice(20)}`,
      }),
    ],
  ];
  it.each(cases)(
    'answers 401 with the challenge for %s, and stores nothing',
    async (_what, headers) => {
      const h = headers();
      const res = await rawRequest('POST', OBJECTS, envelopeText(makeIndicator()), {
        'Content-Type': TAXII,
        ...h,
      });
      expectTaxiiError(res, 401);
      expect(res.headers.get('www-authenticate')).toBe(
        'Bearer realm="stixgate", Basic realm="stixgate"',
      );
      await expectStoreUnchanged();
    },
  );

  it('answers 401 for DELETE with a bad token, and deletes nothing', async () => {
    const res = await taxiiRequest(
      'DELETE',
      `${server.url}${collectionPath('rw', `objects/${seeded.id}/`)}`,
      undefined,
      { token: 'x.y.z' },
    );
    expectTaxiiError(res, 401);
    await expectStoreUnchanged();
  });
});

describe.skipIf(testBackend() !== 'sqlite')(
  'a store failure in the middle of a batch (SQLite)',
  () => {
    // One batch for both tests: the retry must succeed with exactly what failed.
    const first = makeIndicator({ name: 'first of the batch' });
    const failing = makeMalware({ name: 'the store refuses this one' });
    const last = makeIndicator({ name: 'last of the batch' });

    it('answers 5xx without a detail, and stores no object of the batch', async () => {
      // A second connection to the server's own database file installs a trigger that aborts the
      // insert of the middle object, inside the write transaction of the real store.
      const db = new Database(path.join(server.dataDir, 'stixgate.db'));
      try {
        db.exec(
          `CREATE TRIGGER qa_fail BEFORE INSERT ON objects WHEN NEW.id = '${failing.id}' BEGIN SELECT RAISE(ABORT, 'qa: injected failure'); END`,
        );
        const res = await server.client.post(OBJECTS, makeEnvelope(first, failing, last));
        expect(res.status).toBeGreaterThanOrEqual(500);
        expectTaxiiError(res, res.status);
        expect(res.text).not.toContain('injected');
        await expectStoreUnchanged();
        expect((await server.client.get(collectionPath('rw', `objects/${first.id}/`))).status).toBe(
          404,
        );
      } finally {
        db.exec('DROP TRIGGER IF EXISTS qa_fail');
        db.close();
      }
    });

    it('accepts the same batch once the failure is gone', async () => {
      const res = await server.client.post(OBJECTS, makeEnvelope(first, failing, last));
      expect(res.body).toMatchObject({ success_count: 3, failure_count: 0 });
      for (const o of [first, failing, last])
        expect((await server.client.get(collectionPath('rw', `objects/${o.id}/`))).status).toBe(
          200,
        );
    });
  },
);
