import { describe, expect, it } from 'vitest';
import { parseAuthConfig } from '../../../src/config/auth-config.js';
import { ConfigError } from '../../../src/errors.js';

const resolve = (p: string) => (p.startsWith('/') ? p : `/etc/stixgate/${p}`);

describe('parseAuthConfig', () => {
  it('has safe defaults', () => {
    expect(parseAuthConfig(undefined, {}, resolve)).toEqual({
      issuer: 'stixgate',
      audience: 'stixgate',
      clockToleranceSeconds: 30,
      roleClaim: 'role',
      groupsClaim: 'groups',
      rateLimit: { failures: 10, windowSeconds: 60 },
    });
  });

  it('reads the file section and resolves paths', () => {
    const config = parseAuthConfig(
      {
        jwt_public_key_file: 'idp.jwks.json',
        issuer: 'https://idp.example/realms/cert',
        audience: 'stixgate-prod',
        clock_tolerance_seconds: 120,
        role_claim: 'stixgate_role',
        groups_claim: 'stixgate_groups',
        rate_limit: { failures: 20, window_seconds: 300 },
      },
      {},
      resolve,
    );
    expect(config).toMatchObject({
      jwtPublicKeyFile: '/etc/stixgate/idp.jwks.json',
      issuer: 'https://idp.example/realms/cert',
      audience: 'stixgate-prod',
      clockToleranceSeconds: 120,
      roleClaim: 'stixgate_role',
      groupsClaim: 'stixgate_groups',
      rateLimit: { failures: 20, windowSeconds: 300 },
    });
  });

  it('lets environment variables override the file', () => {
    const config = parseAuthConfig(
      { jwt_secret_file: 'a', issuer: 'file', clock_tolerance_seconds: 10 },
      {
        STIXGATE_JWT_SECRET_FILE: '/run/secrets/jwt',
        STIXGATE_JWT_ISSUER: 'env-iss',
        STIXGATE_JWT_AUDIENCE: 'env-aud',
        STIXGATE_JWT_CLOCK_TOLERANCE_SECONDS: '5',
      },
      resolve,
    );
    expect(config).toMatchObject({
      jwtSecretFile: '/run/secrets/jwt',
      issuer: 'env-iss',
      audience: 'env-aud',
    });
    expect(config.clockToleranceSeconds).toBe(5);
  });

  it('refuses both a secret and a public key', () => {
    expect(() =>
      parseAuthConfig(
        { jwt_secret_file: 'a' },
        { STIXGATE_JWT_PUBLIC_KEY_FILE: '/k.pem' },
        resolve,
      ),
    ).toThrow(ConfigError);
  });

  it('caps the clock tolerance at 300 seconds', () => {
    expect(() => parseAuthConfig({ clock_tolerance_seconds: 301 }, {}, resolve)).toThrow(
      /at most 300/,
    );
    expect(() =>
      parseAuthConfig({}, { STIXGATE_JWT_CLOCK_TOLERANCE_SECONDS: '900' }, resolve),
    ).toThrow(ConfigError);
  });

  it('refuses unknown keys, naming them', () => {
    expect(() => parseAuthConfig({ algorithm: 'none' }, {}, resolve)).toThrow(
      'auth.algorithm: unknown key',
    );
    expect(() => parseAuthConfig({ rate_limit: { burst: 1 } }, {}, resolve)).toThrow(
      'auth.rate_limit.burst',
    );
  });

  it('refuses registered claims as role or groups claim', () => {
    expect(() => parseAuthConfig({ role_claim: 'sub' }, {}, resolve)).toThrow(ConfigError);
    expect(() => parseAuthConfig({ role_claim: 'x', groups_claim: 'x' }, {}, resolve)).toThrow(
      ConfigError,
    );
  });
});
