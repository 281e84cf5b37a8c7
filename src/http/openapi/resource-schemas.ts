// The TAXII 2.1 resource schemas (docs/schemas/taxii/*.json, JSON Schema 2020-12), read once.
// They are the one description of the TAXII bodies: the OpenAPI document embeds them as they
// are, and the HTTP suite checks every TAXII response against the same files.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** docs/ sits three levels above this module both in src/http/openapi/ and in dist/http/openapi/. */
export const TAXII_SCHEMA_DIR = fileURLToPath(
  new URL('../../../docs/schemas/taxii/', import.meta.url),
);

export interface ResourceSchema {
  $id: string;
  [keyword: string]: unknown;
}

let loaded: ReadonlyMap<string, ResourceSchema> | undefined;

/** File name without `.json` → schema (e.g. `envelope`), in file-name order. */
export function taxiiResourceSchemas(
  dir: string = TAXII_SCHEMA_DIR,
): ReadonlyMap<string, ResourceSchema> {
  if (loaded && dir === TAXII_SCHEMA_DIR) return loaded;
  const schemas = new Map<string, ResourceSchema>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const schema = JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as ResourceSchema;
    if (typeof schema.$id !== 'string') throw new Error(`${file}: a resource schema needs an $id`);
    schemas.set(file.slice(0, -'.json'.length), schema);
  }
  if (dir === TAXII_SCHEMA_DIR) loaded = schemas;
  return schemas;
}
