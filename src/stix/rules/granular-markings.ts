// Granular marking selectors (STIX 2.1 §7.2.3.1): "property.[index].property" paths that MUST
// refer to properties or list items populated in the object that carries them.
import { pointer } from '../issues.js';
import { isRecord, type RuleContext } from './context.js';

const INDEX = /^\[(\d+)\]$/;

/** Whether `selector` resolves to a populated value in `object`. */
export function selectorResolves(object: unknown, selector: string): boolean {
  if (selector === '') return false;
  let current: unknown = object;
  for (const step of selector.split('.')) {
    const index = INDEX.exec(step);
    if (index !== null) {
      if (!Array.isArray(current)) return false;
      const i = Number(index[1]);
      if (i >= current.length) return false;
      current = current[i];
    } else {
      if (!isRecord(current) || !Object.prototype.hasOwnProperty.call(current, step)) return false;
      current = current[step];
    }
  }
  return current !== undefined;
}

export function checkGranularMarkings(ctx: RuleContext): void {
  const markings = ctx.object['granular_markings'];
  if (!Array.isArray(markings)) return;
  markings.forEach((marking, i) => {
    if (!isRecord(marking) || !Array.isArray(marking['selectors'])) return;
    marking['selectors'].forEach((selector, j) => {
      if (typeof selector !== 'string') return;
      if (!selectorResolves(ctx.object, selector)) {
        ctx.issues.error(
          'granular-marking-selector-unresolved',
          pointer('granular_markings', i, 'selectors', j),
          `property granular_markings/${i}/selectors/${j}: selector does not resolve to a populated property of the object`,
        );
      }
    });
  });
}
