// Custom properties (STIX 2.1 §11.1, deprecated in favour of extensions but still used by
// MISP `x_misp_*` and OpenCTI `x_opencti_*`). Names MUST be 3–250 characters of a-z, 0-9
// and "_"; they SHOULD start with "x_". Strict mode refuses custom properties, except those
// carried by a toplevel-property-extension the object declares.
import { pointer } from '../issues.js';
import type { RuleContext } from './context.js';
import { isRecord } from './context.js';

const CUSTOM_PROPERTY_NAME = /^[a-z0-9_]{3,250}$/;

function declaresToplevelExtension(object: Readonly<Record<string, unknown>>): boolean {
  const extensions = object['extensions'];
  if (!isRecord(extensions)) return false;
  return Object.values(extensions).some((e) => isRecord(e) && e['extension_type'] === 'toplevel-property-extension');
}

/**
 * `known`: the properties the type defines. For custom object types pass the common
 * properties: the rest is whatever their definition gives them, and only the naming rule applies.
 */
export function checkCustomProperties(ctx: RuleContext, known: ReadonlySet<string>): void {
  const toplevel = declaresToplevelExtension(ctx.object);
  for (const key of Object.keys(ctx.object)) {
    if (known.has(key)) continue;
    const path = pointer(key);
    if (key === '__proto__') {
      // Syntactically a valid name, but it turns into a prototype change in any consumer that
      // copies objects with Object.assign or a naive merge.
      ctx.issues.error('custom-property-name-invalid', path, 'property __proto__: reserved name');
      continue;
    }
    if (!CUSTOM_PROPERTY_NAME.test(key)) {
      ctx.issues.error('custom-property-name-invalid', path, `property ${key}: custom property names must be 3–250 characters of a-z, 0-9 and "_"`);
      continue;
    }
    if (ctx.isCustomType || toplevel) continue;
    if (ctx.mode === 'strict') {
      ctx.issues.error('custom-property', path, `property ${key}: not defined by STIX 2.1 for ${ctx.type} (custom properties are refused in strict mode)`);
    } else if (!key.startsWith('x_')) {
      ctx.issues.warn('custom-property-no-x-prefix', path, `property ${key}: custom property names should start with "x_"`);
    }
  }
}
