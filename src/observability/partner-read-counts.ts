// Turns one partner page's audit event into metric counts: served, rewritten (served objects
// some rule changed), rule hits by rule, withheld by reason.
import type { ReadAuditEvent } from '../sharing/rules/r14-audit.js';
import type { PartnerReadCounts } from './metrics.js';

// A page served again from the partner page cache carries the same frozen lists and details:
// its counts are computed once (a pure function of those objects).
const countsOf = new WeakMap<object, { event: ReadAuditEvent; counts: PartnerReadCounts }>();

export function partnerReadCounts(event: ReadAuditEvent): PartnerReadCounts {
  const known = countsOf.get(event.served);
  if (
    known !== undefined &&
    known.event.ruleHits === event.ruleHits &&
    known.event.details === event.details &&
    known.event.action === event.action
  )
    return known.counts;
  const counts = countAudit(event);
  if (
    Object.isFrozen(event.served) &&
    Object.isFrozen(event.ruleHits) &&
    Object.isFrozen(event.details) &&
    Object.isFrozen(event.details.withheldReasons)
  )
    countsOf.set(event.served, { event, counts });
  return counts;
}

function countAudit(event: ReadAuditEvent): PartnerReadCounts {
  const served = new Set(event.served.map((s) => s.original));
  const rewritten = new Set<string>();
  const hitsByRule: Record<string, number> = {};
  for (const hit of event.ruleHits) {
    if (hit.objectId !== undefined && served.has(hit.objectId)) rewritten.add(hit.objectId);
    hitsByRule[hit.rule] = (hitsByRule[hit.rule] ?? 0) + 1;
  }
  // Served objects whose derived id differs were rewritten too (pseudonymised ids).
  for (const s of event.served) if (s.derived !== s.original) rewritten.add(s.original);
  return {
    surface: event.action.replace(/\.read$/, ''),
    served: event.served.length,
    rewritten: rewritten.size,
    hitsByRule,
    withheldByReason: { ...event.details.withheldReasons },
  };
}
