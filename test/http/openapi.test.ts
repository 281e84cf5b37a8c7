// GET /openapi.json over real HTTP, the document's validity as OpenAPI 3.1, its completeness
// against the routes the running express app registers, and the response checker that
// validates every response of the HTTP suite against it.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointMethods } from '../../src/http/endpoint-methods.js';
import {
  buildOpenApiDocument,
  operationsOf,
  type OpenApiDocument,
} from '../../src/http/openapi/document.js';
import { TAXII_SCHEMA_DIR } from '../../src/http/openapi/resource-schemas.js';
import { checkedFetch } from '../support/checked-fetch.js';
import { expressRoutes, pathShape } from '../support/express-routes.js';
import {
  compileEveryDocumentedSchema,
  documentedResponses,
  openApiViolations,
} from '../support/openapi-check.js';
import {
  collectionPath,
  startTestServer,
  TEST_CONFIG,
  type TestServer,
} from '../support/start-server.js';
import type { CheckedResponse } from '../support/taxii-conformance.js';

const TAXII = 'application/taxii+json;version=2.1';
const METRICS_TOKEN = 'openapi-test-metrics-token-0123456789';

let server: TestServer;
let tokenDir: string;
let served: OpenApiDocument;

beforeAll(async () => {
  // /metrics on the main listener (a token file, no dedicated port), so that every route the
  // server can register is there.
  tokenDir = await mkdtemp(path.join(os.tmpdir(), 'stixgate-openapi-'));
  const tokenFile = path.join(tokenDir, 'metrics-token');
  await writeFile(tokenFile, `${METRICS_TOKEN}\n`, { mode: 0o600 });
  server = await startTestServer({ env: { STIXGATE_METRICS_TOKEN_FILE: tokenFile } });
  served = (await (await checkedFetch(`${server.url}/openapi.json`)).json()) as OpenApiDocument;
});

afterAll(async () => {
  await server?.close();
  await rm(tokenDir, { recursive: true, force: true });
});

describe('GET /openapi.json', () => {
  it('serves the document without authentication, as application/json, revalidated by ETag', async () => {
    const res = await checkedFetch(`${server.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const doc = (await res.json()) as OpenApiDocument;
    expect(doc).toEqual(buildOpenApiDocument());
    expect(doc.openapi).toBe('3.1.1');
    expect(doc.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(doc.info.version).toBe(pkg.version);

    const again = await checkedFetch(`${server.url}/openapi.json`, {
      headers: { 'If-None-Match': etag! },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const changed = await checkedFetch(`${server.url}/openapi.json`, {
      headers: { 'If-None-Match': '"another"' },
    });
    expect(changed.status).toBe(200);
  });

  it('answers HEAD with the headers only, and ignores credentials', async () => {
    const head = await checkedFetch(`${server.url}/openapi.json`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/json');
    const withBadToken = await checkedFetch(`${server.url}/openapi.json`, {
      headers: { Authorization: 'Bearer not-a-token' },
    });
    expect(withBadToken.status).toBe(200);
  });
});

describe('HEAD, documented for every GET', () => {
  it('answers with the headers of the GET and no body (each response checked against its HEAD operation)', async () => {
    const admin = { Authorization: `Bearer ${server.tokens.admin}`, Accept: TAXII };
    for (const [target, headers] of [
      ['/taxii2/', admin],
      ['/api1/', admin],
      ['/api1/collections/', admin],
      [collectionPath('rw'), admin],
      [collectionPath('rw', 'objects/'), admin],
      [collectionPath('rw', 'manifest/'), admin],
      ['/admin/groups/', admin],
      ['/admin/sharing/', admin],
      ['/healthz', {}],
      ['/readyz', {}],
      ['/metrics', { Authorization: `Bearer ${METRICS_TOKEN}` }],
    ] as const) {
      const res = await checkedFetch(`${server.url}${target}`, { method: 'HEAD', headers });
      expect(res.status, target).toBe(200);
      expect(await res.text(), target).toBe('');
    }
  });

  it('OPTIONS /healthz lists its methods as documented', async () => {
    const res = await checkedFetch(`${server.url}/healthz`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('answers If-None-Match: * with 304', async () => {
    const res = await checkedFetch(`${server.url}/openapi.json`, {
      headers: { 'If-None-Match': '*' },
    });
    expect(res.status).toBe(304);
  });
});

/** Relative $refs of the embedded schemas resolved against their $id (RFC 3986). */
function absoluteRefs(node: unknown, base: string | undefined): unknown {
  if (Array.isArray(node)) return node.map((n) => absoluteRefs(n, base));
  if (typeof node !== 'object' || node === null) return node;
  const obj = node as Record<string, unknown>;
  const here = typeof obj.$id === 'string' ? new URL(obj.$id, base).href : base;
  return Object.fromEntries(
    Object.entries(obj).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && here !== undefined
        ? new URL(v, here).href
        : absoluteRefs(v, here),
    ]),
  );
}

describe('the document', () => {
  it('is valid OpenAPI 3.1 (the OAS 3.1 schema, offline)', async () => {
    // The validator resolves $ref by exact $id only, so relative refs inside the embedded
    // schemas are made absolute first (the same references, as JSON Schema resolves them).
    const result = await new Validator().validate(
      absoluteRefs(served, undefined) as Record<string, unknown>,
    );
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);

    const broken = structuredClone(served) as unknown as Record<string, Record<string, unknown>>;
    delete broken.info!.title;
    broken.paths!['/x/'] = { get: { responses: { '200': { content: 'none' } } } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('embeds the TAXII resource schemas of docs/schemas/taxii/ unchanged', () => {
    const schemas = (served.components as { schemas: Record<string, unknown> }).schemas;
    const files = readdirSync(TAXII_SCHEMA_DIR).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const file of files)
      expect(schemas[`taxii-${file.slice(0, -5)}`]).toEqual(
        JSON.parse(readFileSync(path.join(TAXII_SCHEMA_DIR, file), 'utf8')),
      );
  });

  it('lists the TAXII query parameters, media types, date headers, security and errors', () => {
    const objects = served.paths['/{apiRoot}/collections/{collectionId}/objects/'] as Record<
      string,
      { parameters?: { $ref: string }[]; responses: Record<string, unknown>; security?: unknown }
    >;
    const names = objects.get!.parameters!.map((p) => p.$ref.split('/').pop()).sort();
    expect(names).toEqual(
      [
        'filter-added_after',
        'filter-limit',
        'filter-match-id',
        'filter-match-spec_version',
        'filter-match-type',
        'filter-match-version',
        'filter-next',
      ].sort(),
    );
    expect(objects.get!.security).toEqual([{ bearer: [] }, { basic: [] }]);
    expect(Object.keys(objects.post!.responses).sort()).toEqual(
      [
        '202',
        '400',
        '401',
        '403',
        '404',
        '406',
        '408',
        '413',
        '415',
        '417',
        '422',
        '429',
        '431',
        '500',
        '503',
      ].sort(),
    );
    const ok = objects.get!.responses['200'] as {
      headers: Record<string, unknown>;
      content: Record<string, unknown>;
    };
    expect(Object.keys(ok.content)).toEqual([TAXII]);
    expect(Object.keys(ok.headers).sort()).toEqual([
      'X-TAXII-Date-Added-First',
      'X-TAXII-Date-Added-Last',
    ]);
    const error = (served.components as { responses: Record<string, { content: unknown }> })
      .responses.NotFound!;
    expect(error.content).toEqual({
      [TAXII]: { schema: { $ref: '#/components/schemas/taxii-error' } },
    });
  });

  it('gives every response, header and parameter a schema ajv 2020 compiles in strict mode', () => {
    expect(compileEveryDocumentedSchema()).toBeGreaterThan(500);
    expect(documentedResponses()).toContain('addObjects 202');
  });

  it('resolves every local $ref', () => {
    const refs: string[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (typeof node === 'object' && node !== null)
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) refs.push(v);
          else collect(v);
        }
    };
    collect(served.paths);
    collect((served.components as Record<string, unknown>).responses);
    expect(refs.length).toBeGreaterThan(100);
    for (const ref of new Set(refs)) {
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((o, key) => (o as Record<string, unknown> | undefined)?.[key], served);
      expect(target, ref).toBeDefined();
    }
  });
});

describe('completeness against the running server', () => {
  it('documents every route the express app registers, with the same methods, and no other', () => {
    // The review console is a static web application, not part of the API.
    const table = expressRoutes(server.running.server, /^\/console$/);
    expect(table.skipped).toEqual(['/console']);
    const registered = new Map(
      [...table.routes].map(([p, methods]) => [p, [...methods].sort().join(',')]),
    );
    const documented = new Map(
      Object.entries(served.paths).map(([p, item]) => [
        pathShape(p),
        operationsOf(item)
          .map(([m]) => m.toUpperCase())
          .filter((m) => m !== 'OPTIONS')
          .sort()
          .join(','),
      ]),
    );
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(registered));
    // The walk found the routers: TAXII, admin (sharing included), health, metrics, this one.
    for (const p of [
      '/taxii2/',
      '/{}/collections/{}/objects/{}/versions/',
      '/admin/collections/{}/{}/',
      '/admin/sharing/reload/',
      '/healthz',
      '/readyz',
      '/metrics',
      '/openapi.json',
    ])
      expect(registered.has(p), p).toBe(true);
  });

  it('documents OPTIONS exactly where the endpoint table answers it, with its Allow', () => {
    for (const [template, item] of Object.entries(served.paths)) {
      const sample = template.replace(/\{[^}]+\}/g, 'x');
      const allow = template.startsWith('/admin/') ? undefined : endpointMethods(sample);
      const options = (item as Record<string, unknown>).options as
        { responses: Record<string, { headers: { Allow: { schema: unknown } } }> } | undefined;
      if (allow === undefined) {
        expect(options, template).toBeUndefined();
        continue;
      }
      expect(options!.responses['204']!.headers.Allow.schema, template).toEqual({
        const: allow.join(', '),
      });
      // The table the server answers OPTIONS and 405 from agrees with the documented methods.
      expect(
        operationsOf(item)
          .map(([m]) => m.toUpperCase())
          .sort(),
        template,
      ).toEqual([...allow].sort());
    }
  });

  it('matches a server without metrics on its main listener, except /metrics (404 there)', async () => {
    const plain = await startTestServer({ config: TEST_CONFIG });
    try {
      const routes = expressRoutes(plain.running.server, /^\/console$/).routes;
      const documented = Object.keys(served.paths).map(pathShape).sort();
      expect([...routes.keys()].sort()).toEqual(documented.filter((p) => p !== '/metrics'));
      const res = await checkedFetch(`${plain.url}/metrics`);
      expect(res.status).toBe(404);
      const doc = (await (await checkedFetch(`${plain.url}/openapi.json`)).json()) as unknown;
      expect(doc).toEqual(served);
    } finally {
      await plain.close();
    }
  });
});

function response(
  method: string,
  pathname: string,
  status: number,
  body: unknown,
  headers: Record<string, string> = { 'content-type': TAXII },
): CheckedResponse {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method,
    url: `http://127.0.0.1:1${pathname}`,
    status,
    header: (name) => lower.get(name.toLowerCase()),
    text: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
  };
}

describe('the OpenAPI response checker', () => {
  const collection = '/api1/collections/11111111-1111-4111-8111-111111111111/';
  const error = { title: 'Not found', http_status: '404' };

  it('passes documented answers', () => {
    for (const res of [
      response('GET', `${collection}objects/`, 200, {}),
      response('GET', `${collection}objects/`, 404, error),
      response('GET', '/api1/', 200, { title: 'x', versions: [TAXII], max_content_length: 1 }),
      response('DELETE', `${collection}objects/indicator--x/`, 200, undefined),
      response(
        'GET',
        '/healthz',
        200,
        { status: 'ok', backend: 'sqlite' },
        {
          'content-type': 'application/json',
        },
      ),
      response('GET', '/admin/groups', 200, { groups: [] }, { 'content-type': 'application/json' }),
      response(
        'PUT',
        '/taxii2/',
        405,
        { title: 'x' },
        {
          'content-type': TAXII,
          allow: 'GET, HEAD, OPTIONS',
        },
      ),
      response('GET', '/admin/', 403, { title: 'Forbidden' }),
    ])
      expect(openApiViolations(res).violations, `${res.method} ${res.url}`).toEqual([]);
    expect(openApiViolations(response('GET', '/admin/', 403, error)).outcome).toBe('outside');
    expect(openApiViolations(response('GET', '/console/', 200, 'x')).outcome).toBe('skipped');
  });

  it.each([
    ['an undocumented status', response('GET', '/api1/', 409, { title: 'x' })],
    [
      'a wrong Content-Type',
      response('GET', `${collection}objects/`, 200, {}, { 'content-type': 'application/json' }),
    ],
    ['a body off its schema', response('GET', '/api1/collections/', 200, { collections: [] })],
    [
      'an admin body off its schema',
      response(
        'GET',
        '/admin/groups/',
        200,
        { groups: [{}] },
        { 'content-type': 'application/json' },
      ),
    ],
    ['a 401 without WWW-Authenticate', response('GET', '/api1/', 401, { title: 'x' })],
    [
      'a malformed date header',
      response(
        'GET',
        `${collection}objects/`,
        200,
        {},
        { 'content-type': TAXII, 'x-taxii-date-added-first': 'yesterday' },
      ),
    ],
    [
      'a body on DELETE',
      response('DELETE', `${collection}objects/indicator--x/`, 200, { objects: [] }),
    ],
    ['a success on an undocumented path', response('GET', '/nowhere', 200, {})],
    ['a success on an undocumented method', response('PUT', '/taxii2/', 200, {})],
    [
      'a 405 with the wrong Allow',
      response(
        'PUT',
        '/taxii2/',
        405,
        { title: 'x' },
        { 'content-type': TAXII, allow: 'GET, POST' },
      ),
    ],
    [
      'an error that is not a TAXII error',
      response('GET', '/nowhere', 404, 'not found', { 'content-type': 'text/plain' }),
    ],
  ])('reports %s', (_what, res) => {
    expect(openApiViolations(res).violations).not.toEqual([]);
  });
});
