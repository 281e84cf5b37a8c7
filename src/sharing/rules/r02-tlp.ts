// R2 TLP: the effective TLP is the strictest of the object's markings (TLP 1.0 and 2.0, by id;
// WHITE = CLEAR); unmarked objects take the collection default. Served only up to the
// ceiling; RED never; AMBER+STRICT only to single-organization audiences; an unknown
// marking-definition withholds. Never lowers a TLP. Granular markings above the ceiling drop
// the selected property (withhold if it is required) and disappear themselves.
import { tlpMarkingById, tlpOf, tlpRank, type TlpCode, type TlpLevel } from '../../stix/tlp.js';
import { isRequiredProperty } from '../stix-properties.js';
import { Withhold, isObject, parseSelector, type Env, type Work } from '../work.js';

export function effectiveTlp(obj: unknown, env: Env): TlpCode {
  const level = tlpOf(obj, (id) => (env.nonTlpMarkings.has(id) ? 'not-tlp' : undefined));
  return level === 'none' ? env.defaultTlp : level;
}

export function isLevelServable(level: TlpCode, env: Env): boolean {
  if (level === 'unknown' || level === 'none' || level === 'red') return false;
  if (level === 'amber+strict' && !env.audience.singleOrganization) return false;
  return tlpRank(level) <= tlpRank(env.policy.tlpCeiling);
}

/** Whole-object check: withholds what the audience may not receive. */
export function applyTlp(work: Work, env: Env): void {
  const level = effectiveTlp(work.obj, env);
  if (level === 'unknown') throw new Withhold('R2', 'unknown marking-definition');
  if (!isLevelServable(level, env))
    throw new Withhold('R2', `TLP ${level} above the audience's ceiling`);
}

function granularLevel(marking: unknown, env: Env): TlpLevel | 'not-tlp' | 'unknown' {
  if (!isObject(marking)) return 'unknown';
  if (typeof marking.lang === 'string' && marking.marking_ref === undefined) return 'not-tlp';
  const ref = marking.marking_ref;
  if (typeof ref !== 'string') return 'unknown';
  const tlp = tlpMarkingById(ref);
  if (tlp) return tlp.level;
  return env.nonTlpMarkings.has(ref) ? 'not-tlp' : 'unknown';
}

/** Granular markings (STIX 2.1 §7.2.3) above the ceiling: D what they select, W if required. */
export function applyGranularTlp(work: Work, env: Env): void {
  const list = work.obj.granular_markings;
  if (list === undefined) return;
  if (!Array.isArray(list)) throw new Withhold('R2', 'malformed granular_markings');
  const blocked: number[] = [];
  list.forEach((marking, i) => {
    const level = granularLevel(marking, env);
    if (level === 'not-tlp') return;
    if (level !== 'unknown' && isLevelServable(level, env)) return;
    blocked.push(i);
    const selectors =
      isObject(marking) && Array.isArray(marking.selectors) ? marking.selectors : undefined;
    if (!selectors) throw new Withhold('R2', 'granular marking without selectors');
    for (const selector of selectors) {
      const path = typeof selector === 'string' ? parseSelector(selector) : undefined;
      if (!path) throw new Withhold('R2', 'malformed granular marking selector');
      const top = path[0];
      if (path.length === 1 && typeof top === 'string' && isRequiredProperty(work.type, top)) {
        throw new Withhold('R2', `required property ${top} is marked above the ceiling`);
      }
      // Selectors address the original object; earlier drops may have renumbered arrays.
      const current = work.translateSelector(selector as string);
      if (current !== undefined) work.drop('R2', parseSelector(current)!);
    }
  });
  if (blocked.length > 0) {
    work.removeItems('R2', ['granular_markings'], (i) => !blocked.includes(i));
  }
}
