// STIX 2.1 §3.1 / §11.1: type names are 3–250 characters of a-z, 0-9 and hyphen; no "--".
// Custom object types are refused in strict mode and accepted with a warning in permissive mode.
import { pointer } from '../issues.js';
import type { RuleContext } from './context.js';

const TYPE_NAME = /^[a-z0-9-]{3,250}$/;

/** Returns false when the type name itself is invalid (no further rule can run meaningfully). */
export function checkTypeName(ctx: RuleContext): boolean {
  if (!ctx.isCustomType) return true;
  const path = pointer('type');
  if (
    !TYPE_NAME.test(ctx.type) ||
    ctx.type.includes('--') ||
    ctx.type.startsWith('-') ||
    ctx.type.endsWith('-')
  ) {
    ctx.issues.error(
      'type-invalid',
      path,
      'property type: must be 3–250 characters of a-z, 0-9 and "-", without "--"',
    );
    return false;
  }
  if (ctx.mode === 'strict') {
    ctx.issues.error(
      'type-unknown',
      path,
      `property type: "${ctx.type}" is not a STIX 2.1 object type (strict mode)`,
    );
    return true;
  }
  if (ctx.kind === undefined && !ctx.type.startsWith('x-')) {
    // STIX 2.1 §11.1 (deprecated custom objects): the type SHOULD start with "x-".
    ctx.issues.warn(
      'custom-type-no-x-prefix',
      path,
      `property type: custom type "${ctx.type}" should start with "x-" or declare a new-sdo/new-sco/new-sro extension`,
    );
  }
  return true;
}
