// Loads stix-schemas/ once and compiles one ajv validator per STIX type. Compilation happens
// here, at validator creation, never per request.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { schemaRegExp } from './schema-regexp.js';
import { isStixTimestamp } from './timestamp.js';

const addFormats = addFormatsModule.default;

/** stix-schemas/ sits two levels above this module both in src/stix/ and in dist/stix/. */
export const DEFAULT_SCHEMA_DIR = fileURLToPath(new URL('../../stix-schemas/', import.meta.url));

const BASE = 'https://schemas.stixgate.invalid/';
const CORE = `${BASE}common/core.json`;

type JsonObject = Record<string, unknown>;

export interface CompiledSchemas {
  /** Validator per standard STIX type. */
  byType: ReadonlyMap<string, ValidateFunction>;
  /** Properties defined for each standard type (its own plus the common ones it includes). */
  knownProperties: ReadonlyMap<string, ReadonlySet<string>>;
  /** Common properties any object may carry (SDO/SRO and SCO common properties). */
  commonProperties: ReadonlySet<string>;
  customObject: ValidateFunction;
  customSdo: ValidateFunction;
  customSco: ValidateFunction;
  bundle: ValidateFunction;
  envelope: ValidateFunction;
  /** RFC 3986 URI check (ajv-formats `uri`). */
  isRfc3986Uri: (value: string) => boolean;
}

export type SchemaError = ErrorObject;

function listSchemaFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSchemaFiles(full));
    else if (entry.name.endsWith('.json')) out.push(full);
  }
  return out.sort();
}

function propertyKeys(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const props = (schema as JsonObject)['properties'];
  return typeof props === 'object' && props !== null ? Object.keys(props) : [];
}

// Compiled validators are immutable and hold no per-call state, so every validator of the
// process shares them: the schemas compile once per process and directory.
const compiled = new Map<string, CompiledSchemas>();

/** The compiled schemas of `dir`, compiled on the first call. */
export function loadCompiledSchemas(dir: string = DEFAULT_SCHEMA_DIR): CompiledSchemas {
  let schemas = compiled.get(dir);
  if (schemas === undefined) {
    schemas = compileSchemas(dir);
    compiled.set(dir, schemas);
  }
  return schemas;
}

/** Compiles every schema of `dir` now (tests and the benchmark; the validator uses loadCompiledSchemas). */
export function compileSchemas(dir: string = DEFAULT_SCHEMA_DIR): CompiledSchemas {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    unicodeRegExp: false,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    allowUnionTypes: true,
    code: { regExp: schemaRegExp },
  });
  addFormats(ajv, ['uri']);
  // STIX 2.1 §3.2 timestamps: our own parser, so the schema and the rules agree on what is valid.
  ajv.addFormat('stix-timestamp', { type: 'string', validate: isStixTimestamp });

  const schemas = new Map<string, JsonObject>();
  for (const file of listSchemaFiles(dir)) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
    const id = schema['$id'];
    if (typeof id !== 'string') throw new Error(`schema ${file} has no $id`);
    schemas.set(id, schema);
    ajv.addSchema(schema);
  }
  const core = schemas.get(CORE) as JsonObject;
  const defs = core['$defs'] as JsonObject;
  const sdoCommon = propertyKeys(defs['sdo-common']);
  const scoCommon = propertyKeys(defs['sco-common']);

  const byType = new Map<string, ValidateFunction>();
  const knownProperties = new Map<string, ReadonlySet<string>>();
  for (const [id, schema] of schemas) {
    const m = /\/(sdo|sro|sco|meta)\/([a-z0-9-]+)\.json$/.exec(id);
    if (m === null || m[2] === 'bundle') continue;
    const type = m[2] as string;
    const validate = ajv.getSchema(id);
    if (validate === undefined) throw new Error(`schema ${id} did not compile`);
    byType.set(type, validate);
    const refs = JSON.stringify(schema['allOf'] ?? []);
    const known = new Set(propertyKeys(schema));
    if (refs.includes('/sdo-common"')) sdoCommon.forEach((k) => known.add(k));
    if (refs.includes('/sco-common"')) scoCommon.forEach((k) => known.add(k));
    knownProperties.set(type, known);
  }
  const get = (ref: string): ValidateFunction => {
    const v = ajv.getSchema(ref);
    if (v === undefined) throw new Error(`schema ${ref} missing`);
    return v;
  };
  const uri = ajv.compile({ type: 'string', format: 'uri' });
  return {
    isRfc3986Uri: (value) => uri(value),
    byType,
    knownProperties,
    commonProperties: new Set([...sdoCommon, ...scoCommon]),
    customObject: get(`${CORE}#/$defs/custom-object`),
    customSdo: get(`${CORE}#/$defs/sdo-common`),
    customSco: get(`${CORE}#/$defs/sco-common`),
    bundle: get(`${BASE}meta/bundle.json`),
    envelope: get(`${BASE}taxii/envelope.json`),
  };
}
