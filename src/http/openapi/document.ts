// The OpenAPI 3.1 description of stixgate (TAXII 2.1, admin API, operational endpoints),
// assembled once per process. The TAXII bodies are the schema files of docs/schemas/taxii/
// embedded unchanged; every GET also answers HEAD, and the TAXII paths answer OPTIONS with
// the methods endpoint-methods.ts gives (the table the server answers OPTIONS and 405 from).
import { readFileSync } from 'node:fs';
import { endpointMethods } from '../endpoint-methods.js';
import { adminPaths } from './admin-paths.js';
import { components, errorResponses, TRANSPORT_ERRORS, type Json } from './components.js';
import { operationsPaths } from './operations-paths.js';
import { taxiiPaths } from './taxii-paths.js';

export const OPENAPI_VERSION = '3.1.1';
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
export const OPENAPI_PATH = '/openapi.json';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof METHODS)[number];

export interface OpenApiDocument {
  openapi: string;
  info: Json;
  paths: Record<string, Record<string, unknown>>;
  components: Json;
  [key: string]: unknown;
}

function packageVersion(): string {
  const pkg = JSON.parse(
    readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return pkg.version;
}

/** The operations of a path item, by lower-case method. */
export function operationsOf(item: Record<string, unknown>): [HttpMethod, Json][] {
  return METHODS.filter((m) => item[m] !== undefined).map((m) => [m, item[m] as Json]);
}

/** `/{apiRoot}/collections/` → `/x/collections/`: a concrete path of the same shape. */
function samplePath(template: string): string {
  return template.replace(/\{[^}]+\}/g, 'x');
}

function withHeadAndOptions(path: string, item: Record<string, unknown>): Record<string, unknown> {
  const out = { ...item };
  const get = item.get as Json | undefined;
  if (get)
    out.head = {
      ...get,
      operationId: `${String(get.operationId)}Head`,
      summary: `${String(get.summary)} (headers only)`,
    };
  // OPTIONS is answered before any router from the endpoint table; the admin API is not in
  // that table (its paths are not TAXII shapes), so it is documented for the others only.
  const allow = path.startsWith('/admin/') ? undefined : endpointMethods(samplePath(path));
  if (allow)
    out.options = {
      tags: [(get?.tags as string[] | undefined)?.[0] ?? 'operations'],
      operationId: `${String(get?.operationId ?? 'path')}Options`,
      summary: 'The methods of this path (also answers CORS preflights of listed origins)',
      security: [],
      responses: {
        '204': {
          description: 'No content; Allow lists the methods.',
          headers: { Allow: { schema: { const: allow.join(', ') }, required: false } },
        },
        ...errorResponses(TRANSPORT_ERRORS),
      },
    };
  return out;
}

const DESCRIPTION = `TAXII 2.1 server for STIX 2.1 with anonymized partner views.

- TAXII paths end in \`/\`; without it they answer 404. The admin API answers with and without the trailing slash.
- Every response carries \`X-Request-Id\` (a sane inbound one is kept) and the security headers; errors are TAXII 2.1 error messages (\`application/taxii+json;version=2.1\`), never a stack trace.
- A collection the caller cannot see answers exactly like a missing one (404).
- The TAXII resource schemas are the files of docs/schemas/taxii/ in the repository, embedded here unchanged.`;

export function buildOpenApiDocument(version: string = packageVersion()): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries({
    ...taxiiPaths(),
    ...adminPaths(),
    ...operationsPaths(),
  }))
    paths[path] = withHeadAndOptions(path, item);
  return {
    openapi: OPENAPI_VERSION,
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    info: {
      title: 'stixgate',
      version,
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    tags: [
      { name: 'TAXII 2.1', description: 'OASIS TAXII 2.1 (10 June 2021), plus revoke.' },
      { name: 'admin', description: 'Admin role only; JSON in and out.' },
      { name: 'operations', description: 'Health, readiness, metrics, this document.' },
    ],
    paths,
    components: components(),
  };
}
