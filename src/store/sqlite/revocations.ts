// Revoked token ids, shared by every process that opens the same file.
import type { RevokedToken } from '../types.js';
import type { StatementCache } from './database.js';

interface RevokedRow {
  jti: string;
  revoked_at: number;
  expires_at: number | null;
  reason: string | null;
}

export class Revocations {
  constructor(private readonly statements: StatementCache) {}

  revoke(token: RevokedToken): void {
    this.statements
      .get(
        `INSERT INTO revoked_tokens (jti, revoked_at, expires_at, reason) VALUES (?, ?, ?, ?)
         ON CONFLICT (jti) DO UPDATE SET revoked_at = excluded.revoked_at,
           expires_at = excluded.expires_at, reason = excluded.reason`,
      )
      .run(token.jti, token.revokedAt, token.expiresAt ?? null, token.reason ?? null);
  }

  isRevoked(jti: string): boolean {
    return this.statements.get('SELECT 1 FROM revoked_tokens WHERE jti = ?').get(jti) !== undefined;
  }

  list(): RevokedToken[] {
    const rows = this.statements
      .get(
        'SELECT jti, revoked_at, expires_at, reason FROM revoked_tokens ORDER BY revoked_at, jti',
      )
      .all() as RevokedRow[];
    return rows.map((row) => {
      const token: RevokedToken = { jti: row.jti, revokedAt: row.revoked_at };
      if (row.expires_at !== null) token.expiresAt = row.expires_at;
      if (row.reason !== null) token.reason = row.reason;
      return token;
    });
  }
}
