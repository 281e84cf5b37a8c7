import { describe, expect, it } from 'vitest';
import { issueToken, parseLifetime, parsePrivateKey } from '../../../src/auth/issue-token.js';
import { hmacKey, parseHmacSecret, parsePublicKeys } from '../../../src/auth/keys.js';
import { verifyToken, type VerifyOptions } from '../../../src/auth/verify-token.js';
import { BadRequestError, ConfigError } from '../../../src/errors.js';
import { TEST_JWT_SECRET, generateEcKeys, generateRsaKeys } from '../../support/tokens.js';

const now = Date.UTC(2026, 0, 1);
const verifyOptions: VerifyOptions = {
  issuer: 'stixgate',
  audience: 'stixgate',
  clockToleranceSeconds: 0,
  roleClaim: 'role',
  groupsClaim: 'groups',
  now,
};
const input = {
  subject: 'acme',
  role: 'partner' as const,
  groups: ['fin', 'energy'],
  issuer: 'stixgate',
  audience: 'stixgate',
  lifetimeSeconds: 90 * 86_400,
  now,
};

describe('parseLifetime', () => {
  it('reads units', () => {
    expect(parseLifetime('90d')).toBe(90 * 86_400);
    expect(parseLifetime('12h')).toBe(43_200);
    expect(parseLifetime('30m')).toBe(1800);
    expect(parseLifetime('3600')).toBe(3600);
    expect(parseLifetime('2w')).toBe(1_209_600);
  });

  it('refuses nonsense, too short and too long', () => {
    expect(() => parseLifetime('soon')).toThrow(BadRequestError);
    expect(() => parseLifetime('10s')).toThrow(BadRequestError);
    expect(() => parseLifetime('6y')).toThrow(BadRequestError);
  });
});

describe('issueToken', () => {
  it('signs HS256 tokens the server verifies', () => {
    const issued = issueToken(input, parseHmacSecret(TEST_JWT_SECRET, 's'));
    const { principal, expiresAt } = verifyToken(
      issued.token,
      { kind: 'hmac', key: hmacKey(Buffer.from(TEST_JWT_SECRET), 's') },
      verifyOptions,
    );
    expect(principal).toEqual({
      subject: 'acme',
      role: 'partner',
      groups: ['fin', 'energy'],
      tokenId: issued.jti,
    });
    expect(expiresAt).toBe(issued.expiresAt);
    expect(issued.expiresAt).toBe(now / 1000 + 90 * 86_400);
  });

  it('gives every token its own jti', () => {
    const key = parseHmacSecret(TEST_JWT_SECRET, 's');
    expect(issueToken(input, key).jti).not.toBe(issueToken(input, key).jti);
  });

  it('signs RS256 with an RSA private key, with kid', () => {
    const rsa = generateRsaKeys('k1');
    const key = parsePrivateKey(rsa.privateKeyPem, 'key', 'k1');
    expect(key.algorithm).toBe('RS256');
    const { token } = issueToken(input, key);
    const jwks = parsePublicKeys(
      JSON.stringify({ keys: [rsa.jwk, generateRsaKeys('k2').jwk] }),
      'jwks',
    );
    expect(verifyToken(token, jwks, verifyOptions).principal.subject).toBe('acme');
  });

  it('signs ES256 with an EC P-256 private key', () => {
    const ec = generateEcKeys();
    const key = parsePrivateKey(ec.privateKeyPem, 'key');
    expect(key.algorithm).toBe('ES256');
    const { token } = issueToken(input, key);
    expect(
      verifyToken(token, parsePublicKeys(ec.publicKeyPem, 'pem'), verifyOptions).principal.role,
    ).toBe('partner');
  });

  it('refuses a public key as signing key', () => {
    expect(() => parsePrivateKey(generateRsaKeys().publicKeyPem, 'key')).toThrow(ConfigError);
  });
});
