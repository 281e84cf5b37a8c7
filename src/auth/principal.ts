// The authenticated caller, as every handler sees it.
import type { Role } from '../domain.js';

export type { Role };

export interface Principal {
  /** Token `sub`. */
  subject: string;
  role: Role;
  /** Partner groups (token claim `groups`); meaningful for role `partner`. */
  groups: string[];
  /** Token `jti`, when present (revocation). */
  tokenId?: string;
}

export const ROLES: readonly Role[] = ['admin', 'analyst', 'partner'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
