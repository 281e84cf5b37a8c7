// MUST NOTs on property names that no producer needs, refused in both modes:
// - STIX 2.1 §3.8 reserves `severity`, `username`, `phone_number` and `action` for future
//   versions: objects MUST NOT use them (they are not custom properties to allow);
// - `defanged` is an SCO common property (§3.2): it MUST NOT be used on other objects.
import { pointer } from '../issues.js';
import type { RuleContext } from './context.js';

export const RESERVED_PROPERTY_NAMES: ReadonlySet<string> = new Set([
  'severity',
  'username',
  'phone_number',
  'action',
]);

export function checkReservedProperties(ctx: RuleContext): void {
  for (const key of Object.keys(ctx.object)) {
    if (RESERVED_PROPERTY_NAMES.has(key))
      ctx.issues.error(
        'property-reserved',
        pointer(key),
        `property ${key}: a name STIX 2.1 reserves; objects must not use it`,
      );
  }
  if (ctx.kind !== 'sco' && ctx.object['defanged'] !== undefined)
    ctx.issues.error(
      'defanged-not-sco',
      '/defanged',
      'property defanged: only cyber-observable objects carry it (STIX 2.1 §3.2)',
    );
}
