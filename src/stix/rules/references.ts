// Reference properties must point to the object types the spec allows (STIX 2.1 §3.2, §4–§7).
// References need not resolve (objects may arrive in any order or live elsewhere): only the
// type part of the identifier is checked.
import { pointer } from '../issues.js';
import { kindOfType, typeOfId } from '../object-types.js';
import { isRecord, type RuleContext } from './context.js';

/** A target: a type name, or a kind (`SDO`, `SRO`, `SCO`, `META`), or `ANY` STIX object. */
type Target = string;

interface RefRule {
  path: readonly string[];
  targets: readonly Target[];
}

const r = (path: string, ...targets: Target[]): RefRule => ({ path: path.split('.'), targets });

// Common properties (§3.2, §7.2.3).
const COMMON: readonly RefRule[] = [
  r('created_by_ref', 'identity'),
  r('object_marking_refs', 'marking-definition'),
  r('granular_markings.*.marking_ref', 'marking-definition'),
];

const NETWORK_ENDPOINT = ['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'];

const BY_TYPE: Readonly<Record<string, readonly RefRule[]>> = {
  grouping: [r('object_refs', 'ANY')],
  report: [r('object_refs', 'ANY')],
  note: [r('object_refs', 'ANY')],
  opinion: [r('object_refs', 'ANY')],
  malware: [r('operating_system_refs', 'software'), r('sample_refs', 'file', 'artifact')],
  'malware-analysis': [
    r('host_vm_ref', 'software'),
    r('operating_system_ref', 'software'),
    r('installed_software_refs', 'software'),
    r('analysis_sco_refs', 'SCO'),
    r('sample_ref', 'file', 'network-traffic', 'artifact'),
  ],
  // §4.14: object_refs "MUST reference SCOs" (and the SROs between them).
  'observed-data': [r('object_refs', 'SCO', 'SRO')],
  // §5.1: source_ref/target_ref MUST be ids of SDOs or SCOs (never SROs or meta objects).
  relationship: [r('source_ref', 'SDO', 'SCO'), r('target_ref', 'SDO', 'SCO')],
  sighting: [
    r('sighting_of_ref', 'SDO'),
    r('observed_data_refs', 'observed-data'),
    r('where_sighted_refs', 'identity', 'location'),
  ],
  'language-content': [
    r('object_ref', 'SDO', 'SRO', 'SCO', 'marking-definition', 'extension-definition'),
  ],
  directory: [r('contains_refs', 'file', 'directory')],
  'domain-name': [r('resolves_to_refs', 'ipv4-addr', 'ipv6-addr', 'domain-name')],
  'email-addr': [r('belongs_to_ref', 'user-account')],
  'email-message': [
    r('from_ref', 'email-addr'),
    r('sender_ref', 'email-addr'),
    r('to_refs', 'email-addr'),
    r('cc_refs', 'email-addr'),
    r('bcc_refs', 'email-addr'),
    r('raw_email_ref', 'artifact'),
    r('body_multipart.*.body_raw_ref', 'artifact', 'file'),
  ],
  file: [
    r('parent_directory_ref', 'directory'),
    r('contains_refs', 'SCO'),
    r('content_ref', 'artifact'),
    r('extensions.archive-ext.contains_refs', 'file', 'directory'),
  ],
  'ipv4-addr': [r('resolves_to_refs', 'mac-addr'), r('belongs_to_refs', 'autonomous-system')],
  'ipv6-addr': [r('resolves_to_refs', 'mac-addr'), r('belongs_to_refs', 'autonomous-system')],
  'network-traffic': [
    r('src_ref', ...NETWORK_ENDPOINT),
    r('dst_ref', ...NETWORK_ENDPOINT),
    r('src_payload_ref', 'artifact'),
    r('dst_payload_ref', 'artifact'),
    r('encapsulates_refs', 'network-traffic'),
    r('encapsulated_by_ref', 'network-traffic'),
    r('extensions.http-request-ext.message_body_data_ref', 'artifact'),
  ],
  process: [
    r('opened_connection_refs', 'network-traffic'),
    r('creator_user_ref', 'user-account'),
    r('image_ref', 'file'),
    r('parent_ref', 'process'),
    r('child_refs', 'process'),
    r('extensions.windows-service-ext.service_dll_refs', 'file'),
  ],
  'windows-registry-key': [r('creator_user_ref', 'user-account')],
};

const KIND_TOKEN = { sdo: 'SDO', sro: 'SRO', sco: 'SCO', meta: 'META' } as const;

function describeTargets(targets: readonly Target[]): string {
  return targets
    .map((t) => (t === 'ANY' ? 'any STIX object' : t === t.toUpperCase() ? `an ${t}` : t))
    .join(' or ');
}

function targetAllows(ctx: RuleContext, targets: readonly Target[], refType: string): boolean {
  if (refType === 'bundle') return false;
  if (targets.includes(refType)) return true;
  const kind = kindOfType(refType);
  if (kind === undefined) {
    // A custom object type: its kind is unknown here. Permissive mode lets it stand in for a
    // kind (e.g. an x-… SDO in a report or a sighting); strict mode refuses custom types.
    return (
      ctx.mode === 'permissive' &&
      targets.some((t) => t === 'ANY' || t === 'SDO' || t === 'SCO' || t === 'SRO')
    );
  }
  return targets.includes('ANY') || targets.includes(KIND_TOKEN[kind]);
}

// `where` is a stack of path segments shared by the whole walk (pushed and popped), so the
// common case — nothing wrong — allocates nothing.
function visit(
  ctx: RuleContext,
  value: unknown,
  path: readonly string[],
  at: number,
  where: (string | number)[],
  targets: readonly Target[],
): void {
  if (at === path.length) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) checkOne(ctx, value[i], where, i, targets);
    } else {
      checkOne(ctx, value, where, undefined, targets);
    }
    return;
  }
  const step = path[at] as string;
  if (step === '*') {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < value.length; i++) {
      where.push(i);
      visit(ctx, value[i], path, at + 1, where, targets);
      where.pop();
    }
    return;
  }
  if (!isRecord(value)) return;
  const next = value[step];
  if (next === undefined) return;
  where.push(step);
  visit(ctx, next, path, at + 1, where, targets);
  where.pop();
}

function checkOne(
  ctx: RuleContext,
  ref: unknown,
  where: (string | number)[],
  index: number | undefined,
  targets: readonly Target[],
): void {
  if (typeof ref !== 'string') return; // the schema reports the type
  const refType = typeOfId(ref);
  if (targetAllows(ctx, targets, refType)) return;
  const p = index === undefined ? pointer(...where) : pointer(...where, index);
  ctx.issues.error(
    'ref-type-mismatch',
    p,
    `property ${where.join('/')}: must reference ${describeTargets(targets)}, not ${refType}`,
  );
}

const IDENTIFIER =
  /^[a-z0-9]+(?:-[a-z0-9]+)*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

interface TypeRefs {
  rules: readonly RefRule[];
  /** Top-level properties the rules cover. */
  listed: ReadonlySet<string>;
}

const TYPE_REFS = new Map<string, TypeRefs>();

function refsOf(type: string): TypeRefs {
  let refs = TYPE_REFS.get(type);
  if (refs === undefined) {
    const rules = [...COMMON, ...(BY_TYPE[type] ?? [])];
    refs = { rules, listed: new Set(rules.map((x) => x.path[0] as string)) };
    TYPE_REFS.set(type, refs);
  }
  return refs;
}

export function checkReferences(ctx: RuleContext): void {
  const { rules, listed } = refsOf(ctx.type);
  const where: (string | number)[] = [];
  for (const rule of rules) visit(ctx, ctx.object, rule.path, 0, where, rule.targets);
  // STIX 2.1 §3.1: property names ending in _ref/_refs are references: custom ones too MUST
  // hold identifiers.
  for (const key in ctx.object) {
    if (listed.has(key) || !(key.endsWith('_ref') || key.endsWith('_refs'))) continue;
    const value = ctx.object[key];
    const values = key.endsWith('_refs') && Array.isArray(value) ? value : [value];
    values.forEach((ref, i) => {
      if (typeof ref !== 'string' || !IDENTIFIER.test(ref)) {
        const p = values === value ? pointer(key, i) : pointer(key);
        ctx.issues.error(
          'ref-invalid',
          p,
          `property ${key}: a property ending in _ref/_refs must hold STIX identifiers`,
        );
      }
    });
  }
}
