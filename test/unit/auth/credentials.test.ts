import { describe, expect, it } from 'vitest';
import { parseAuthorization } from '../../../src/auth/credentials.js';
import { UnauthenticatedError } from '../../../src/errors.js';
import { basicHeader, mintToken, unsignedToken } from '../../support/tokens.js';

const token = mintToken();

function basic(userPass: string): string {
  return `Basic ${Buffer.from(userPass).toString('base64')}`;
}

describe('parseAuthorization', () => {
  it('returns undefined without credentials', () => {
    expect(parseAuthorization(undefined)).toBeUndefined();
    expect(parseAuthorization('')).toBeUndefined();
  });

  it('reads a Bearer token', () => {
    expect(parseAuthorization(`Bearer ${token}`)).toEqual({ scheme: 'bearer', token });
  });

  it('treats the scheme case-insensitively', () => {
    expect(parseAuthorization(`bearer ${token}`)?.token).toBe(token);
    expect(parseAuthorization(`BASIC ${Buffer.from(`u:${token}`).toString('base64')}`)?.token).toBe(
      token,
    );
  });

  it('reads the token from the Basic password', () => {
    expect(parseAuthorization(basicHeader(token).authorization)).toEqual({
      scheme: 'basic',
      token,
    });
  });

  it('ignores the Basic user name, even an empty one', () => {
    expect(parseAuthorization(basic(`:${token}`))?.token).toBe(token);
    expect(parseAuthorization(basic(`any user:${token}`))?.token).toBe(token);
  });

  it('splits Basic at the first colon only', () => {
    expect(() => parseAuthorization(basic(`user:${token}:extra`))).toThrow(UnauthenticatedError);
  });

  it('refuses Basic without a colon', () => {
    expect(() => parseAuthorization(basic(token))).toThrow(UnauthenticatedError);
  });

  it('refuses a Basic password that is not a token', () => {
    expect(() => parseAuthorization(basic('admin:hunter2'))).toThrow(UnauthenticatedError);
  });

  it('refuses Basic credentials that are not base64', () => {
    expect(() => parseAuthorization('Basic !!!')).toThrow(UnauthenticatedError);
  });

  it('refuses other schemes', () => {
    expect(() => parseAuthorization(`Digest ${token}`)).toThrow(
      'unsupported authentication scheme',
    );
  });

  it('refuses a scheme without credentials', () => {
    expect(() => parseAuthorization('Bearer')).toThrow(UnauthenticatedError);
    expect(() => parseAuthorization('Bearer  ')).toThrow(UnauthenticatedError);
  });

  it('refuses a token that is not compact JWS', () => {
    expect(() => parseAuthorization('Bearer abc')).toThrow(UnauthenticatedError);
    expect(() => parseAuthorization('Bearer a.b.c.d')).toThrow(UnauthenticatedError);
  });

  it('passes an unsigned token on to verification', () => {
    const none = unsignedToken({ alg: 'none' });
    expect(parseAuthorization(`Bearer ${none}`)?.token).toBe(none);
  });

  it('refuses oversized credentials', () => {
    expect(() => parseAuthorization(`Bearer ${'a'.repeat(9000)}.b.c`)).toThrow(
      UnauthenticatedError,
    );
  });

  it('never echoes the credentials in the error', () => {
    try {
      parseAuthorization('Bearer secret-value');
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-value');
    }
  });
});
