// The reusable parts of the OpenAPI document: schemas (the TAXII resource files embedded as
// they are, and the service schemas), error responses, parameters, headers and security
// schemes, with the helpers the path modules use to refer to them.
import { TAXII_MEDIA_TYPE } from '../media-type.js';
import { taxiiResourceSchemas, type ResourceSchema } from './resource-schemas.js';
import { serviceSchemas } from './service-schemas.js';

export type Json = Record<string, unknown>;

/** TAXII resource `envelope` → component `taxii-envelope`; service schemas keep their names. */
export function taxiiComponent(resource: string): string {
  return `taxii-${resource}`;
}

export function ref(kind: 'schemas' | 'responses' | 'parameters' | 'headers', name: string): Json {
  return { $ref: `#/components/${kind}/${name}` };
}

export function schemaRef(name: string): Json {
  return ref('schemas', name);
}

export function taxiiSchema(resource: string): Json {
  return schemaRef(taxiiComponent(resource));
}

export const JSON_MEDIA_TYPE = 'application/json';

export function taxiiContent(schema: Json): Json {
  return { [TAXII_MEDIA_TYPE]: { schema } };
}

export function jsonContent(schema: Json): Json {
  return { [JSON_MEDIA_TYPE]: { schema } };
}

/** Error responses by status: each is a TAXII 2.1 error message (§3.6.1). */
const ERRORS: Record<number, { name: string; description: string; headers?: Json }> = {
  400: {
    name: 'BadRequest',
    description:
      'Malformed request: bad JSON, a query parameter the endpoint does not define or cannot parse, a tampered or foreign `next`, several Host or Authorization headers.',
  },
  401: {
    name: 'Unauthorized',
    description: 'No credentials, or a token that is invalid, expired or revoked.',
    headers: { 'WWW-Authenticate': { ...ref('headers', 'WWW-Authenticate'), required: true } },
  },
  403: {
    name: 'Forbidden',
    description:
      'The caller sees the resource but may not use it this way (e.g. reading a write-only collection, or a non-admin on the admin API).',
  },
  404: {
    name: 'NotFound',
    description:
      'Unknown, or invisible to the caller (answered exactly like unknown): API root, collection, object, status.',
  },
  406: {
    name: 'NotAcceptable',
    description: '`Accept` names no media type this endpoint defines (TAXII 2.1 §3.1).',
  },
  408: { name: 'RequestTimeout', description: 'The request was not received in time.' },
  409: {
    name: 'Conflict',
    description:
      'The change conflicts with what exists (same id or alias), or targets a collection declared in the configuration file.',
  },
  413: {
    name: 'PayloadTooLarge',
    description:
      "The body is larger than allowed (the API root's max_content_length, 64 KiB on the admin API), or chunk extensions are too large.",
  },
  415: { name: 'UnsupportedMediaType', description: 'The request body has another media type.' },
  417: { name: 'ExpectationFailed', description: 'An `Expect` value other than 100-continue.' },
  422: {
    name: 'Unprocessable',
    description: 'Well-formed but not acceptable as it is (e.g. an envelope entry without an id).',
  },
  429: {
    name: 'TooManyRequests',
    description:
      'Too many failed authentications from one client address, or too many requests from one principal.',
    headers: { 'Retry-After': { ...ref('headers', 'Retry-After'), required: true } },
  },
  431: { name: 'HeadersTooLarge', description: 'The request headers exceed 16 KiB.' },
  500: {
    name: 'InternalError',
    description: 'A server fault; the detail is in the log only, under the request id.',
  },
  503: {
    name: 'ServiceUnavailable',
    description:
      'A dependency (store, revocation list) is unavailable, or the instance is at its concurrent request limit (then with Retry-After).',
    headers: { 'Retry-After': ref('headers', 'Retry-After') },
  },
};

export type ErrorStatus = keyof typeof ERRORS;

/** `responses` entries for these error statuses. */
export function errorResponses(statuses: readonly number[]): Json {
  const out: Json = {};
  for (const status of [...new Set(statuses)].sort((a, b) => a - b)) {
    const error = ERRORS[status];
    if (!error) throw new Error(`no error response defined for ${status}`);
    out[String(status)] = ref('responses', error.name);
  }
  return out;
}

/**
 * Refusals that can meet any request, before any route: node:http parser errors, header
 * overflow, timeouts, an unknown Expect, a missing or repeated Host; and a server fault.
 */
export const TRANSPORT_ERRORS = [400, 408, 413, 417, 431, 500] as const;

/** Query parameters of the TAXII filters (§3.4). */
const FILTER_PARAMETERS: Record<string, Json> = {
  added_after: {
    description:
      'Only objects added after this timestamp (exclusive). Send the previous X-TAXII-Date-Added-Last to poll.',
    schema: { type: 'string' },
  },
  limit: {
    description:
      "At most this many items; the API root's max_limit caps it. A page can hold fewer with more: true.",
    schema: { type: 'integer', minimum: 1 },
  },
  next: {
    description:
      'The opaque cursor of the previous page (bound to the endpoint, collection, filters and caller).',
    schema: { type: 'string' },
  },
  'match[id]': {
    description: 'Comma-separated STIX ids.',
    schema: { type: 'string' },
  },
  'match[type]': {
    description: 'Comma-separated STIX types.',
    schema: { type: 'string' },
  },
  'match[version]': {
    description:
      'Comma-separated: `last` (default), `first`, `all` or STIX timestamps of versions (`modified`).',
    schema: { type: 'string' },
  },
  'match[spec_version]': {
    description:
      'Comma-separated STIX specification versions (default: the latest of each object).',
    schema: { type: 'string' },
  },
};

/** `match[spec_version]` → `match-spec_version` (component names allow no brackets). */
export function filterParameterName(name: string): string {
  return `filter-${name.replace(/\[/g, '-').replace(/\]/g, '')}`;
}

export function filterParameters(names: readonly string[]): Json[] {
  return names.map((n) => ref('parameters', filterParameterName(n)));
}

/** Path parameters: one URL path segment each. */
const PATH_PARAMETERS: Record<string, Json> = {
  apiRoot: {
    description:
      'An API root path segment as configured. The names the server uses itself are never API roots.',
    schema: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._~-]{0,63}$',
      not: { enum: ['taxii2', 'healthz', 'readyz', 'metrics', 'admin', 'console'] },
    },
  },
  collectionId: {
    description: 'A collection id, or its alias.',
    schema: { type: 'string' },
  },
  objectId: { description: 'A STIX id.', schema: { type: 'string' } },
  statusId: { description: 'The id of a status resource.', schema: { type: 'string' } },
  adminApiRoot: {
    name: 'apiRoot',
    description: 'An API root path segment.',
    schema: { type: 'string' },
  },
  adminCollectionId: {
    name: 'collectionId',
    description: 'A collection id (not an alias).',
    schema: { type: 'string' },
  },
};

export function pathParameter(name: keyof typeof PATH_PARAMETERS): Json {
  return ref('parameters', `path-${name}`);
}

const TAXII_TIMESTAMP_HEADER = {
  schema: schemaRefInto(taxiiComponent('common'), '/$defs/timestamp'),
};

const HEADERS: Record<string, Json> = {
  'X-TAXII-Date-Added-First': {
    description:
      'date_added of the first item of the page (TAXII 2.1 §3.2); absent on a page without items.',
    ...TAXII_TIMESTAMP_HEADER,
  },
  'X-TAXII-Date-Added-Last': {
    description:
      'date_added of the last item of the page (TAXII 2.1 §3.2); absent on a page without items.',
    ...TAXII_TIMESTAMP_HEADER,
  },
  'WWW-Authenticate': {
    description: 'The accepted schemes: Bearer, and Basic with the token as the password.',
    schema: { type: 'string' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  Allow: {
    description: 'The methods the path answers.',
    schema: { type: 'string', pattern: '^[A-Z]+(, [A-Z]+)*$' },
  },
  Location: { description: 'The URL of the created resource.', schema: { type: 'string' } },
  ETag: { description: 'A strong validator of the document.', schema: { type: 'string' } },
  'Cache-Control': { schema: { type: 'string' } },
};

export function header(name: keyof typeof HEADERS, required = false): Json {
  return required ? { ...ref('headers', name), required: true } : ref('headers', name);
}

/** A $ref into a component schema (`#/components/schemas/NAME/$defs/…`). */
export function schemaRefInto(name: string, pointer: string): Json {
  return { $ref: `#/components/schemas/${name}${pointer}` };
}

const SECURITY_SCHEMES: Record<string, Json> = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A stixgate token (`stixgate token issue`): its role (admin, analyst, partner) and partner groups decide what the caller sees.',
  },
  basic: {
    type: 'http',
    scheme: 'basic',
    description:
      'For TAXII clients that only speak Basic (TAXII 2.1 §1.6.9): any user name, the token as the password.',
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'The metrics token (STIXGATE_METRICS_TOKEN_FILE); not a stixgate JWT.',
  },
};

/** Either way of presenting a stixgate token. */
export const TOKEN_SECURITY = [{ bearer: [] }, { basic: [] }];

export function components(): Json {
  const schemas: Record<string, ResourceSchema> = {};
  for (const [name, schema] of taxiiResourceSchemas()) schemas[taxiiComponent(name)] = schema;
  for (const [name, schema] of serviceSchemas()) schemas[name] = schema;
  const responses: Json = {};
  for (const [status, error] of Object.entries(ERRORS))
    responses[error.name] = {
      description: `${status}: ${error.description}`,
      ...(error.headers && { headers: error.headers }),
      content: taxiiContent(taxiiSchema('error')),
    };
  const parameters: Json = {};
  for (const [name, p] of Object.entries(FILTER_PARAMETERS))
    parameters[filterParameterName(name)] = { name, in: 'query', required: false, ...p };
  for (const [name, p] of Object.entries(PATH_PARAMETERS))
    parameters[`path-${name}`] = { name, in: 'path', required: true, ...p };
  return { schemas, responses, parameters, headers: HEADERS, securitySchemes: SECURITY_SCHEMES };
}

/**
 * An operation builder for one tag: an operation's success responses, the error statuses it
 * can answer (always with `shared` as well), bearer/basic security, and extra fields.
 */
export function operationBuilder(
  tag: string,
  shared: readonly number[] = [],
): (
  operationId: string,
  summary: string,
  success: Record<string, Json>,
  errors: readonly number[],
  extra?: Json,
) => Json {
  return (operationId, summary, success, errors, extra = {}) => ({
    tags: [tag],
    operationId,
    summary,
    security: TOKEN_SECURITY,
    ...extra,
    responses: { ...success, ...errorResponses([...shared, ...errors]) },
  });
}
