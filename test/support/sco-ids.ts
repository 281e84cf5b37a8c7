// STIX 2.1 deterministic SCO ids (§2.9): UUIDv5 in the STIX namespace over the canonical JSON
// of the id-contributing properties. Written from the STIX text, not from src/, so that the
// sharing tests guess ids the way a partner would, independently of the code under test.
import { createHash } from 'node:crypto';

export const STIX_NAMESPACE_UUID = '00abedb4-aa42-466c-9c01-fed23315a9b7';
const STIX_NAMESPACE = Buffer.from(STIX_NAMESPACE_UUID.replaceAll('-', ''), 'hex');

/** Id-contributing properties, from the STIX 2.1 text of each SCO type the tests derive. */
const CONTRIBUTING: Readonly<Record<string, readonly string[]>> = {
  'ipv4-addr': ['value'],
  'domain-name': ['value'],
  directory: ['path'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  'network-traffic': [
    'start',
    'end',
    'src_ref',
    'dst_ref',
    'src_port',
    'dst_port',
    'protocols',
    'extensions',
  ],
};

/** RFC 9562 UUIDv5 (SHA-1 of namespace ‖ name, version and variant bits set). */
export function uuidv5(name: string): string {
  const h = createHash('sha1').update(STIX_NAMESPACE).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** RFC 8785 for the plain values SCOs hold: keys sorted, no whitespace. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The id STIX 2.1 gives an SCO of `type` with `props`. */
export function scoId(type: string, props: Record<string, unknown>): string {
  const properties = CONTRIBUTING[type];
  if (properties === undefined) throw new Error(`no id-contributing properties listed for ${type}`);
  const contributing: Record<string, unknown> = {};
  for (const p of properties) contributing[p] = props[p];
  return `${type}--${uuidv5(canonical(contributing))}`;
}
