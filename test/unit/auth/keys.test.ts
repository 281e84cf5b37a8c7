import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseHmacSecret, parsePublicKeys, selectKey } from '../../../src/auth/keys.js';
import { ConfigError } from '../../../src/errors.js';
import { generateEcKeys, generateRsaKeys } from '../../support/tokens.js';

const rsa = generateRsaKeys('r1');

/** A self-signed test certificate (openssl req -x509, RSA 2048); public material only. */
const IDP_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIDGzCCAgOgAwIBAgIUCq3isuHGRF5tZhOmebCGIIE9otowDQYJKoZIhvcNAQEL
BQAwHDEaMBgGA1UEAwwRc3RpeGdhdGUtdGVzdC1pZHAwIBcNMjYxMTI3MDI1MzQ0
WhgPMjEyNjExMDMwMjUzNDRaMBwxGjAYBgNVBAMMEXN0aXhnYXRlLXRlc3QtaWRw
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqzkDuydJX7jM5k9CCl/t
Kl2iuuNPRy+4wvL7IYqaqWynT/0L5sJAA8mEDlmwQ421VhcufpGIzur8WaLDp7qg
uoI/b/gqrU3dh0SvW5S6J989NM7wJxt1vZ+/M8thsJim94+MgyFRSqFwuuOfaZXU
K1LTI8EOi59gK1oYXmsvgosCXqlzr368qPl0wt5x/jx899QTetYBLVrMoBpBItQA
lzL2HCZ7i7FopJPCm8JvL5ucYAQhq1B4s2Yh722t60JA81s/K4z3xHcYoRYV0cBU
7opdQuEUg1Euj995kanHvOwga/a9PLpiu9fQKvWblQyCWNiaIV9+VedT0+lEIERQ
swIDAQABo1MwUTAdBgNVHQ4EFgQUuZ8rR70tic1iPovTBrbYYGMzTugwHwYDVR0j
BBgwFoAUuZ8rR70tic1iPovTBrbYYGMzTugwDwYDVR0TAQH/BAUwAwEB/zANBgkq
hkiG9w0BAQsFAAOCAQEAS42agOoK6riHJOkxhiO2xBpfppa5Dk615sGlTpeCeVmF
1DPyKaunb+DALVeZqdn0f2f9AtDJUprdzBnr44ZNeSkcEK/HZ119KBqrJ1dciSjI
r59uoIixH5NmzXojc5/n3ElxdaiM+xJ9DzUHhF7YxVEQ83/q80dRhK+K6SB4QKEh
sa+OnUYTvgEo9C6rpFCfaKSOJdHieOENmtmNM3HAimeuTXaSCn4zlOh6tBBdwOoG
WSapZ75fY3pL67foHZszXKojCKKCgUn7Je+KDpgDc1D3602bnlZPHb6oJDzluI3m
7Lm1354GYnt89Q9B/avGcqoxanfn/C8YGiubSHl2Zw==
-----END CERTIFICATE-----`;
const ec = generateEcKeys('e1');

describe('parseHmacSecret', () => {
  it('pins HS256 and trims the trailing newline', () => {
    const key = parseHmacSecret(`${'x'.repeat(32)}\n`, 'secret');
    expect(key.algorithm).toBe('HS256');
    expect(key.key.symmetricKeySize).toBe(32);
  });

  it('refuses secrets shorter than 32 bytes', () => {
    expect(() => parseHmacSecret('short-secret', 'secret')).toThrow(ConfigError);
  });
});

describe('parsePublicKeys', () => {
  it('pins RS256 for an RSA PEM key', () => {
    const keys = parsePublicKeys(rsa.publicKeyPem, 'k');
    expect(keys.kind === 'public' && keys.keys.map((k) => k.algorithm)).toEqual(['RS256']);
  });

  it('pins ES256 for an EC P-256 PEM key', () => {
    const keys = parsePublicKeys(ec.publicKeyPem, 'k');
    expect(keys.kind === 'public' && keys.keys.map((k) => k.algorithm)).toEqual(['ES256']);
  });

  it('takes the public key of an X.509 certificate (dates and chain are not its business)', () => {
    const keys = parsePublicKeys(IDP_CERTIFICATE, 'k');
    expect(keys.kind === 'public' && keys.keys.map((k) => k.algorithm)).toEqual(['RS256']);
    expect(selectKey(keys, undefined)?.key.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('refuses a private key in the public key file', () => {
    expect(() => parsePublicKeys(rsa.privateKeyPem, 'k')).toThrow(/private key/);
  });

  it('refuses RSA keys under 2048 bits', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() =>
      parsePublicKeys(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'k'),
    ).toThrow(/2048/);
  });

  it('refuses EC curves other than P-256', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(() =>
      parsePublicKeys(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'k'),
    ).toThrow(/P-256/);
  });

  it('refuses Ed25519 keys', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    expect(() =>
      parsePublicKeys(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'k'),
    ).toThrow(/unsupported key type/);
  });

  it('refuses text that is neither PEM nor JSON', () => {
    expect(() => parsePublicKeys('hello', 'k')).toThrow(ConfigError);
  });

  it('reads a JWKS by kid', () => {
    const keys = parsePublicKeys(JSON.stringify({ keys: [rsa.jwk, ec.jwk] }), 'k');
    expect(selectKey(keys, 'r1')?.algorithm).toBe('RS256');
    expect(selectKey(keys, 'e1')?.algorithm).toBe('ES256');
    expect(selectKey(keys, 'zz')).toBeUndefined();
    expect(selectKey(keys, undefined)).toBeUndefined();
  });

  it('uses a lone JWKS key for tokens without kid', () => {
    const keys = parsePublicKeys(JSON.stringify({ keys: [rsa.jwk] }), 'k');
    expect(selectKey(keys, undefined)?.kid).toBe('r1');
  });

  it('skips encryption keys in a JWKS', () => {
    const enc = { ...generateRsaKeys('enc').jwk, use: 'enc' };
    const keys = parsePublicKeys(JSON.stringify({ keys: [rsa.jwk, enc] }), 'k');
    expect(keys.kind === 'public' && keys.keys.map((k) => k.kid)).toEqual(['r1']);
  });

  it('refuses a JWK whose alg does not match its key type', () => {
    expect(() =>
      parsePublicKeys(JSON.stringify({ keys: [{ ...rsa.jwk, alg: 'HS256' }] }), 'k'),
    ).toThrow(/alg HS256/);
  });

  it('refuses symmetric keys in a JWKS', () => {
    const oct = { kty: 'oct', k: Buffer.alloc(32).toString('base64url'), kid: 'o' };
    expect(() => parsePublicKeys(JSON.stringify({ keys: [oct] }), 'k')).toThrow(/symmetric/);
  });

  it('refuses private JWKs', () => {
    const jwk = { ...rsa.privateKey.export({ format: 'jwk' }), kid: 'p' };
    expect(() => parsePublicKeys(JSON.stringify({ keys: [jwk] }), 'k')).toThrow(/private key/);
  });

  it('refuses duplicate kids', () => {
    expect(() =>
      parsePublicKeys(JSON.stringify({ keys: [rsa.jwk, { ...ec.jwk, kid: 'r1' }] }), 'k'),
    ).toThrow(/duplicate kid/);
  });

  it('refuses an empty JWKS', () => {
    expect(() => parsePublicKeys('{"keys": []}', 'k')).toThrow(/no signature key/);
  });

  it('refuses invalid JSON', () => {
    expect(() => parsePublicKeys('{"keys": [', 'k')).toThrow(/not valid JSON/);
  });
});
