// R10 Integrity: every `*_ref`/`*_refs` (at any depth, extensions included) is rewritten to
// the id served for its target, or pruned when the target is not served in this view (the
// predefined TLP markings always are). A required reference, or a required list left empty,
// withholds the object; withholding one object can orphan others, so the caller iterates to
// a fixpoint. Granular-marking selectors are renumbered or removed after drops.
import { isTlpMarkingId } from '../../stix/tlp.js';
import { REQUIRED_REFS, REQUIRED_REF_LISTS } from '../stix-properties.js';
import { Withhold, formatPath, isObject, type PathToken, type Work } from '../work.js';

/** Original id → served id for everything the view serves; undefined = not served. */
export type IdResolver = (id: string) => string | undefined;

export function resolveWithMarkings(resolver: IdResolver): IdResolver {
  return (id) => (isTlpMarkingId(id) ? id : resolver(id));
}

/**
 * Rewrites and prunes references in place. Idempotent over already-rewritten ids only when
 * the resolver maps served ids to themselves, so the engine runs it on the original ids once
 * per fixpoint round on a fresh copy of the references.
 */
export function applyIntegrity(work: Work, resolve: IdResolver): void {
  const visit = (node: unknown, path: PathToken[]): void => {
    if (Array.isArray(node)) {
      // Only objects and arrays can hold references: no path is built for anything else.
      node.forEach((item, i) => {
        if (typeof item === 'object' && item !== null) visit(item, [...path, i]);
      });
      return;
    }
    if (!isObject(node)) return;
    for (const key of Object.keys(node)) {
      const value = node[key];
      const isRef = key.endsWith('_ref');
      const isRefs = !isRef && key.endsWith('_refs');
      if (!isRef && !isRefs && (typeof value !== 'object' || value === null)) continue;
      const here = [...path, key];
      if (isRef) {
        const target = typeof value === 'string' ? resolve(value) : undefined;
        if (target === undefined) {
          if (path.length === 0 && REQUIRED_REFS[work.type]?.includes(key)) {
            throw new Withhold('R10', `required ${key} not served in this view`);
          }
          work.drop('R10', here);
        } else if (target !== value) {
          node[key] = target;
          work.hit('R4', formatPath(here), 'P');
        }
      } else if (isRefs) {
        if (!Array.isArray(value)) {
          work.drop('R10', here);
          continue;
        }
        work.removeItems(
          'R10',
          here,
          (_, item) => typeof item === 'string' && resolve(item) !== undefined,
        );
        value.forEach((item: string, i) => {
          const target = resolve(item)!;
          if (target !== item) {
            value[i] = target;
            work.hit('R4', formatPath([...here, i]), 'P');
          }
        });
        if (value.length === 0) {
          if (path.length === 0 && REQUIRED_REF_LISTS[work.type]?.includes(key)) {
            throw new Withhold('R10', `required ${key} left empty in this view`);
          }
          work.drop('R10', here);
        }
      } else {
        visit(value, here);
      }
    }
  };
  visit(work.obj, []);
  if (
    work.type === 'network-traffic' &&
    work.obj.src_ref === undefined &&
    work.obj.dst_ref === undefined
  ) {
    // STIX 2.1 §6.12: at least one of src_ref and dst_ref MUST be present.
    throw new Withhold('R10', 'network-traffic without src_ref or dst_ref in this view');
  }
  if (work.type === 'observed-data' && work.obj.object_refs === undefined) {
    // The deprecated embedded `objects` form is never served: it cannot be checked per object.
    throw new Withhold('R10', 'observed-data without object_refs in this view');
  }
  if (
    work.type === 'malware-analysis' &&
    work.obj.result === undefined &&
    work.obj.analysis_sco_refs === undefined
  ) {
    throw new Withhold('R10', 'malware-analysis without result or analysis_sco_refs in this view');
  }
}

/** Renumbers granular-marking selectors after array drops; removes those whose target is gone. */
export function fixGranularSelectors(work: Work): void {
  const list = work.obj.granular_markings;
  if (!Array.isArray(list)) return;
  for (const marking of list) {
    if (!isObject(marking) || !Array.isArray(marking.selectors)) continue;
    const selectors: unknown[] = marking.selectors;
    const fixed: string[] = [];
    for (const selector of selectors) {
      const translated =
        typeof selector === 'string' ? work.translateSelector(selector) : undefined;
      if (translated !== undefined) fixed.push(translated);
    }
    if (fixed.length !== selectors.length || fixed.some((s, i) => s !== selectors[i])) {
      marking.selectors = fixed;
      work.hit('R10', 'granular_markings', 'D');
    }
  }
  work.removeItems(
    'R10',
    ['granular_markings'],
    (_, m) =>
      isObject(m) &&
      (m.marking_ref !== undefined || m.lang !== undefined) &&
      Array.isArray(m.selectors) &&
      m.selectors.length > 0,
  );
  if (list.length === 0) work.drop('R10', ['granular_markings']);
}
