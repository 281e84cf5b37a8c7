// TAXII status resources, scoped by API root, purged by the retention job.
import type { Micros, StatusRecord } from '../types.js';
import type { StatementCache } from './database.js';

export class Statuses {
  constructor(private readonly statements: StatementCache) {}

  put(status: StatusRecord): void {
    this.statements
      .get(
        `INSERT INTO statuses (id, api_root, updated_at, record) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET api_root = excluded.api_root,
           updated_at = excluded.updated_at, record = excluded.record`,
      )
      .run(status.id, status.apiRoot, status.updatedAt, JSON.stringify(status));
  }

  get(apiRoot: string, id: string): StatusRecord | undefined {
    const row = this.statements
      .get('SELECT record FROM statuses WHERE id = ? AND api_root = ?')
      .get(id, apiRoot) as { record: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.record) as StatusRecord);
  }

  purge(updatedBefore: Micros): number {
    return this.statements.get('DELETE FROM statuses WHERE updated_at < ?').run(updatedBefore)
      .changes;
  }
}
