// The TAXII 2.1 resource schemas (docs/schemas/taxii/) and the response checker the HTTP
// suites run on every response: each rule can fail.
import { describe, expect, it } from 'vitest';
import {
  endpointOf,
  schemaViolations,
  taxiiViolations,
  type CheckedResponse,
  type ResourceName,
} from '../../support/taxii-conformance.js';

const TAXII = 'application/taxii+json;version=2.1';
const UUID4 = '2d086da7-4bdc-4f91-900e-d77486753710';
const TS = '2016-11-02T12:34:34.123456Z';

function response(
  method: string,
  path: string,
  status: number,
  body: unknown,
  headers: Record<string, string> = { 'content-type': TAXII },
): CheckedResponse {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method,
    url: `http://127.0.0.1:1${path}`,
    status,
    header: (name) => lower[name.toLowerCase()],
    text: body === undefined ? '' : JSON.stringify(body),
  };
}

const status = {
  id: UUID4,
  status: 'complete',
  request_timestamp: TS,
  total_count: 1,
  success_count: 1,
  successes: [{ id: 'indicator--c410e480-e42b-47d1-9476-85307c12bcbf', version: TS }],
  failure_count: 0,
  pending_count: 0,
};

describe('resource schemas', () => {
  it.each([
    ['discovery', { title: 'x', default: '/api1/', api_roots: ['/api1/', 'https://t.example/a/'] }],
    ['api-root', { title: 'x', versions: [TAXII], max_content_length: 1 }],
    ['status', status],
    ['collections', {}],
    [
      'collection',
      {
        id: UUID4,
        title: 't',
        can_read: true,
        can_write: false,
        media_types: ['application/stix+json;version=2.1'],
      },
    ],
    ['manifest', { objects: [{ id: 'x', date_added: TS, version: 'v' }] }],
    [
      'envelope',
      { more: true, next: 'n', objects: [{ type: 'indicator', id: `indicator--${UUID4}` }] },
    ],
    ['envelope', {}],
    ['versions', { versions: ['2016-11-03T12:30:59.000Z'] }],
    ['error', { title: 'x', http_status: '404', details: { a: 1 }, x_acme_hint: 'custom (§7.1)' }],
  ] as const)('accepts a valid %s', (resource, body) => {
    expect(schemaViolations(resource, body)).toEqual([]);
  });

  it.each([
    ['status', { ...status, failures: [] }, 'failures'],
    ['status', { ...status, pendings: [] }, 'pendings'],
    ['status', { ...status, id: '2d086da7-4bdc-1f91-900e-d77486753710' }, 'not a v4 UUID'],
    // The example of §4.3 itself has five fractional digits; §2 demands six.
    ['status', { ...status, request_timestamp: '2016-11-02T12:34:34.12345Z' }, 'request_timestamp'],
    ['status', { ...status, success_count: -1 }, 'success_count'],
    ['status', { ...status, total_count: 2 ** 53 }, 'beyond 2^53 - 1'],
    ['status', { ...status, successes: [{ id: 'x' }] }, 'status-details without version'],
    ['discovery', { title: 'x', api_roots: ['//host/api1/'] }, 'api root "//"'],
    ['discovery', { title: 'x', api_roots: ['http://host/api1/'] }, 'api root over http'],
    ['discovery', { title: 'x', api_roots: ['/api1/?a=b'] }, 'api root with a query'],
    ['discovery', { title: 'x', api_roots: [] }, 'empty api_roots'],
    [
      'api-root',
      { title: 'x', versions: ['application/taxii+json'], max_content_length: 1 },
      'versions without 2.1',
    ],
    ['api-root', { title: 'x', versions: [TAXII], max_content_length: 0 }, 'max_content_length 0'],
    ['collections', { collections: [] }, 'empty collections'],
    [
      'collection',
      { id: UUID4, title: 't', can_read: 'yes', can_write: false },
      'can_read not boolean',
    ],
    ['manifest', { objects: [] }, 'empty objects'],
    [
      'manifest',
      { objects: [{ id: 'x', date_added: '2016-11-04T03:04:051Z', version: 'v' }] },
      'date_added (the §5.3 example)',
    ],
    ['envelope', { objects: [] }, 'empty objects'],
    ['envelope', { objects: [{ type: 'indicator' }] }, 'object without id'],
    ['versions', { versions: [] }, 'empty versions'],
    ['error', { http_status: '404' }, 'error without title'],
    ['error', { title: 'x', http_status: 404 }, 'http_status a number'],
    ['error', { title: 'x', BadName: 1 }, 'custom property name outside §7.1'],
  ] as [ResourceName, unknown, string][])('refuses a %s with %s', (resource, body) => {
    expect(schemaViolations(resource, body)).not.toEqual([]);
  });
});

describe('response checker', () => {
  const objects = '/api1/collections/11111111-1111-4111-8111-111111111111/objects/';
  const manifest = '/api1/collections/11111111-1111-4111-8111-111111111111/manifest/';
  const dated = {
    'content-type': TAXII,
    'x-taxii-date-added-first': TS,
    'x-taxii-date-added-last': TS,
  };

  it('maps paths to endpoints and skips non-TAXII ones', () => {
    expect(endpointOf('/taxii2/')).toBe('discovery');
    expect(endpointOf('/api1/status/x/')).toBe('status');
    expect(endpointOf(`${objects}indicator--${UUID4}/versions/`)).toBe('versions');
    for (const p of [
      '/healthz',
      '/readyz',
      '/metrics',
      '/openapi.json',
      '/admin/groups/',
      '/console/',
    ])
      expect(endpointOf(p)).toBeUndefined();
    expect(
      taxiiViolations(response('GET', '/metrics', 200, 'text', { 'content-type': 'text/plain' }))
        .checked,
    ).toBe(false);
  });

  it('passes a valid page with its date headers', () => {
    const body = { objects: [{ type: 'indicator', id: `indicator--${UUID4}` }] };
    expect(taxiiViolations(response('GET', objects, 200, body, dated)).violations).toEqual([]);
    expect(taxiiViolations(response('GET', objects, 200, {})).violations).toEqual([]);
  });

  it.each([
    [
      'a wrong Content-Type',
      response(
        'GET',
        '/api1/',
        200,
        { title: 'x', versions: [TAXII], max_content_length: 1 },
        { 'content-type': 'application/json' },
      ),
    ],
    [
      'missing date headers on a non-empty page',
      response('GET', objects, 200, {
        objects: [{ type: 'indicator', id: `indicator--${UUID4}` }],
      }),
    ],
    [
      'a date header that is no TAXII timestamp',
      response(
        'GET',
        objects,
        200,
        {},
        { 'content-type': TAXII, 'x-taxii-date-added-first': '2016-11-02T12:34:34Z' },
      ),
    ],
    [
      'manifest headers that are not the first/last date_added',
      response(
        'GET',
        manifest,
        200,
        { objects: [{ id: 'x', date_added: TS, version: 'v' }] },
        { ...dated, 'x-taxii-date-added-last': '2017-01-01T00:00:00.000000Z' },
      ),
    ],
    [
      'http_status unlike the status',
      response('GET', '/api1/', 404, { title: 'x', http_status: '400' }),
    ],
    ['an error without a body', response('GET', '/api1/', 404, undefined)],
    ['next without more', response('GET', objects, 200, { next: 'n' })],
    ['a body on a DELETE 200', response('DELETE', `${objects}indicator--${UUID4}/`, 200, {})],
    ['a status with an empty list', response('POST', objects, 202, { ...status, failures: [] })],
    [
      'an undeclared property',
      response('GET', '/api1/', 200, {
        title: 'x',
        versions: [TAXII],
        max_content_length: 1,
        internal_note: 'x',
      }),
    ],
  ])('reports %s', (_what, res) => {
    const { checked, violations } = taxiiViolations(res);
    expect(checked).toBe(true);
    expect(violations).not.toEqual([]);
  });
});
