// STIX 2.1 §2.9: an SCO's deterministic (UUIDv5) id is computed from its ID contributing
// properties; "if none of the ID contributing properties are present on the object, then a
// UUIDv4 MUST be used". A v5 id on such an object cannot have been computed as the standard
// says. Both modes: a producer following §2.9 never emits it.
import type { RuleContext } from './context.js';
import { ID_CONTRIBUTING_PROPERTIES } from '../id-contributing.js';
import { uuidVersion } from './identifiers.js';

export function checkScoDeterministicId(ctx: RuleContext): void {
  if (ctx.kind !== 'sco') return;
  const contributing = ID_CONTRIBUTING_PROPERTIES[ctx.type];
  const id = ctx.object['id'];
  if (contributing === undefined || typeof id !== 'string') return;
  if (uuidVersion(id.slice(ctx.type.length + 2)) !== 5) return;
  if (contributing.some((p) => ctx.object[p] !== undefined)) return;
  ctx.issues.error(
    'id-sco-v5-without-contributing-properties',
    '/id',
    contributing.length === 0
      ? `property id: a ${ctx.type} id must be UUIDv4 (the type has no ID contributing properties)`
      : `property id: UUIDv5 without any ID contributing property (${contributing.join(', ')}); a UUIDv4 must be used`,
  );
}
