// Per-type MUSTs about which properties appear together (STIX 2.1 §4–§6) that read better as
// code than as schema combinators, and SCO values with a syntax of their own.
import { isIPv4, isIPv6 } from 'node:net';
import { pointer } from '../issues.js';
import type { RuleContext } from './context.js';

const COMMON_SCO = new Set([
  'type',
  'id',
  'spec_version',
  'object_marking_refs',
  'granular_markings',
  'defanged',
  'extensions',
]);

/** §6.13, §6.16, §6.17, §6.18: these SCOs MUST carry at least one property of their own (or an extension). */
const NEEDS_OWN_PROPERTY = new Set([
  'process',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
]);

const REGISTRY_HIVE =
  /^(HKEY_LOCAL_MACHINE|HKEY_CURRENT_USER|HKEY_CLASSES_ROOT|HKEY_CURRENT_CONFIG|HKEY_PERFORMANCE_DATA|HKEY_USERS|HKEY_DYN_DATA)(\\|$)/i;

function checkLocation(ctx: RuleContext): void {
  const o = ctx.object;
  const hasLat = o['latitude'] !== undefined;
  const hasLong = o['longitude'] !== undefined;
  // §4.10: latitude and longitude come together; precision only with them.
  if (hasLat !== hasLong) {
    const missing = hasLat ? 'longitude' : 'latitude';
    ctx.issues.error(
      'location-coordinates-incomplete',
      pointer(missing),
      `property ${missing}: latitude and longitude must both be present or both absent`,
    );
  }
  if (o['precision'] !== undefined && !(hasLat && hasLong)) {
    ctx.issues.error(
      'location-precision-without-coordinates',
      pointer('precision'),
      'property precision: only allowed with latitude and longitude',
    );
  }
  // §4.10: "at least one of region, country, or latitude and longitude MUST be present".
  if (o['region'] === undefined && o['country'] === undefined && !(hasLat && hasLong)) {
    ctx.issues.error(
      'location-empty',
      '',
      'the object: a location needs region, country, or latitude and longitude',
    );
  }
}

function isCidr(value: string, family: 4 | 6): boolean {
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  if (!(family === 4 ? isIPv4(address) : isIPv6(address))) return false;
  if (slash < 0) return true;
  const prefix = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export function checkObjectConstraints(ctx: RuleContext): void {
  const o = ctx.object;
  switch (ctx.type) {
    case 'location':
      checkLocation(ctx);
      break;
    case 'malware':
      // §4.11: "name ... MUST be present if is_family is true".
      if (o['is_family'] === true && o['name'] === undefined) {
        ctx.issues.error(
          'malware-family-name-missing',
          pointer('name'),
          'property name: required when is_family is true',
        );
      }
      break;
    case 'windows-registry-key':
      // §6.17: key "MUST start with a valid, fully spelled-out hive name" (no HKLM-style abbreviation).
      if (typeof o['key'] === 'string' && !REGISTRY_HIVE.test(o['key'])) {
        ctx.issues.error(
          'registry-key-hive',
          pointer('key'),
          'property key: must start with a fully spelled-out hive name such as HKEY_LOCAL_MACHINE',
        );
      }
      break;
    case 'observed-data':
      // §4.14: `objects` is deprecated in 2.1 (use object_refs); still accepted.
      if (o['objects'] !== undefined) {
        ctx.issues.warn(
          'deprecated-property',
          pointer('objects'),
          'property objects: deprecated in STIX 2.1, use object_refs',
        );
      }
      break;
    case 'ipv4-addr':
    case 'ipv6-addr': {
      const family = ctx.type === 'ipv4-addr' ? 4 : 6;
      if (typeof o['value'] === 'string' && !isCidr(o['value'], family)) {
        ctx.issues.error(
          `${ctx.type}-value-invalid`,
          pointer('value'),
          `property value: must be an IPv${family} address or CIDR block`,
        );
      }
      break;
    }
    default:
      break;
  }
  if (NEEDS_OWN_PROPERTY.has(ctx.type)) {
    const own = Object.keys(o).some((k) => !COMMON_SCO.has(k)) || o['extensions'] !== undefined;
    if (!own) {
      ctx.issues.error(
        'sco-empty',
        '',
        `the object: a ${ctx.type} must have at least one property besides the common ones`,
      );
    }
  }
}
