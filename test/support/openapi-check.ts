// Checks one HTTP response against the OpenAPI document the server serves at /openapi.json
// (built by src/http/openapi/document.ts; test/http/openapi.test.ts proves the served bytes
// are that document). For a documented operation: the status must be documented for it, the
// Content-Type must be one of the documented media types, the required headers present and
// every documented header valid, and the body valid against the documented schema (ajv,
// JSON Schema 2020-12). A response to a path or method the document does not have must be an
// error: a TAXII error message, and a 405 must list exactly the documented methods in Allow.
// checkTaxiiResponse (taxii-conformance.ts) calls this for every response of the HTTP suite.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import {
  buildOpenApiDocument,
  operationsOf,
  type OpenApiDocument,
} from '../../src/http/openapi/document.js';
import type { CheckedResponse } from './taxii-conformance.js';

const addFormats = addFormatsModule.default;

type Json = Record<string, unknown>;

/** The review console is a static web application, not part of the API the document describes. */
const OUTSIDE_THE_API = /^\/console(\/|$)/;
/** The admin router is not strict: its paths are answered with and without the trailing slash. */
const NON_STRICT = /^\/admin(\/|$)/;

interface PathEntry {
  template: string;
  regex: RegExp;
  params: string[];
  fixed: number;
  item: Json;
}

interface Compiled {
  doc: OpenApiDocument;
  ajv: Ajv2020;
  paths: PathEntry[];
  validators: Map<string, ValidateFunction>;
}

let compiled: Compiled | undefined;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function setup(): Compiled {
  if (compiled) return compiled;
  const doc = buildOpenApiDocument();
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv, ['date-time']);
  const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  const paths = Object.entries(doc.paths).map(([template, item]) => {
    const params: string[] = [];
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const param = /^\{([^}]+)\}$/.exec(part);
        if (!param) return escapeRegex(part);
        params.push(param[1]!);
        return '([^/]+)';
      })
      .join('');
    return {
      template,
      regex: new RegExp(`^${source}$`),
      params,
      fixed: template.replace(/\{[^}]+\}/g, '').length,
      item,
    };
  });
  compiled = { doc, ajv, paths, validators: new Map() };
  return compiled;
}

/** `#/components/schemas/NAME/rest` → `<$id of NAME>#/rest`, so that ajv resolves it by $id. */
function toAjvRefs(node: unknown, schemas: Record<string, Json>): unknown {
  if (Array.isArray(node)) return node.map((n) => toAjvRefs(n, schemas));
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    const local =
      key === '$ref' && typeof value === 'string'
        ? /^#\/components\/schemas\/([^/]+)(\/.*)?$/.exec(value)
        : null;
    if (local) {
      const id = schemas[local[1]!]?.$id;
      if (typeof id !== 'string') throw new Error(`${value}: no such component schema`);
      out[key] = local[2] ? `${id}#${local[2]}` : id;
    } else out[key] = toAjvRefs(value, schemas);
  }
  return out;
}

function validatorFor(schema: Json): ValidateFunction {
  const c = setup();
  const key = JSON.stringify(schema);
  let validate = c.validators.get(key);
  if (!validate) {
    const schemas = (c.doc.components as { schemas: Record<string, Json> }).schemas;
    validate = c.ajv.compile(toAjvRefs(schema, schemas) as Json);
    c.validators.set(key, validate);
  }
  return validate;
}

function schemaErrors(schema: Json, value: unknown, what: string): string[] {
  const validate = validatorFor(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e) =>
      `${what} ${e.instancePath || '/'} ${e.message ?? e.keyword}${
        e.keyword === 'additionalProperties' || e.keyword === 'enum'
          ? ` ${JSON.stringify(e.params)}`
          : ''
      }`,
  );
}

/** `#/components/KIND/NAME` → that component; anything else as it is. */
function deref(node: Json): Json {
  const target =
    typeof node.$ref === 'string' ? /^#\/components\/(\w+)\/(.+)$/.exec(node.$ref) : null;
  if (!target) return node;
  const kind = (setup().doc.components as Record<string, Record<string, Json>>)[target[1]!];
  const found = kind?.[target[2]!];
  if (!found) throw new Error(`${String(node.$ref)}: no such component`);
  return {
    ...deref(found),
    ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== '$ref')),
  };
}

interface MediaType {
  type: string;
  params: Map<string, string>;
}

function parseMediaType(text: string): MediaType {
  const [type = '', ...params] = text.split(';');
  return {
    type: type.trim().toLowerCase(),
    params: new Map(
      params.map((p) => {
        const eq = p.indexOf('=');
        return [
          p.slice(0, eq).trim().toLowerCase(),
          p
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1'),
        ];
      }),
    ),
  };
}

/** Same type and the same parameters (order, spacing and name case aside). */
function sameMediaType(a: string, b: string): boolean {
  const x = parseMediaType(a);
  const y = parseMediaType(b);
  if (x.type !== y.type || x.params.size !== y.params.size) return false;
  for (const [name, value] of x.params) if (y.params.get(name) !== value) return false;
  return true;
}

/** The documented path a concrete path is an instance of (most fixed characters wins). */
function matchPath(pathname: string): PathEntry | undefined {
  const c = setup();
  let best: PathEntry | undefined;
  for (const entry of c.paths) {
    const m = entry.regex.exec(pathname);
    if (!m) continue;
    const operation = operationsOf(entry.item)[0]?.[1];
    const parameters = [
      ...((entry.item.parameters as Json[] | undefined) ?? []),
      ...((operation?.parameters as Json[] | undefined) ?? []),
    ].map(deref);
    // A value the parameter's schema refuses is not an instance of this path (e.g. an API
    // root named like a path the server uses itself).
    const fits = entry.params.every((name, i) => {
      const p = parameters.find((q) => q.in === 'path' && q.name === name);
      if (p === undefined) return true;
      let value: string;
      try {
        value = decodeURIComponent(m[i + 1]!);
      } catch {
        return false;
      }
      return validatorFor(p.schema as Json)(value);
    });
    if (fits && (!best || entry.fixed > best.fixed)) best = entry;
  }
  return best;
}

function methodsOf(entry: PathEntry): string[] {
  return operationsOf(entry.item)
    .map(([m]) => m.toUpperCase())
    .sort();
}

function bodyOf(res: CheckedResponse, out: string[]): { parsed: boolean; value?: unknown } {
  try {
    return { parsed: true, value: JSON.parse(res.text) as unknown };
  } catch {
    out.push(`the body is not JSON: ${JSON.stringify(res.text.slice(0, 80))}`);
    return { parsed: false };
  }
}

function checkHeaders(res: CheckedResponse, response: Json, out: string[]): void {
  for (const [name, raw] of Object.entries((response.headers as Json | undefined) ?? {})) {
    const h = deref(raw as Json);
    const value = res.header(name);
    if (value === undefined) {
      if (h.required === true) out.push(`the required header ${name} is missing`);
    } else if (h.schema !== undefined)
      out.push(...schemaErrors(h.schema as Json, value, `header ${name}`));
  }
}

function checkOperation(res: CheckedResponse, method: string, operation: Json): string[] {
  const out: string[] = [];
  const responses = operation.responses as Record<string, Json>;
  const documented =
    responses[String(res.status)] ?? responses[`${String(res.status)[0]}XX`] ?? responses.default;
  if (!documented) {
    out.push(
      `status ${res.status} is not documented for ${String(operation.operationId)} (documented: ${Object.keys(responses).join(', ')})`,
    );
    return out;
  }
  const response = deref(documented);
  checkHeaders(res, response, out);
  const content = response.content as Record<string, Json> | undefined;
  const hasBody = res.text.length > 0;
  if (!content) {
    if (hasBody) out.push('a body where the document defines none');
    return out;
  }
  const contentType = res.header('content-type');
  const mediaType =
    contentType === undefined
      ? undefined
      : Object.keys(content).find((t) => sameMediaType(t, contentType));
  if (mediaType === undefined) {
    out.push(
      `Content-Type ${contentType === undefined ? 'missing' : `"${contentType}"`} is not a documented one (${Object.keys(content).join(', ')})`,
    );
    return out;
  }
  if (method === 'HEAD') {
    if (hasBody) out.push('a body on a HEAD answer');
    return out;
  }
  if (!hasBody) {
    out.push('no body where the document defines one');
    return out;
  }
  const schema = content[mediaType]!.schema as Json | undefined;
  if (schema === undefined) return out;
  if (parseMediaType(mediaType).type.endsWith('json')) {
    const body = bodyOf(res, out);
    if (body.parsed) out.push(...schemaErrors(schema, body.value, 'body'));
  } else out.push(...schemaErrors(schema, res.text, 'body'));
  return out;
}

/** A path or method the document does not have: only an error message may answer it. */
function checkOutside(
  res: CheckedResponse,
  method: string,
  entry: PathEntry | undefined,
): string[] {
  const out: string[] = [];
  if (res.status < 400) {
    out.push(
      `a ${res.status} answer to ${entry ? `the undocumented method ${method} of ${entry.template}` : 'a path the document does not have'}`,
    );
    return out;
  }
  if (res.status === 405) {
    const allow = res.header('allow');
    if (allow === undefined) out.push('405 without Allow');
    else if (entry) {
      const listed = allow
        .split(',')
        .map((m) => m.trim())
        .sort();
      if (listed.join(',') !== methodsOf(entry).join(','))
        out.push(
          `Allow "${allow}" differs from the documented methods ${methodsOf(entry).join(', ')}`,
        );
    }
  }
  const error = deref({ $ref: '#/components/responses/NotFound' });
  const [mediaType, media] = Object.entries(error.content as Record<string, Json>)[0]!;
  const contentType = res.header('content-type');
  if (contentType === undefined || !sameMediaType(mediaType, contentType))
    out.push(`Content-Type ${contentType ?? 'missing'} of an error is not ${mediaType}`);
  else if (method !== 'HEAD') {
    const body = bodyOf(res, out);
    if (body.parsed) out.push(...schemaErrors(media.schema as Json, body.value, 'error body'));
  }
  return out;
}

export type OpenApiOutcome = 'operations' | 'outside' | 'skipped';

/** What the response was checked as, and every way it departs from the document. */
export function openApiViolations(res: CheckedResponse): {
  outcome: OpenApiOutcome;
  violations: string[];
  /** `operationId status` when the response is one of a documented operation. */
  response?: string;
} {
  const url = new URL(res.url);
  let pathname = url.pathname;
  const method = res.method.toUpperCase();
  // Status 0: no HTTP response at all (curl refusing a URL before sending it).
  if (res.status < 100 || OUTSIDE_THE_API.test(pathname))
    return { outcome: 'skipped', violations: [] };
  if (NON_STRICT.test(pathname) && !pathname.endsWith('/')) pathname = `${pathname}/`;
  const entry = matchPath(pathname);
  const operation = entry?.item[method.toLowerCase()] as Json | undefined;
  const where = `OpenAPI: ${method} ${url.pathname} → ${res.status}`;
  const violations =
    entry && operation ? checkOperation(res, method, operation) : checkOutside(res, method, entry);
  return {
    outcome: entry && operation ? 'operations' : 'outside',
    violations: violations.map((v) => `${where}: ${v}`),
    ...(entry && operation && { response: `${String(operation.operationId)} ${res.status}` }),
  };
}

/**
 * Compiles every schema the document gives a response, header or parameter (ajv strict), so
 * that a schema error shows without a test that meets that response; returns how many.
 */
export function compileEveryDocumentedSchema(): number {
  const c = setup();
  const schemas: Json[] = [];
  const fromHeaders = (headers: unknown) => {
    for (const h of Object.values((headers as Record<string, Json> | undefined) ?? {})) {
      const schema = deref(h).schema;
      if (schema !== undefined) schemas.push(schema as Json);
    }
  };
  for (const item of Object.values(c.doc.paths)) {
    for (const p of (item.parameters as Json[] | undefined) ?? [])
      schemas.push(deref(p).schema as Json);
    for (const [, operation] of operationsOf(item)) {
      for (const p of (operation.parameters as Json[] | undefined) ?? [])
        schemas.push(deref(p).schema as Json);
      const request = (operation.requestBody as { content?: Record<string, Json> } | undefined)
        ?.content;
      for (const media of Object.values(request ?? {})) schemas.push(media.schema as Json);
      for (const raw of Object.values(operation.responses as Record<string, Json>)) {
        const response = deref(raw);
        fromHeaders(response.headers);
        for (const media of Object.values((response.content as Record<string, Json>) ?? {}))
          if (media.schema !== undefined) schemas.push(media.schema as Json);
      }
    }
  }
  for (const schema of schemas) validatorFor(schema);
  return schemas.length;
}

/** `operationId status` of every documented response, e.g. `getObjects 200`. */
export function documentedResponses(): string[] {
  const out: string[] = [];
  for (const item of Object.values(setup().doc.paths))
    for (const [, operation] of operationsOf(item))
      for (const status of Object.keys(operation.responses as Json))
        out.push(`${String(operation.operationId)} ${status}`);
  return out;
}
