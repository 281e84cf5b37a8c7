// What every admin route shares: the context, the admin-role check, JSON in and out, the
// parameter check, and one audit record per change.
import type { Request, RequestHandler, Response } from 'express';
import type { Principal } from '../../../auth/principal.js';
import type { Config } from '../../../config/types.js';
import { ForbiddenError, InvalidFilterError, UnsupportedMediaTypeError } from '../../../errors.js';
import type { AuditRecord, Micros, Store } from '../../../store/types.js';
import { readJsonBody } from '../../body.js';
import { principalOf } from '../../request-context.js';

/** What the admin API shows of a declared partner group (sharing/policy.ts `PartnerGroup`). */
export interface PartnerGroupInfo {
  id: string;
  name?: string;
  policyId?: string;
  singleOrganization?: boolean;
}

export interface AdminContext {
  config: Readonly<Config>;
  store: Store;
  listGroups: () => readonly PartnerGroupInfo[];
  now: () => Micros;
}

/** Admin requests are small; a collection definition is well under this. */
export const ADMIN_BODY_LIMIT = 64 * 1024;

/**
 * Admin role only. The admin API's existence is documented, so a 403 for an authenticated
 * non-admin leaks nothing (unlike TAXII resources, where invisible means 404).
 */
export const requireAdmin: RequestHandler = (_req, res, next) => {
  if (principalOf(res).role !== 'admin')
    throw new ForbiddenError('the admin API requires the admin role');
  next();
};

export function sendJson(res: Response, status: number, body: unknown): void {
  res.setHeader('Content-Type', 'application/json');
  res.status(status).end(status === 204 ? undefined : JSON.stringify(body));
}

/** A JSON request body (Content-Type application/json, at most ADMIN_BODY_LIMIT bytes). */
export async function readAdminBody(req: Request): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json')
    throw new UnsupportedMediaTypeError('the admin API takes application/json');
  return readJsonBody(req, ADMIN_BODY_LIMIT);
}

/** Appends one audit record for an admin action by the caller. */
export async function audit(
  ctx: AdminContext,
  res: Response,
  action: string,
  fields: Omit<AuditRecord, 'at' | 'actor' | 'role' | 'groups' | 'action'>,
): Promise<void> {
  const principal: Principal = principalOf(res);
  await ctx.store.appendAudit([
    {
      at: ctx.now(),
      actor: principal.subject,
      role: principal.role,
      groups: [...principal.groups],
      action,
      ...fields,
      details: { source: 'http', ...fields.details },
    },
  ]);
}

export function isoFromMicros(micros: Micros): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}

/** The query parameters of an endpoint that takes only `allowed`; anything else is refused. */
export function onlyParams(
  params: Map<string, string>,
  allowed: readonly string[],
): Record<string, string | undefined> {
  for (const key of params.keys())
    if (!allowed.includes(key))
      throw new InvalidFilterError(key, 'not a parameter of this endpoint');
  return Object.fromEntries(params);
}
