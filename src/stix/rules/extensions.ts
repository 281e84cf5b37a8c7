// The `extensions` dictionary (STIX 2.1 §7.3): keys are the predefined extensions of the
// object's type or extension-definition ids; an extension-definition-based extension MUST
// carry extension_type. Strict mode refuses extensions it does not know (registered).
import { pointer } from '../issues.js';
import { ALL_PREDEFINED_EXTENSION_NAMES, PREDEFINED_EXTENSIONS } from '../object-types.js';
import { TLP2_EXTENSION_ID } from '../tlp.js';
import { isRecord, type RuleContext } from './context.js';

const EXTENSION_TYPES = new Set([
  'new-sdo',
  'new-sco',
  'new-sro',
  'property-extension',
  'toplevel-property-extension',
]);
const EXTENSION_DEFINITION_ID =
  /^extension-definition--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function checkExtensions(ctx: RuleContext): void {
  const extensions = ctx.object['extensions'];
  if (!isRecord(extensions)) return; // absent, or reported by the schema
  const predefined = PREDEFINED_EXTENSIONS[ctx.type] ?? [];
  for (const [name, value] of Object.entries(extensions)) {
    const path = pointer('extensions', name);
    if (predefined.includes(name)) continue; // checked by the type's schema
    if (ALL_PREDEFINED_EXTENSION_NAMES.has(name)) {
      ctx.issues.error(
        'extension-wrong-type',
        path,
        `property extensions/${name}: a predefined extension of another object type, not of ${ctx.type}`,
      );
      continue;
    }
    if (name.startsWith('extension-definition--')) {
      if (!EXTENSION_DEFINITION_ID.test(name)) {
        ctx.issues.error(
          'extension-key-invalid',
          path,
          `property extensions/${name}: not a valid extension-definition identifier`,
        );
        continue;
      }
      if (isRecord(value)) {
        const t = value['extension_type'];
        if (t === undefined) {
          // §7.3: extension_type is required for extensions defined by an extension-definition.
          ctx.issues.error(
            'extension-type-missing',
            pointer('extensions', name, 'extension_type'),
            `property extensions/${name}/extension_type: required for an extension-definition extension`,
          );
        } else if (typeof t !== 'string' || !EXTENSION_TYPES.has(t)) {
          ctx.issues.error(
            'extension-type-invalid',
            pointer('extensions', name, 'extension_type'),
            `property extensions/${name}/extension_type: must be one of ${[...EXTENSION_TYPES].join(', ')}`,
          );
        }
      }
      if (name === TLP2_EXTENSION_ID || ctx.knownExtensionDefinitions.has(name)) continue;
      if (ctx.mode === 'strict') {
        ctx.issues.error(
          'extension-unregistered',
          path,
          `property extensions/${name}: extension-definition not registered with this server (strict mode)`,
        );
      }
      continue;
    }
    // A STIX 2.0-style custom extension name (e.g. `x-acme-ext`), deprecated in 2.1.
    ctx.issues.strictError(
      ctx.mode,
      'extension-custom',
      path,
      `property extensions/${name}: not a predefined extension of ${ctx.type} nor an extension-definition id`,
    );
  }
}
