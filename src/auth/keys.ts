// JWT verification keys. The accepted algorithm is decided here, from the key's type, and
// never from a token header: an HMAC secret verifies HS256 only; an RSA public key RS256
// only; an EC P-256 public key ES256 only. That is what defeats `alg: none` and the
// HS256-signed-with-the-RSA-public-key confusion (the key type, not the token, chooses).
import { createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { ConfigError } from '../errors.js';

export type JwtAlgorithm = 'HS256' | 'RS256' | 'ES256';

export interface VerificationKey {
  /** `kid` from a JWKS; undefined for a PEM key or a secret. */
  kid?: string;
  algorithm: JwtAlgorithm;
  key: KeyObject;
}

export type VerificationKeys =
  | { kind: 'hmac'; key: VerificationKey }
  /** One PEM key (no kid) or the keys of a JWKS (each with its kid). */
  | { kind: 'public'; keys: VerificationKey[]; source: 'pem' | 'jwks' };

/** HS256 secrets shorter than the hash output weaken the MAC (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32;
const MIN_RSA_BITS = 2048;

/**
 * A secret file holds text (the generated one is base64url); surrounding whitespace, such as
 * the newline `echo` adds, is not part of the secret.
 */
export function parseHmacSecret(text: string, source: string): VerificationKey {
  return hmacKey(Buffer.from(text.trim(), 'utf8'), source);
}

export function hmacKey(secret: Buffer, source: string): VerificationKey {
  if (secret.length < MIN_SECRET_BYTES) {
    throw new ConfigError(source, `the JWT secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  return { algorithm: 'HS256', key: createSecretKey(secret) };
}

/**
 * The text of STIXGATE_JWT_PUBLIC_KEY_FILE: a JWKS document (`{"keys": [...]}`), a single JWK,
 * or PEM (SPKI/PKCS#1 public key or X.509 certificate).
 */
export function parsePublicKeys(text: string, source: string): VerificationKeys {
  const trimmed = text.trim();
  if (trimmed.startsWith('{'))
    return { kind: 'public', source: 'jwks', keys: parseJwks(trimmed, source) };
  if (!trimmed.includes('-----BEGIN ')) {
    throw new ConfigError(source, 'expected a PEM public key or a JWKS (JSON) document');
  }
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(trimmed)) {
    // Verification needs only the public half; a private key does not belong on the server.
    throw new ConfigError(
      source,
      'holds a private key; give the public key (or certificate) instead',
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey(trimmed);
  } catch (cause) {
    throw new ConfigError(source, `not a readable PEM public key (${errorMessage(cause)})`);
  }
  return {
    kind: 'public',
    source: 'pem',
    keys: [{ algorithm: algorithmForPublicKey(key, source), key }],
  };
}

function parseJwks(text: string, source: string): VerificationKey[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ConfigError(source, 'not valid JSON');
  }
  const list: unknown[] =
    isRecord(doc) && Array.isArray(doc.keys) ? doc.keys : isRecord(doc) ? [doc] : [];
  const keys: VerificationKey[] = [];
  const kids = new Set<string>();
  list.forEach((jwk, i) => {
    const where = `${source} keys[${i}]`;
    if (!isRecord(jwk)) throw new ConfigError(where, 'must be a JSON object');
    // Keys published for encryption are not signature keys.
    if (jwk.use !== undefined && jwk.use !== 'sig') return;
    if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify')) return;
    if (jwk.kty === 'oct')
      throw new ConfigError(where, 'symmetric keys do not belong in a public JWKS');
    if (jwk.d !== undefined)
      throw new ConfigError(where, 'holds a private key; publish the public key only');
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } catch (cause) {
      throw new ConfigError(where, `not a readable public JWK (${errorMessage(cause)})`);
    }
    const algorithm = algorithmForPublicKey(key, where);
    if (jwk.alg !== undefined && jwk.alg !== algorithm) {
      throw new ConfigError(
        where,
        `alg ${String(jwk.alg)} is not supported for this key (expected ${algorithm})`,
      );
    }
    const kid = typeof jwk.kid === 'string' && jwk.kid !== '' ? jwk.kid : undefined;
    if (kid !== undefined) {
      if (kids.has(kid)) throw new ConfigError(where, `duplicate kid "${kid}"`);
      kids.add(kid);
    }
    keys.push(kid === undefined ? { algorithm, key } : { kid, algorithm, key });
  });
  if (keys.length === 0) throw new ConfigError(source, 'the JWKS holds no signature key');
  if (keys.length > 1 && keys.some((k) => k.kid === undefined)) {
    throw new ConfigError(source, 'every key of a JWKS with several keys needs a kid');
  }
  return keys;
}

/** RSA (≥ 2048 bits) → RS256; EC P-256 → ES256; anything else is refused at start. */
export function algorithmForPublicKey(key: KeyObject, source: string): JwtAlgorithm {
  if (key.type !== 'public') throw new ConfigError(source, 'not a public key');
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') {
    if ((details?.modulusLength ?? 0) < MIN_RSA_BITS) {
      throw new ConfigError(source, `RSA keys must have at least ${MIN_RSA_BITS} bits`);
    }
    return 'RS256';
  }
  if (key.asymmetricKeyType === 'ec') {
    if (details?.namedCurve !== 'prime256v1')
      throw new ConfigError(source, 'only EC keys on P-256 (ES256) are supported');
    return 'ES256';
  }
  throw new ConfigError(
    source,
    `unsupported key type ${String(key.asymmetricKeyType)} (use RSA or EC P-256)`,
  );
}

/** The key that verifies a token with this `kid` (a lone key also verifies tokens without kid). */
export function selectKey(
  keys: VerificationKeys,
  kid: string | undefined,
): VerificationKey | undefined {
  if (keys.kind === 'hmac') return keys.key;
  if (kid === undefined) return keys.keys.length === 1 ? keys.keys[0] : undefined;
  const byKid = keys.keys.find((k) => k.kid === kid);
  if (byKid) return byKid;
  // A PEM key has no kid of its own: tokens naming any kid still verify against it.
  return keys.source === 'pem' ? keys.keys[0] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
