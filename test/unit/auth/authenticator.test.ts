import { describe, expect, it } from 'vitest';
import { createAuthenticator, createHmacAuthenticator } from '../../../src/auth/authenticator.js';
import { parseHmacSecret } from '../../../src/auth/keys.js';
import type { AuthConfig } from '../../../src/config/auth-config.js';
import {
  TooManyRequestsError,
  UnauthenticatedError,
  UnavailableError,
} from '../../../src/errors.js';
import { TEST_JWT_SECRET, basicHeader, mintToken } from '../../support/tokens.js';

const auth: AuthConfig = {
  issuer: 'stixgate',
  audience: 'stixgate',
  clockToleranceSeconds: 30,
  roleClaim: 'role',
  groupsClaim: 'groups',
  rateLimit: { failures: 3, windowSeconds: 60 },
};

function setup(revoked: string[] = []) {
  const lookups: string[] = [];
  const revokedSet = new Set(revoked);
  const authenticator = createAuthenticator({
    keys: { kind: 'hmac', key: parseHmacSecret(TEST_JWT_SECRET, 'test') },
    auth,
    revocations: {
      isTokenRevoked: (jti) => {
        lookups.push(jti);
        return Promise.resolve(revokedSet.has(jti));
      },
    },
  });
  return { authenticator, lookups, revokedSet };
}

describe('authenticator', () => {
  it('authenticates a Bearer token', async () => {
    const { authenticator } = setup();
    const token = mintToken({ sub: 'ana', role: 'analyst', jti: 'j1' });
    await expect(authenticator.authenticate({ authorization: `Bearer ${token}` })).resolves.toEqual(
      {
        subject: 'ana',
        role: 'analyst',
        groups: [],
        tokenId: 'j1',
      },
    );
  });

  it('authenticates Basic with the token as password', async () => {
    const { authenticator } = setup();
    const token = mintToken({ sub: 'soc', role: 'partner', groups: ['fin'] });
    const principal = await authenticator.authenticate(basicHeader(token));
    expect(principal).toMatchObject({ subject: 'soc', role: 'partner', groups: ['fin'] });
  });

  it('answers 401 without credentials', async () => {
    const { authenticator } = setup();
    await expect(authenticator.authenticate({})).rejects.toThrow(UnauthenticatedError);
  });

  it('refuses a revoked jti', async () => {
    const { authenticator } = setup(['bad']);
    const token = mintToken({ jti: 'bad' });
    await expect(authenticator.authenticate({ authorization: `Bearer ${token}` })).rejects.toThrow(
      'invalid token',
    );
  });

  it('asks the store on every request while a token is not revoked', async () => {
    const { authenticator, lookups, revokedSet } = setup();
    const token = mintToken({ jti: 'later' });
    await authenticator.authenticate({ authorization: `Bearer ${token}` });
    revokedSet.add('later');
    await expect(authenticator.authenticate({ authorization: `Bearer ${token}` })).rejects.toThrow(
      UnauthenticatedError,
    );
    expect(lookups).toEqual(['later', 'later']);
  });

  it('checks the lifetime of a token it verified before on every use', async () => {
    let nowMs = Date.UTC(2030, 0, 1);
    const seconds = () => Math.floor(nowMs / 1000);
    const authenticator = createAuthenticator({
      keys: { kind: 'hmac', key: parseHmacSecret(TEST_JWT_SECRET, 'test') },
      auth,
      revocations: { isTokenRevoked: () => Promise.resolve(false) },
      now: () => nowMs,
    });
    const token = mintToken({ iat: seconds(), nbf: seconds() + 60, exp: seconds() + 600 });
    const present = () => authenticator.authenticate({ authorization: `Bearer ${token}` });
    // Not yet valid (nbf beyond the 30 s tolerance), then valid, then expired: the same bytes
    // verified once are not served past their lifetime.
    await expect(present()).rejects.toThrow(UnauthenticatedError);
    nowMs += 60_000;
    await expect(present()).resolves.toMatchObject({ subject: expect.any(String) });
    await expect(present()).resolves.toMatchObject({ subject: expect.any(String) });
    nowMs += 600_000 - 60_000 + 30_000;
    await expect(present()).rejects.toThrow(UnauthenticatedError);
  });

  it('never serves a token from what it remembers of another one', async () => {
    const { authenticator } = setup();
    const token = mintToken({ sub: 'ana', jti: 'j-cache' });
    await authenticator.authenticate({ authorization: `Bearer ${token}` });
    const [head, payload, signature] = token.split('.');
    const flipped = signature!.startsWith('A')
      ? `B${signature!.slice(1)}`
      : `A${signature!.slice(1)}`;
    await expect(
      authenticator.authenticate({ authorization: `Bearer ${head}.${payload}.${flipped}` }),
    ).rejects.toThrow(UnauthenticatedError);
    const principal = await authenticator.authenticate({ authorization: `Bearer ${token}` });
    expect(Object.isFrozen(principal)).toBe(true);
  });

  it('remembers a revoked jti without asking the store again', async () => {
    const { authenticator, lookups } = setup(['gone']);
    const token = mintToken({ jti: 'gone' });
    for (let i = 0; i < 2; i++) {
      await expect(
        authenticator.authenticate({
          authorization: `Bearer ${token}`,
          remoteAddress: `10.0.0.${i}`,
        }),
      ).rejects.toThrow(UnauthenticatedError);
    }
    expect(lookups).toEqual(['gone']);
  });

  it('fails closed when the revocation list is unavailable', async () => {
    const authenticator = createAuthenticator({
      keys: { kind: 'hmac', key: parseHmacSecret(TEST_JWT_SECRET, 'test') },
      auth,
      revocations: { isTokenRevoked: () => Promise.reject(new Error('db down')) },
    });
    await expect(
      authenticator.authenticate({ authorization: `Bearer ${mintToken()}` }),
    ).rejects.toThrow(UnavailableError);
  });

  it('rate-limits failures from an address, never a valid token from it', async () => {
    const { authenticator } = setup();
    const bad = `Bearer ${mintToken({ role: 'nobody' })}`;
    for (let i = 0; i < 3; i++) {
      await expect(
        authenticator.authenticate({ authorization: bad, remoteAddress: '192.0.2.1' }),
      ).rejects.toThrow(UnauthenticatedError);
    }
    const error = await authenticator
      .authenticate({ authorization: bad, remoteAddress: '192.0.2.1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect((error as TooManyRequestsError).retryAfterSeconds).toBe(20);
    const good = `Bearer ${mintToken()}`;
    await expect(
      authenticator.authenticate({ authorization: good, remoteAddress: '192.0.2.1' }),
    ).resolves.toMatchObject({ role: 'analyst' });
    await expect(
      authenticator.authenticate({ authorization: bad, remoteAddress: '192.0.2.2' }),
    ).rejects.toThrow(UnauthenticatedError);
  });

  it('counts every malformed token as a 401 failure, whatever its defect', async () => {
    const { authenticator } = setup();
    const h = (header: string) => Buffer.from(header).toString('base64url');
    const hostile = [
      `${h('{"alg":"HS256","typ":"JWT"}')}.${h('not json')}.c2ln`,
      `${h('[1]')}.${h('{}')}.c2ln`,
      `${h('{"alg":"HS256"}')}.${h('null')}.c2ln`,
      `${h('{"alg":"HS256","crit":["x"]}')}.${h('{}')}.c2ln`,
      `${h('{"alg":1}')}.${h('{}')}.c2ln`,
    ];
    // A bucket of 3: the first three are counted 401s, so the later ones are throttled.
    for (const [i, token] of hostile.entries()) {
      await expect(
        authenticator.authenticate({
          authorization: `Bearer ${token}`,
          remoteAddress: '192.0.2.7',
        }),
      ).rejects.toThrow(i < 3 ? UnauthenticatedError : TooManyRequestsError);
    }
  });

  it('does not count requests without credentials as failures', async () => {
    const { authenticator } = setup();
    for (let i = 0; i < 10; i++) {
      await expect(authenticator.authenticate({ remoteAddress: '192.0.2.9' })).rejects.toThrow(
        UnauthenticatedError,
      );
    }
    await expect(
      authenticator.authenticate({
        authorization: `Bearer ${mintToken()}`,
        remoteAddress: '192.0.2.9',
      }),
    ).resolves.toBeDefined();
  });

  it('keeps the early HS256 entry point working', async () => {
    const authenticator = createHmacAuthenticator({
      secret: Buffer.from(TEST_JWT_SECRET),
      issuer: 'stixgate',
      audience: 'stixgate',
    });
    await expect(
      authenticator.authenticate({ authorization: `Bearer ${mintToken({ role: 'admin' })}` }),
    ).resolves.toMatchObject({ role: 'admin' });
  });
});

describe('authenticator failure reports', () => {
  it('tells why credentials were refused, without the token', async () => {
    const failures: unknown[] = [];
    const authenticator = createAuthenticator({
      keys: { kind: 'hmac', key: parseHmacSecret(TEST_JWT_SECRET, 'test') },
      auth: { ...auth, rateLimit: { failures: 1, windowSeconds: 60 } },
      revocations: { isTokenRevoked: (jti) => Promise.resolve(jti === 'r') },
      onFailure: (f) => failures.push(f),
    });
    const expired = mintToken({ exp: 1 });
    await authenticator
      .authenticate({ authorization: `Bearer ${expired}`, remoteAddress: 'a' })
      .catch(() => {});
    await authenticator
      .authenticate({ authorization: `Bearer ${expired}`, remoteAddress: 'a' })
      .catch(() => {});
    await authenticator
      .authenticate({
        authorization: `Bearer ${mintToken({ jti: 'r', sub: 'mallory' })}`,
        remoteAddress: 'b',
      })
      .catch(() => {});
    expect(failures).toEqual([
      { reason: 'TokenExpiredError: jwt expired', address: 'a' },
      { reason: 'rate limited (TokenExpiredError: jwt expired)', address: 'a' },
      { reason: 'revoked', address: 'b', subject: 'mallory' },
    ]);
    expect(JSON.stringify(failures)).not.toContain(expired.split('.')[2]);
  });
});
