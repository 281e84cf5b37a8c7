// R4 keyed pseudonyms: P(x) = HMAC-SHA256(K_audience, type ‖ canonical(x)). Ids take 16 bytes
// formatted as a UUIDv4, labels 8 base32 characters. Stable for an audience, different across
// audiences, not reversible or guessable without the key.
import { createHmac } from 'node:crypto';
import type { AudienceKey } from './keys.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Raw HMAC; `kind` separates namespaces (an id and a label of the same text never coincide). */
export function pseudonymBytes(key: AudienceKey, kind: string, canonical: string): Buffer {
  return createHmac('sha256', key.key)
    .update(kind, 'utf8')
    .update('\u0000')
    .update(canonical, 'utf8')
    .digest();
}

/** 16 bytes of P as a UUIDv4 (version and variant bits set). */
export function pseudonymUuid(key: AudienceKey, kind: string, canonical: string): string {
  const b = Buffer.from(pseudonymBytes(key, kind, canonical).subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** 8 base32 characters (40 bits) of P. */
export function pseudonymLabel(key: AudienceKey, kind: string, canonical: string): string {
  const b = pseudonymBytes(key, kind, canonical);
  let bits = 0n;
  for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(b[i]!);
  let out = '';
  for (let i = 7; i >= 0; i--) out += BASE32[Number((bits >> BigInt(i * 5)) & 31n)];
  return out;
}

/** The pseudonymous STIX id of an object id: same type, keyed UUIDv4. */
export function pseudonymizeId(key: AudienceKey, id: string): string {
  const sep = id.indexOf('--');
  const type = sep > 0 ? id.slice(0, sep) : 'unknown';
  return `${type}--${pseudonymUuid(key, 'id', id.toLowerCase())}`;
}

/** The label that stands for a protected entity, in identity names and in redacted text. */
export function entityLabel(key: AudienceKey, entityKey: string): string {
  return `Victim-${pseudonymLabel(key, 'entity', entityKey)}`;
}
