import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '../../../src/errors.js';
import { parseHmacSecret, parsePublicKeys, type VerificationKeys } from '../../../src/auth/keys.js';
import { TokenRejection, verifyToken, type VerifyOptions } from '../../../src/auth/verify-token.js';
import {
  TEST_JWT_SECRET,
  generateEcKeys,
  generateRsaKeys,
  mintToken,
  nowSeconds,
  unsignedToken,
} from '../../support/tokens.js';

const hmacKeys: VerificationKeys = { kind: 'hmac', key: parseHmacSecret(TEST_JWT_SECRET, 'test') };
const rsa = generateRsaKeys('rsa-a');
const rsaOther = generateRsaKeys('rsa-b');
const ec = generateEcKeys('ec-a');
const rsaPemKeys = parsePublicKeys(rsa.publicKeyPem, 'test');
const ecPemKeys = parsePublicKeys(ec.publicKeyPem, 'test');
const jwks = parsePublicKeys(JSON.stringify({ keys: [rsa.jwk, rsaOther.jwk, ec.jwk] }), 'test');

function options(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    issuer: 'stixgate',
    audience: 'stixgate',
    clockToleranceSeconds: 30,
    roleClaim: 'role',
    groupsClaim: 'groups',
    now: Date.now(),
    ...overrides,
  };
}

/** The reason a token was refused (the client only ever sees the generic error). */
function rejection(
  token: string,
  keys: VerificationKeys = hmacKeys,
  opts: VerifyOptions = options(),
): string {
  try {
    verifyToken(token, keys, opts);
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as Error).message).toBe('invalid token');
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(TokenRejection);
    return (cause as TokenRejection).reason;
  }
  throw new Error('token was accepted');
}

function hs256(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  secret: string | Buffer,
): string {
  const body = unsignedToken(header, claims).slice(0, -1);
  const mac = createHmac('sha256', secret).update(body).digest('base64url');
  return `${body}.${mac}`;
}

describe('verifyToken: valid tokens', () => {
  it('maps HS256 claims to a Principal', () => {
    const token = mintToken({
      sub: 'acme-soc',
      role: 'partner',
      groups: ['fin', 'fin'],
      jti: 'j-1',
    });
    const { principal, expiresAt } = verifyToken(token, hmacKeys, options());
    expect(principal).toEqual({
      subject: 'acme-soc',
      role: 'partner',
      groups: ['fin'],
      tokenId: 'j-1',
    });
    expect(expiresAt).toBeGreaterThan(nowSeconds());
  });

  it('accepts a token without groups as having none', () => {
    const token = mintToken({ groups: undefined, role: 'admin' });
    expect(verifyToken(token, hmacKeys, options()).principal.groups).toEqual([]);
  });

  it('verifies RS256 with a PEM public key', () => {
    const token = mintToken({ role: 'admin' }, { privateKey: rsa.privateKey, algorithm: 'RS256' });
    expect(verifyToken(token, rsaPemKeys, options()).principal.role).toBe('admin');
  });

  it('verifies ES256 with a PEM P-256 public key', () => {
    const token = mintToken({}, { privateKey: ec.privateKey, algorithm: 'ES256' });
    expect(verifyToken(token, ecPemKeys, options()).principal.role).toBe('analyst');
  });

  it('picks the JWKS key by kid', () => {
    const a = mintToken(
      { sub: 'a' },
      { privateKey: rsa.privateKey, algorithm: 'RS256', kid: 'rsa-a' },
    );
    const b = mintToken(
      { sub: 'b' },
      { privateKey: rsaOther.privateKey, algorithm: 'RS256', kid: 'rsa-b' },
    );
    const e = mintToken(
      { sub: 'e' },
      { privateKey: ec.privateKey, algorithm: 'ES256', kid: 'ec-a' },
    );
    expect(verifyToken(a, jwks, options()).principal.subject).toBe('a');
    expect(verifyToken(b, jwks, options()).principal.subject).toBe('b');
    expect(verifyToken(e, jwks, options()).principal.subject).toBe('e');
  });

  it('accepts exp within the clock tolerance', () => {
    const token = mintToken({ exp: nowSeconds() - 10 });
    expect(
      verifyToken(token, hmacKeys, options({ clockToleranceSeconds: 30 })).principal.subject,
    ).toBe('test-user');
  });

  it('reads role and groups from configured claim names', () => {
    const token = mintToken({
      role: undefined,
      groups: undefined,
      stix_role: 'partner',
      stix_groups: ['g'],
    });
    const opts = options({ roleClaim: 'stix_role', groupsClaim: 'stix_groups' });
    expect(verifyToken(token, hmacKeys, opts).principal).toMatchObject({
      role: 'partner',
      groups: ['g'],
    });
  });
});

describe('verifyToken: each defect is refused', () => {
  it('refuses an expired token', () => {
    expect(rejection(mintToken({ exp: nowSeconds() - 3600 }))).toMatch(/TokenExpiredError/);
  });

  it('refuses a token expired by more than the clock tolerance', () => {
    const token = mintToken({ exp: nowSeconds() - 31 });
    expect(rejection(token, hmacKeys, options({ clockToleranceSeconds: 30 }))).toMatch(
      /TokenExpiredError/,
    );
  });

  it('refuses a token not yet valid', () => {
    expect(rejection(mintToken({ nbf: nowSeconds() + 600 }))).toMatch(/NotBeforeError/);
  });

  it('refuses a wrong HS256 signature', () => {
    expect(
      rejection(mintToken({}, { secret: 'another-secret-another-secret-another-secret' })),
    ).toMatch(/invalid signature/);
  });

  it('refuses a tampered payload', () => {
    const [h, , s] = mintToken({ role: 'partner' }).split('.');
    const forged = Buffer.from(
      JSON.stringify({ sub: 'x', role: 'admin', jti: 'j', exp: nowSeconds() + 60 }),
    ).toString('base64url');
    expect(rejection(`${h}.${forged}.${s}`)).toMatch(/invalid signature/);
  });

  it('refuses a wrong RS256 signature', () => {
    const token = mintToken({}, { privateKey: rsaOther.privateKey, algorithm: 'RS256' });
    expect(rejection(token, rsaPemKeys)).toMatch(/invalid signature/);
  });

  it('refuses alg none with an HMAC key', () => {
    expect(rejection(unsignedToken({ alg: 'none', typ: 'JWT' }))).toMatch(/algorithm none/);
  });

  it('refuses alg none with a public key', () => {
    expect(rejection(unsignedToken({ alg: 'none', typ: 'JWT' }), rsaPemKeys)).toMatch(
      /algorithm none/,
    );
  });

  it('refuses HS256 signed with the RSA public key as secret (algorithm confusion)', () => {
    const token = hs256({ alg: 'HS256', typ: 'JWT' }, { role: 'admin' }, rsa.publicKeyPem);
    expect(rejection(token, rsaPemKeys)).toMatch(/algorithm HS256/);
  });

  it('refuses HS256 signed with the JWKS key material (algorithm confusion by kid)', () => {
    const token = hs256({ alg: 'HS256', kid: 'rsa-a' }, { role: 'admin' }, rsa.publicKeyPem);
    expect(rejection(token, jwks)).toMatch(/algorithm HS256/);
  });

  it('refuses RS256 when the server holds an HMAC secret', () => {
    const token = mintToken({}, { privateKey: rsa.privateKey, algorithm: 'RS256' });
    expect(rejection(token)).toMatch(/algorithm RS256/);
  });

  it('refuses ES256 against an RSA key', () => {
    const token = mintToken({}, { privateKey: ec.privateKey, algorithm: 'ES256' });
    expect(rejection(token, rsaPemKeys)).toMatch(/algorithm ES256/);
  });

  it('refuses HS512 even with the right secret', () => {
    const body = unsignedToken({ alg: 'HS512' }).slice(0, -1);
    const mac = createHmac('sha512', TEST_JWT_SECRET).update(body).digest('base64url');
    expect(rejection(`${body}.${mac}`)).toMatch(/algorithm HS512/);
  });

  it('refuses a wrong issuer', () => {
    expect(rejection(mintToken({ iss: 'someone-else' }))).toMatch(/jwt issuer invalid/);
  });

  it('refuses a missing issuer', () => {
    expect(rejection(mintToken({ iss: undefined }))).toMatch(/jwt issuer invalid/);
  });

  it('refuses a wrong audience', () => {
    expect(rejection(mintToken({ aud: 'other-service' }))).toMatch(/jwt audience invalid/);
  });

  it('refuses a missing audience', () => {
    expect(rejection(mintToken({ aud: undefined }))).toMatch(/jwt audience invalid/);
  });

  it('refuses a malformed token', () => {
    expect(rejection('not-a-jwt')).toBe('not a compact JWS (three parts)');
    expect(rejection('a.b.c')).toBe('header is not base64url');
  });

  it('refuses a token whose payload is not JSON, with or without typ JWT', () => {
    for (const header of ['{"alg":"HS256"}', '{"alg":"HS256","typ":"JWT"}']) {
      const h = Buffer.from(header).toString('base64url');
      expect(rejection(`${h}.${Buffer.from('plain').toString('base64url')}.sig`)).toBe(
        'payload is not JSON',
      );
    }
  });

  it('refuses a correctly signed token with any crit header (RFC 7515 §4.1.11)', () => {
    for (const crit of [['exp'], ['http://example.org/ext'], [], 'b64', null]) {
      const token = hs256({ alg: 'HS256', typ: 'JWT', crit }, {}, TEST_JWT_SECRET);
      expect(rejection(token)).toBe('crit header parameter not supported');
    }
    // The same token without crit verifies: the refusal is crit's doing.
    expect(() =>
      verifyToken(hs256({ alg: 'HS256', typ: 'JWT' }, {}, TEST_JWT_SECRET), hmacKeys, options()),
    ).not.toThrow();
  });

  it('refuses unencoded-payload and compressed tokens (b64, zip)', () => {
    expect(rejection(hs256({ alg: 'HS256', b64: false }, {}, TEST_JWT_SECRET))).toBe(
      'b64 header parameter not supported',
    );
    expect(rejection(hs256({ alg: 'HS256', zip: 'DEF' }, {}, TEST_JWT_SECRET))).toBe(
      'zip header parameter not supported',
    );
  });

  it('refuses a token without exp', () => {
    expect(rejection(mintToken({ exp: undefined }))).toBe('missing exp');
  });

  it('refuses a token without sub', () => {
    expect(rejection(mintToken({ sub: undefined }))).toBe('missing or invalid sub');
  });

  it('refuses a token without jti (it could never be revoked)', () => {
    expect(rejection(mintToken({ jti: undefined }))).toBe('missing or invalid jti');
  });

  it('refuses a token without role', () => {
    expect(rejection(mintToken({ role: undefined }))).toBe('missing or unknown role');
  });

  it('refuses an unknown role', () => {
    expect(rejection(mintToken({ role: 'superuser' }))).toBe('missing or unknown role');
  });

  it('refuses groups that are not a list of strings', () => {
    expect(rejection(mintToken({ role: 'partner', groups: 'fin' }))).toBe('invalid groups');
    expect(rejection(mintToken({ role: 'partner', groups: [1] }))).toBe('invalid groups');
  });

  it('refuses a JWKS token with an unknown kid', () => {
    const token = mintToken({}, { privateKey: rsa.privateKey, algorithm: 'RS256', kid: 'nope' });
    expect(rejection(token, jwks)).toBe('no key for this kid');
  });

  it('refuses a JWKS token without kid when the set holds several keys', () => {
    const token = mintToken({}, { privateKey: rsa.privateKey, algorithm: 'RS256' });
    expect(rejection(token, jwks)).toBe('no key for this kid');
  });

  it('refuses a JWKS token signed by another key than its kid names', () => {
    const token = mintToken({}, { privateKey: rsa.privateKey, algorithm: 'RS256', kid: 'rsa-b' });
    expect(rejection(token, jwks)).toMatch(/invalid signature/);
  });

  it('never puts the token in the error message', () => {
    const token = mintToken({ exp: nowSeconds() - 3600 });
    try {
      verifyToken(token, hmacKeys, options());
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(token.slice(0, 20));
      expect(String(((error as Error).cause as Error).message)).not.toContain(token.slice(0, 20));
    }
  });
});
