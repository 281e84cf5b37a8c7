// STIX 2.1 §2.9 identifiers: `type--UUID`, the type part equal to the object's type, an
// RFC 4122 UUID; SDOs, SROs and meta objects SHOULD use UUIDv4, SCOs SHOULD use UUIDv5.
import { typeOfId } from '../object-types.js';
import type { RuleContext } from './context.js';

const UUID =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-([0-9a-fA-F])[0-9a-fA-F]{3}-([0-9a-fA-F])[0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;

/** The UUID version (1–8) of an RFC 4122/9562 UUID, or undefined if it is not one. */
export function uuidVersion(uuid: string): number | undefined {
  const m = UUID.exec(uuid);
  if (m === null) return undefined;
  const version = parseInt(m[1] as string, 16);
  const variant = parseInt(m[2] as string, 16);
  // RFC 4122 §4.1.1: the variant bits are 10xx.
  if (variant < 8 || variant > 11) return undefined;
  if (version < 1 || version > 8) return undefined;
  return version;
}

export function checkIdentifiers(ctx: RuleContext): void {
  const id = ctx.object['id'];
  if (typeof id !== 'string') return; // the schema reports it
  const path = '/id';
  const idType = typeOfId(id);
  if (idType !== ctx.type) {
    // STIX 2.1 §2.9: "object-type is the exact value of the type property of the object".
    ctx.issues.error(
      'id-type-mismatch',
      path,
      `property id: the part before "--" ("${idType}") must equal the type "${ctx.type}"`,
    );
    return;
  }
  const version = uuidVersion(id.slice(idType.length + 2));
  if (version === undefined) {
    // STIX 2.1 §2.9: the UUID MUST be an RFC 4122-compliant UUID.
    ctx.issues.error(
      'id-uuid-invalid',
      path,
      'property id: the UUID part is not an RFC 4122 UUID (version and variant bits)',
    );
    return;
  }
  if (ctx.kind === 'sco') {
    // STIX 2.1 §2.9: SCOs SHOULD use deterministic UUIDv5 ids; v4 is accepted.
    if (version !== 5 && version !== 4) {
      ctx.issues.warn(
        'id-sco-uuid-version',
        path,
        `property id: SCO ids should be UUIDv5 (deterministic) or UUIDv4, found v${version}`,
      );
    }
  } else if (version !== 4) {
    // STIX 2.1 §2.9: SDOs, SROs and meta objects SHOULD use UUIDv4. Tools such as OpenCTI mint
    // deterministic v5 ids, so this is an error only in strict mode.
    ctx.issues.strictError(
      ctx.mode,
      'id-uuid-not-v4',
      path,
      `property id: ${ctx.kind ?? 'custom'} object ids should be UUIDv4, found v${version}`,
    );
  }
}
