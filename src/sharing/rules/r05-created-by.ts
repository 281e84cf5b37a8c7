// R5 created_by_ref: objects authored by a protected identity are re-attributed to the CERT's
// own identity; `authors` (notes, opinions) and `contact_information` are dropped everywhere.
import { isProtectedIdentity } from '../registry-index.js';
import type { Env, Work } from '../work.js';

export function applyCreatedBy(work: Work, env: Env): void {
  const author = work.obj.created_by_ref;
  if (typeof author === 'string' && isProtectedIdentity(env.registry, env.index, author)) {
    work.obj.created_by_ref = env.registry.ownIdentity.id;
    work.hit('R5', 'created_by_ref', 'P');
  }
  work.drop('R5', ['authors']);
  work.drop('R5', ['contact_information']);
}
