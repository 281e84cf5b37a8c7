// Admin API: token revocation. Revocations live in the store, so every instance refuses the
// token from the next request on. A revocation is permanent (there is no un-revoke: issue a
// new token instead), which is what lets the authenticator cache "revoked" answers safely.
import type { Router } from 'express';
import { BadRequestError } from '../../../errors.js';
import type { RevokedToken } from '../../../store/types.js';
import { audit, isoFromMicros, readAdminBody, sendJson, type AdminContext } from './support.js';

const JTI = /^[\x21-\x7e]{1,256}$/;
const BODY_KEYS = new Set(['jti', 'reason', 'expires_at']);

export function adminTokenRoutes(router: Router, ctx: AdminContext): void {
  router.get('/tokens/revoked/', async (_req, res) => {
    const revoked = await ctx.store.listRevokedTokens();
    sendJson(res, 200, { revoked: revoked.map(describe) });
  });

  router.post('/tokens/revoked/', async (req, res) => {
    const body = await readAdminBody(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequestError('the body must be a JSON object');
    }
    const fields = body as Record<string, unknown>;
    for (const key of Object.keys(fields))
      if (!BODY_KEYS.has(key)) throw new BadRequestError(`unknown field ${key}`);
    const { jti, reason, expires_at: expiresAt } = fields;
    if (typeof jti !== 'string' || !JTI.test(jti))
      throw new BadRequestError('jti must be the token id (printable ASCII, 1-256 characters)');
    if (reason !== undefined && (typeof reason !== 'string' || reason.length > 500)) {
      throw new BadRequestError('reason must be a string of at most 500 characters');
    }
    const token: RevokedToken = { jti, revokedAt: ctx.now() };
    if (reason !== undefined) token.reason = reason;
    if (expiresAt !== undefined) {
      const ms = typeof expiresAt === 'string' ? Date.parse(expiresAt) : NaN;
      if (!Number.isFinite(ms))
        throw new BadRequestError('expires_at must be an RFC 3339 timestamp');
      token.expiresAt = ms * 1000;
    }
    await ctx.store.revokeToken(token);
    await audit(ctx, res, 'token.revoke', {
      details: reason === undefined ? { jti } : { jti, reason },
    });
    sendJson(res, 201, describe(token));
  });
}

function describe(t: RevokedToken): Record<string, unknown> {
  return {
    jti: t.jti,
    revoked_at: isoFromMicros(t.revokedAt),
    ...(t.expiresAt !== undefined && { expires_at: isoFromMicros(t.expiresAt) }),
    ...(t.reason !== undefined && { reason: t.reason }),
  };
}
