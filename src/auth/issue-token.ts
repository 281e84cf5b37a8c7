// Signs stixgate tokens (for `stixgate token issue`): HS256 with the server's secret, or
// RS256/ES256 with a private key whose public half the server verifies with.
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { BadRequestError, ConfigError } from '../errors.js';
import type { JwtAlgorithm } from './keys.js';
import { isRole, type Role } from './principal.js';

export interface SigningKey {
  algorithm: JwtAlgorithm;
  key: KeyObject;
  kid?: string;
}

export interface IssueTokenInput {
  subject: string;
  role: Role;
  groups: string[];
  issuer: string;
  audience: string;
  lifetimeSeconds: number;
  /** Milliseconds since the epoch. */
  now: number;
  /** Defaults to a random UUID. */
  jti?: string;
  roleClaim?: string;
  groupsClaim?: string;
}

export interface IssuedToken {
  token: string;
  jti: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export const MAX_LIFETIME_SECONDS = 5 * 366 * 86_400;

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 365 * 86_400,
};

/** `90d`, `12h`, `30m`, `3600s`, `2w`, `1y` (a bare number is seconds). */
export function parseLifetime(text: string): number {
  const match = /^(\d{1,9})([smhdwy]?)$/.exec(text.trim());
  if (!match) throw new BadRequestError(`invalid duration "${text}" (use e.g. 90d, 12h, 30m)`);
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
  if (seconds < 60) throw new BadRequestError('a token must live at least one minute');
  if (seconds > MAX_LIFETIME_SECONDS)
    throw new BadRequestError('a token may live at most five years');
  return seconds;
}

/** A PEM private key: RSA (≥ 2048 bits) signs RS256, EC P-256 signs ES256. */
export function parsePrivateKey(pem: string, source: string, kid?: string): SigningKey {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ConfigError(source, 'not a readable PEM private key');
  }
  let algorithm: JwtAlgorithm;
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') {
    if ((details?.modulusLength ?? 0) < 2048)
      throw new ConfigError(source, 'RSA keys must have at least 2048 bits');
    algorithm = 'RS256';
  } else if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') {
    algorithm = 'ES256';
  } else {
    throw new ConfigError(source, 'use an RSA or EC P-256 private key');
  }
  return kid === undefined ? { algorithm, key } : { algorithm, key, kid };
}

export function issueToken(input: IssueTokenInput, signingKey: SigningKey): IssuedToken {
  if (input.subject.length === 0 || input.subject.length > 256)
    throw new BadRequestError('invalid subject');
  if (!isRole(input.role)) throw new BadRequestError('invalid role');
  const jti = input.jti ?? randomUUID();
  const iat = Math.floor(input.now / 1000);
  const expiresAt = iat + input.lifetimeSeconds;
  const payload: Record<string, unknown> = {
    sub: input.subject,
    [input.roleClaim ?? 'role']: input.role,
    [input.groupsClaim ?? 'groups']: [...new Set(input.groups)],
    jti,
    iat,
    nbf: iat,
    exp: expiresAt,
    iss: input.issuer,
    aud: input.audience,
  };
  const header: jwt.JwtHeader = { alg: signingKey.algorithm, typ: 'JWT' };
  if (signingKey.kid !== undefined) header.kid = signingKey.kid;
  const token = jwt.sign(payload, signingKey.key, { algorithm: signingKey.algorithm, header });
  return { token, jti, expiresAt };
}
