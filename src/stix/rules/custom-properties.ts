// Custom properties (STIX 2.1 §11.1, deprecated in favour of extensions but still used by
// MISP `x_misp_*` and OpenCTI `x_opencti_*`). Names MUST be 3–250 characters of a-z, 0-9
// and "_"; they SHOULD start with "x_". Strict mode refuses custom properties, except those
// carried by a toplevel-property-extension the object declares.
import { pointer } from '../issues.js';
import type { RuleContext } from './context.js';
import { isRecord } from './context.js';
import { RESERVED_PROPERTY_NAMES } from './reserved-properties.js';

const CUSTOM_PROPERTY_NAME = /^[a-z0-9_]{3,250}$/;

function declaresToplevelExtension(object: Readonly<Record<string, unknown>>): boolean {
  const extensions = object['extensions'];
  if (!isRecord(extensions)) return false;
  return Object.values(extensions).some(
    (e) => isRecord(e) && e['extension_type'] === 'toplevel-property-extension',
  );
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * STIX 2.1 §3.1/§11.1: custom values are STIX types — never null, lists never empty — and the
 * `_hex`/`_bin` name suffixes promise hex and base64 values. MISP and OpenCTI exports are not
 * always that careful, so these are errors in strict mode and warnings in permissive mode.
 */
function checkCustomValue(ctx: RuleContext, key: string, value: unknown): void {
  let problem: string | undefined;
  if (value === null) problem = 'must not be null';
  else if (Array.isArray(value) && value.length === 0) problem = 'a list must not be empty';
  else if (key.endsWith('_hex') && (typeof value !== 'string' || !HEX.test(value)))
    problem = 'a property ending in _hex must hold hex digits';
  else if (key.endsWith('_bin') && (typeof value !== 'string' || !BASE64.test(value)))
    problem = 'a property ending in _bin must hold base64';
  if (problem !== undefined)
    ctx.issues.strictError(
      ctx.mode,
      'custom-property-value-invalid',
      pointer(key),
      `property ${key}: ${problem}`,
    );
}

/**
 * `known`: the properties the type defines. For custom object types pass the common
 * properties: the rest is whatever their definition gives them, and only the naming rule applies.
 */
export function checkCustomProperties(ctx: RuleContext, known: ReadonlySet<string>): void {
  const toplevel = declaresToplevelExtension(ctx.object);
  for (const key of Object.keys(ctx.object)) {
    if (known.has(key)) continue;
    // Reported by reserved-properties.ts under their own rule, in both modes.
    if (RESERVED_PROPERTY_NAMES.has(key) || key === 'defanged') continue;
    const path = pointer(key);
    if (key === '__proto__') {
      // Syntactically a valid name, but it turns into a prototype change in any consumer that
      // copies objects with Object.assign or a naive merge.
      ctx.issues.error('custom-property-name-invalid', path, 'property __proto__: reserved name');
      continue;
    }
    if (!CUSTOM_PROPERTY_NAME.test(key)) {
      ctx.issues.error(
        'custom-property-name-invalid',
        path,
        `property ${key}: custom property names must be 3–250 characters of a-z, 0-9 and "_"`,
      );
      continue;
    }
    checkCustomValue(ctx, key, ctx.object[key]);
    if (ctx.isCustomType || toplevel) continue;
    if (ctx.mode === 'strict') {
      ctx.issues.error(
        'custom-property',
        path,
        `property ${key}: not defined by STIX 2.1 for ${ctx.type} (custom properties are refused in strict mode)`,
      );
    } else if (!key.startsWith('x_')) {
      ctx.issues.warn(
        'custom-property-no-x-prefix',
        path,
        `property ${key}: custom property names should start with "x_"`,
      );
    }
  }
}
