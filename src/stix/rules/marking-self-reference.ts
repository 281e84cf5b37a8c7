// STIX 2.1 §7.2.1: a marking-definition's object_marking_refs and granular markings MUST NOT
// reference the marking-definition itself (no circular markings). Both modes: no producer
// needs a marking that marks itself.
import { pointer } from '../issues.js';
import { isRecord, type RuleContext } from './context.js';

export function checkMarkingSelfReference(ctx: RuleContext): void {
  if (ctx.type !== 'marking-definition') return;
  const id = ctx.object['id'];
  if (typeof id !== 'string') return;
  const refs = ctx.object['object_marking_refs'];
  if (Array.isArray(refs)) {
    refs.forEach((ref, i) => {
      if (ref === id)
        ctx.issues.error(
          'marking-self-reference',
          pointer('object_marking_refs', i),
          `property object_marking_refs/${i}: a marking-definition must not mark itself`,
        );
    });
  }
  const granular = ctx.object['granular_markings'];
  if (Array.isArray(granular)) {
    granular.forEach((g, i) => {
      if (isRecord(g) && g['marking_ref'] === id)
        ctx.issues.error(
          'marking-self-reference',
          pointer('granular_markings', i, 'marking_ref'),
          `property granular_markings/${i}/marking_ref: a marking-definition must not mark itself`,
        );
    });
  }
}
