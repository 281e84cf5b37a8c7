// Who a CLI command acts as, for audit records: the local operating-system user.
import { userInfo } from 'node:os';

export function cliPrincipal(): { subject: string; role: 'admin'; groups: string[] } {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (container with an arbitrary uid): keep "unknown".
  }
  return { subject: `cli:${user}`, role: 'admin', groups: [] };
}
