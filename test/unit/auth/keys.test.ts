import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseHmacSecret, parsePublicKeys, selectKey } from '../../../src/auth/keys.js';
import { ConfigError } from '../../../src/errors.js';
import { generateEcKeys, generateRsaKeys } from '../../support/tokens.js';

const rsa = generateRsaKeys('r1');
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
