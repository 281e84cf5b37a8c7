// Checks one HTTP response against TAXII 2.1: the body against the JSON Schema of its endpoint
// (docs/schemas/taxii/), and the headers the endpoint requires. Every HTTP test request goes
// through checkTaxiiResponse (taxii-client.ts, checked-fetch.ts, the curl and https helpers),
// so a violation fails the test that made the request.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import { openApiViolations } from './openapi-check.js';

const addFormats = addFormatsModule.default;

const SCHEMA_DIR = fileURLToPath(new URL('../../docs/schemas/taxii/', import.meta.url));
const SCHEMA_BASE = 'https://schemas.stixgate.invalid/taxii-2.1/';

export type ResourceName =
  | 'discovery'
  | 'api-root'
  | 'status'
  | 'collections'
  | 'collection'
  | 'manifest'
  | 'envelope'
  | 'versions'
  | 'error';

let validators: Map<ResourceName, ValidateFunction> | undefined;

function compiled(): Map<ResourceName, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv, ['date-time']);
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')))
    ajv.addSchema(JSON.parse(readFileSync(`${SCHEMA_DIR}${file}`, 'utf8')) as object);
  const names: ResourceName[] = [
    'discovery',
    'api-root',
    'status',
    'collections',
    'collection',
    'manifest',
    'envelope',
    'versions',
    'error',
  ];
  validators = new Map(names.map((n) => [n, ajv.getSchema(`${SCHEMA_BASE}${n}.json`)!]));
  return validators;
}

/** Validates `body` against one resource schema; the messages name the failing JSON pointer. */
export function schemaViolations(resource: ResourceName, body: unknown): string[] {
  const validate = compiled().get(resource)!;
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (e) =>
      `${resource} ${e.instancePath || '/'} ${e.message ?? e.keyword}${
        e.keyword === 'propertyNames' || e.keyword === 'additionalProperties'
          ? ` ${JSON.stringify(e.params)}`
          : ''
      }`,
  );
}

/** What a TAXII 2.1 endpoint is, from the request path (`undefined`: not a TAXII endpoint). */
export type Endpoint =
  | 'discovery'
  | 'api-root'
  | 'status'
  | 'collections'
  | 'collection'
  | 'manifest'
  | 'objects'
  | 'object'
  | 'versions'
  | 'revoke'
  | 'unknown';

/** Paths served by stixgate that are not TAXII: health, readiness, metrics, OpenAPI, admin, console. */
const NON_TAXII = [
  /^\/healthz$/,
  /^\/readyz$/,
  /^\/metrics$/,
  /^\/openapi\.json$/,
  /^\/admin(\/|$)/,
  /^\/console(\/|$)/,
];

export function endpointOf(pathname: string): Endpoint | undefined {
  if (NON_TAXII.some((re) => re.test(pathname))) return undefined;
  if (pathname === '/taxii2/') return 'discovery';
  const s = pathname.split('/');
  // ['', root, ..., ''] for a path with the trailing slash TAXII requires.
  if (s.length < 3 || s[0] !== '' || s[s.length - 1] !== '') return 'unknown';
  const parts = s.slice(1, -1);
  if (parts.some((p) => p === '')) return 'unknown';
  const [, a, , c, , e] = parts;
  switch (parts.length) {
    case 1:
      return 'api-root';
    case 2:
      return a === 'collections' ? 'collections' : 'unknown';
    case 3:
      return a === 'status' ? 'status' : a === 'collections' ? 'collection' : 'unknown';
    case 4:
      if (a !== 'collections') return 'unknown';
      return c === 'manifest' ? 'manifest' : c === 'objects' ? 'objects' : 'unknown';
    case 5:
      return a === 'collections' && c === 'objects' ? 'object' : 'unknown';
    case 6:
      if (a !== 'collections' || c !== 'objects') return 'unknown';
      return e === 'versions' ? 'versions' : e === 'revoke' ? 'revoke' : 'unknown';
    default:
      return 'unknown';
  }
}

/** The resource a successful answer carries, per method (TAXII 2.1 §4, §5; revoke is stixgate's). */
function successResource(endpoint: Endpoint, method: string): ResourceName | 'none' | undefined {
  const get = method === 'GET' || method === 'HEAD';
  switch (endpoint) {
    case 'discovery':
    case 'api-root':
    case 'status':
    case 'collections':
    case 'collection':
    case 'manifest':
    case 'versions':
      return get ? endpoint : undefined;
    case 'objects':
      return get ? 'envelope' : method === 'POST' ? 'status' : undefined;
    case 'object':
      return get ? 'envelope' : method === 'DELETE' ? 'none' : undefined;
    case 'revoke':
      return method === 'POST' ? 'status' : undefined;
    default:
      return undefined;
  }
}

/** The endpoints whose 2xx answers carry X-TAXII-Date-Added-First/Last (TAXII 2.1 §3.2). */
const DATE_HEADER_ENDPOINTS: ReadonlySet<Endpoint> = new Set([
  'manifest',
  'objects',
  'object',
  'versions',
]);

/**
 * Properties stixgate sends beyond the resource tables (TAXII 2.1 §7.1 allows custom
 * properties): `next` on manifest and versions pages (cursor paging on every list endpoint).
 * Anything else undeclared is reported, so that a misspelt or leaked property fails a test.
 */
const STIXGATE_EXTENSIONS: Partial<Record<ResourceName, readonly string[]>> = {
  manifest: ['next'],
  versions: ['next'],
};

const DEFINED: Record<ResourceName, readonly string[]> = {
  discovery: ['title', 'description', 'contact', 'default', 'api_roots'],
  'api-root': ['title', 'description', 'versions', 'max_content_length'],
  status: [
    'id',
    'status',
    'request_timestamp',
    'total_count',
    'success_count',
    'successes',
    'failure_count',
    'failures',
    'pending_count',
    'pendings',
  ],
  collections: ['collections'],
  collection: ['id', 'title', 'description', 'alias', 'can_read', 'can_write', 'media_types'],
  manifest: ['more', 'objects'],
  envelope: ['more', 'next', 'objects'],
  versions: ['more', 'versions'],
  error: [
    'title',
    'description',
    'error_id',
    'error_code',
    'http_status',
    'external_details',
    'details',
  ],
};

const TAXII_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export interface CheckedResponse {
  method: string;
  url: string;
  status: number;
  /** Header lookup, case-insensitive; `undefined` when absent. */
  header: (name: string) => string | undefined;
  /** The body text as received ('' when there is none). */
  text: string;
}

/** `application/taxii+json;version=2.1`, allowing whitespace and parameter order (RFC 7231 §3.1.1.1). */
function isTaxii21ContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [type, ...params] = value.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/taxii+json') return false;
  return params.some((p) => p.replace(/\s+/g, '') === 'version=2.1');
}

function undeclared(resource: ResourceName, body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const known = new Set([...DEFINED[resource], ...(STIXGATE_EXTENSIONS[resource] ?? [])]);
  const extra = Object.keys(body).filter((k) => !known.has(k));
  const nested: string[] = [];
  if (resource === 'collections') {
    const list = (body as { collections?: unknown }).collections;
    if (Array.isArray(list))
      list.forEach((c, i) =>
        undeclared('collection', c).forEach((v) => nested.push(`collections/${i}: ${v}`)),
      );
  }
  return [
    ...extra.map(
      (k) => `${resource} carries the undeclared property "${k}" (stixgate defines none)`,
    ),
    ...nested,
  ];
}

/** The semantic rules a schema cannot state (they compare properties or the response). */
function crossChecks(
  resource: ResourceName,
  body: Record<string, unknown>,
  res: CheckedResponse,
): string[] {
  const out: string[] = [];
  if (
    resource === 'error' &&
    body.http_status !== undefined &&
    body.http_status !== String(res.status)
  )
    out.push(
      `error http_status "${String(body.http_status)}" differs from the HTTP status ${res.status}`,
    );
  if (resource === 'discovery' && body.default !== undefined) {
    const roots = Array.isArray(body.api_roots) ? body.api_roots : [];
    if (!roots.includes(body.default)) out.push('discovery default is not an item of api_roots');
  }
  if (
    (resource === 'envelope' || resource === 'manifest' || resource === 'versions') &&
    body.next !== undefined &&
    body.more !== true
  )
    out.push(`${resource} has next without more: true`);
  if (resource === 'envelope' && Array.isArray(body.objects)) {
    body.objects.forEach((o: unknown, i) => {
      const obj = o as { type?: unknown; id?: unknown };
      if (
        typeof obj.type === 'string' &&
        typeof obj.id === 'string' &&
        !obj.id.startsWith(`${obj.type}--`)
      )
        out.push(`envelope /objects/${i} id ${obj.id} does not start with its type ${obj.type}--`);
    });
  }
  if (resource === 'manifest' && Array.isArray(body.objects) && body.objects.length > 0) {
    const added = body.objects.map((r) => String((r as { date_added?: unknown }).date_added));
    // §3.3: ascending by date_added. TAXII timestamps of one form sort as strings.
    for (let i = 1; i < added.length; i++)
      if (added[i]! < added[i - 1]!) out.push(`manifest not sorted by date_added at /objects/${i}`);
    const first = res.header('x-taxii-date-added-first');
    const last = res.header('x-taxii-date-added-last');
    if (first !== undefined && first !== added[0])
      out.push(
        `X-TAXII-Date-Added-First ${first} is not the first record's date_added ${added[0]}`,
      );
    if (last !== undefined && last !== added[added.length - 1])
      out.push(
        `X-TAXII-Date-Added-Last ${last} is not the last record's date_added ${added[added.length - 1]}`,
      );
  }
  if (resource === 'status') {
    for (const [list, count] of [
      ['successes', 'success_count'],
      ['failures', 'failure_count'],
      ['pendings', 'pending_count'],
    ] as const) {
      const items = body[list];
      if (Array.isArray(items) && typeof body[count] === 'number' && items.length > body[count])
        out.push(`status lists ${items.length} ${list} but ${count} is ${String(body[count])}`);
    }
  }
  return out;
}

function itemCount(resource: ResourceName, body: Record<string, unknown>): number {
  const list = resource === 'versions' ? body.versions : body.objects;
  return Array.isArray(list) ? list.length : 0;
}

/**
 * Every TAXII 2.1 rule this response breaks ([] when none). Responses to non-TAXII paths, to
 * methods TAXII does not define for the path, and 1xx/3xx answers are not TAXII responses and
 * are skipped (`checked: false`).
 */
export function taxiiViolations(res: CheckedResponse): { checked: boolean; violations: string[] } {
  const pathname = new URL(res.url).pathname;
  const endpoint = endpointOf(pathname);
  const method = res.method.toUpperCase();
  if (endpoint === undefined) return { checked: false, violations: [] };
  if (!['GET', 'HEAD', 'POST', 'DELETE'].includes(method))
    return { checked: false, violations: [] };
  if (res.status < 200 || (res.status >= 300 && res.status < 400))
    return { checked: false, violations: [] };
  // A 204 carries no TAXII content (CORS preflights).
  if (res.status === 204) return { checked: true, violations: [] };

  const out: string[] = [];
  const where = `${method} ${pathname} → ${res.status}`;
  const contentType = res.header('content-type');
  if (!isTaxii21ContentType(contentType))
    out.push(
      `Content-Type is ${contentType === undefined ? 'missing' : `"${contentType}"`}, not application/taxii+json;version=2.1`,
    );

  let resource: ResourceName | 'none' | undefined;
  if (res.status >= 400) resource = 'error';
  else {
    resource = successResource(endpoint, method);
    if (resource === undefined) {
      out.push(`a ${res.status} answer to ${method} on a path that is no TAXII endpoint for it`);
      return { checked: true, violations: out.map((v) => `${where}: ${v}`) };
    }
  }

  const hasBody = res.text.length > 0 && method !== 'HEAD';
  if (resource === 'none') {
    if (hasBody) out.push('a body where the endpoint defines none');
  } else if (res.status >= 400 && !hasBody) {
    // §3.1: an error answer MAY carry an error message; stixgate always sends one.
    if (method !== 'HEAD') out.push('an error without its error message body');
  } else if (hasBody || method !== 'HEAD') {
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      out.push(`the body is not JSON: ${JSON.stringify(res.text.slice(0, 80))}`);
    }
    if (body !== undefined) {
      out.push(...schemaViolations(resource, body), ...undeclared(resource, body));
      if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
        const record = body as Record<string, unknown>;
        out.push(...crossChecks(resource, record, res));
        if (
          res.status >= 200 &&
          res.status < 300 &&
          DATE_HEADER_ENDPOINTS.has(endpoint) &&
          method !== 'DELETE'
        )
          out.push(...dateHeaderViolations(res, itemCount(resource, record)));
      }
    }
  }
  return { checked: true, violations: out.map((v) => `${where}: ${v}`) };
}

/**
 * TAXII 2.1 §3.2: every 2xx of manifest, objects, object and versions MUST carry both headers,
 * each a TAXII timestamp. An answer without any object has no first or last date_added to
 * name (the standard does not say what to send then; an open erratum asks it): there the
 * headers are accepted absent, and must still be timestamps when present.
 */
function dateHeaderViolations(res: CheckedResponse, items: number): string[] {
  const out: string[] = [];
  const first = res.header('x-taxii-date-added-first');
  const last = res.header('x-taxii-date-added-last');
  for (const [name, value] of [
    ['X-TAXII-Date-Added-First', first],
    ['X-TAXII-Date-Added-Last', last],
  ] as const) {
    if (value === undefined) {
      if (items > 0) out.push(`${name} missing on a 2xx with ${items} item(s)`);
    } else if (!TAXII_TIMESTAMP.test(value))
      out.push(`${name} "${value}" is not a TAXII timestamp`);
  }
  if (first !== undefined && last !== undefined && first > last)
    out.push(`X-TAXII-Date-Added-First ${first} is after X-TAXII-Date-Added-Last ${last}`);
  return out;
}

// Counts per test file; the setup file reports them to the run summary.
export const responseChecks = { checked: 0, skipped: 0, violations: 0 };
/** The OpenAPI check (openapi-check.ts) of the same responses. */
export const openApiChecks = { operations: 0, outside: 0, skipped: 0, violations: 0 };
/** `operationId status` of the documented responses met. */
export const openApiSeen = new Set<string>();
/** Violations seen in record mode. */
export const recorded: string[] = [];

export class TaxiiConformanceError extends Error {
  constructor(readonly violations: string[]) {
    super(`TAXII 2.1 response check failed:\n  ${violations.join('\n  ')}`);
    this.name = 'TaxiiConformanceError';
  }
}

export class OpenApiConformanceError extends Error {
  constructor(readonly violations: string[]) {
    super(`OpenAPI response check failed:\n  ${violations.join('\n  ')}`);
    this.name = 'OpenApiConformanceError';
  }
}

/**
 * Checks `res` against TAXII 2.1 and against the OpenAPI document, and throws (failing the
 * calling test) on any violation of either.
 */
export function checkTaxiiResponse(res: CheckedResponse): void {
  const taxii = taxiiViolations(res);
  if (taxii.checked) responseChecks.checked++;
  else responseChecks.skipped++;
  if (taxii.violations.length > 0) responseChecks.violations++;
  const openapi = openApiViolations(res);
  openApiChecks[openapi.outcome]++;
  if (openapi.response !== undefined) openApiSeen.add(openapi.response);
  if (openapi.violations.length > 0) openApiChecks.violations++;
  const violations = [...taxii.violations, ...openapi.violations];
  if (violations.length === 0) return;
  // STIXGATE_RESPONSE_CHECK=record lists violations without failing (a survey of the suite).
  if (process.env.STIXGATE_RESPONSE_CHECK === 'record') {
    const test = expect.getState().currentTestName ?? '(outside a test)';
    recorded.push(...violations.map((v) => `${v} [${test}]`));
  } else if (taxii.violations.length > 0) throw new TaxiiConformanceError(violations);
  else throw new OpenApiConformanceError(violations);
}

/** A header lookup over WHATWG Headers. */
export function fromHeaders(headers: Headers): (name: string) => string | undefined {
  return (name) => headers.get(name) ?? undefined;
}

/** A header lookup over raw `Name: value` lines (curl -D, node:http). */
export function fromHeaderLines(lines: string): (name: string) => string | undefined {
  const map = new Map<string, string>();
  for (const line of lines.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) map.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
  }
  return (name) => map.get(name.toLowerCase());
}
