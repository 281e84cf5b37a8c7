// R9 External references: keep the allow-listed sources (mitre-attack, cve, capec… per
// policy; R6 still applies to them), drop the rest (internal ticket URLs, case numbers).
import { Withhold, isObject, type Env, type Work } from '../work.js';

export function applyExternalReferences(work: Work, env: Env): void {
  const refs = work.obj.external_references;
  if (refs === undefined) return;
  if (!Array.isArray(refs)) throw new Withhold('R9', 'malformed external_references');
  const allowed = env.policy.allowedExternalSources;
  work.removeItems(
    'R9',
    ['external_references'],
    (_, ref) =>
      isObject(ref) && typeof ref.source_name === 'string' && allowed.includes(ref.source_name),
  );
  if (refs.length === 0) work.drop('R9', ['external_references']);
}
