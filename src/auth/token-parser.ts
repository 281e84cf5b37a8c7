// Splits a compact JWS (RFC 7515 §7.1) into its decoded header and claims without trusting
// any of it. Pure and total: every input either parses or yields a reason, nothing throws, so
// a hostile token can only ever be a counted 401, never an unhandled error.

export interface ParsedToken {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

export type TokenParse = { ok: true; token: ParsedToken } | { ok: false; reason: string };

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Header parameters whose meaning changes how the signature or payload must be processed.
 * stixgate implements none of them, so their presence is a refusal rather than an ignore.
 */
const UNSUPPORTED_HEADERS = ['b64', 'zip', 'enc'] as const;

export function parseCompactToken(token: string): TokenParse {
  if (typeof token !== 'string') return fail('token is not a string');
  const parts = token.split('.');
  if (parts.length !== 3) return fail('not a compact JWS (three parts)');
  const [rawHeader, rawClaims, rawSignature] = parts as [string, string, string];

  const header = decodeJsonObject(rawHeader);
  if (!header.ok) return fail(`header ${header.reason}`);
  const claims = decodeJsonObject(rawClaims);
  if (!claims.ok) return fail(`payload ${claims.reason}`);
  // An empty signature is structurally valid (RFC 7515 unsecured JWS); the verifier refuses
  // it because no configured key has algorithm `none`.
  if (!isCanonicalBase64url(rawSignature)) return fail('signature is not base64url');

  const h = header.value;
  if (typeof h.alg !== 'string' || h.alg === '') return fail('header has no alg');
  if (h.kid !== undefined && typeof h.kid !== 'string') return fail('kid is not a string');
  if (h.typ !== undefined && typeof h.typ !== 'string') return fail('typ is not a string');
  // RFC 7515 §4.1.11: a recipient MUST reject a JWS whose `crit` names an extension it does
  // not understand. stixgate understands no extension, so any `crit`, well-formed or not, is
  // refused.
  if (h.crit !== undefined) return fail('crit header parameter not supported');
  for (const name of UNSUPPORTED_HEADERS)
    if (h[name] !== undefined) return fail(`${name} header parameter not supported`);
  return { ok: true, token: { header: h, claims: claims.value } };
}

type Decoded = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

function decodeJsonObject(part: string): Decoded {
  if (part === '') return { ok: false, reason: 'is empty' };
  if (!isCanonicalBase64url(part)) return { ok: false, reason: 'is not base64url' };
  const bytes = Buffer.from(part, 'base64url');
  const text = bytes.toString('utf8');
  // A lossy UTF-8 decode would let two different byte strings read as the same claims.
  if (!Buffer.from(text, 'utf8').equals(bytes)) return { ok: false, reason: 'is not UTF-8' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'is not JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, reason: 'is not a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Base64url without padding whose decoding re-encodes to the same text (no stray bits). */
function isCanonicalBase64url(part: string): boolean {
  if (!BASE64URL.test(part) || part.length % 4 === 1) return false;
  return Buffer.from(part, 'base64url').toString('base64url') === part;
}

function fail(reason: string): TokenParse {
  return { ok: false, reason };
}
