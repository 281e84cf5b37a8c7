// Mints JWTs for tests: HS256 with a given secret (TEST_JWT_SECRET by default), or
// RS256/ES256 with keys generated here. Claims default to a valid analyst token; pass a claim
// as `undefined` to leave it out.
import {
  createHmac,
  generateKeyPairSync,
  randomUUID,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import jwt from 'jsonwebtoken';

/** The HS256 secret test servers are configured with (≥ 32 bytes, as the server requires). */
export const TEST_JWT_SECRET = 'stixgate-test-secret-0123456789abcdef-0123456789abcdef';

export interface TestClaims {
  sub?: string | undefined;
  role?: unknown;
  groups?: unknown;
  jti?: string | undefined;
  iss?: string | undefined;
  aud?: string | string[] | undefined;
  /** Seconds since the epoch. */
  exp?: number | undefined;
  nbf?: number | undefined;
  iat?: number | undefined;
  [claim: string]: unknown;
}

export type TestSigner =
  | { secret: string | Buffer }
  | { privateKey: KeyObject; algorithm: 'RS256' | 'ES256'; kid?: string };

export interface TestKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  privateKeyPem: string;
  publicKeyPem: string;
  /** Public JWK with the given kid and alg, ready for a JWKS file. */
  jwk: JsonWebKey & { kid: string; alg: string; use: 'sig' };
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function defaultClaims(now = nowSeconds()): TestClaims {
  return {
    sub: 'test-user',
    role: 'analyst',
    groups: [],
    jti: randomUUID(),
    iss: 'stixgate',
    aud: 'stixgate',
    iat: now,
    nbf: now,
    exp: now + 3600,
  };
}

export function mintToken(
  claims: TestClaims = {},
  signer: TestSigner = { secret: TEST_JWT_SECRET },
): string {
  const payload: Record<string, unknown> = { ...defaultClaims(), ...claims };
  for (const [name, value] of Object.entries(payload))
    if (value === undefined) delete payload[name];
  if ('secret' in signer) return jwt.sign(payload, signer.secret, { algorithm: 'HS256' });
  const header: jwt.JwtHeader = { alg: signer.algorithm, typ: 'JWT' };
  if (signer.kid !== undefined) header.kid = signer.kid;
  return jwt.sign(payload, signer.privateKey, { algorithm: signer.algorithm, header });
}

/** A token for `role` (and partner `groups`) signed with TEST_JWT_SECRET. */
export function tokenFor(
  role: 'admin' | 'analyst' | 'partner',
  groups: string[] = [],
  sub = `${role}-user`,
): string {
  return mintToken({ sub, role, groups });
}

export function authHeader(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

export function basicHeader(token: string, user = 'taxii-client'): { authorization: string } {
  return { authorization: `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}` };
}

/** One JWS segment: the base64url of `text`, exactly as given (malformed JSON included). */
export function segment(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/**
 * `header.payload`, the two texts taken as they are, signed HS256 with `secret` (by default the
 * server's own, so only the defect under test can make the token fail).
 */
export function signSegments(
  header: string,
  payload: string,
  secret: string | Buffer = TEST_JWT_SECRET,
): string {
  const body = `${segment(header)}.${segment(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** An unsigned token (`alg: none`), or any header/payload pair, encoded without a signature. */
export function unsignedToken(
  header: Record<string, unknown>,
  claims: TestClaims = {},
  signature = '',
): string {
  const payload: Record<string, unknown> = { ...defaultClaims(), ...claims };
  return `${segment(JSON.stringify(header))}.${segment(JSON.stringify(payload))}.${signature}`;
}

/** A token with any header, the default claims plus `claims`, signed HS256 with `secret`. */
export function forgedHs256Token(
  header: Record<string, unknown>,
  claims: TestClaims,
  secret: string | Buffer,
): string {
  const payload: Record<string, unknown> = { ...defaultClaims(), ...claims };
  return signSegments(JSON.stringify(header), JSON.stringify(payload), secret);
}

export function generateRsaKeys(kid = 'rsa-1'): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return keyPair(privateKey, publicKey, kid, 'RS256');
}

export function generateEcKeys(kid = 'ec-1'): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return keyPair(privateKey, publicKey, kid, 'ES256');
}

function keyPair(
  privateKey: KeyObject,
  publicKey: KeyObject,
  kid: string,
  alg: string,
): TestKeyPair {
  return {
    privateKey,
    publicKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
  };
}
