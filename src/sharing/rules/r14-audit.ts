// R14 Audit and preview: each partner read becomes one audit event, returned as data (the
// engine never logs): principal, group(s), policy revision, ids served (original → derived)
// and rule hits by field path, never the matched text. Preview pairs each original with its
// derived form and the changes annotated by rule.
import type { DeriveResult } from '../engine.js';
import type { RuleHit } from '../work.js';
import type { Audience } from './r01-audience.js';

/** Structurally the store's AuditRecord (sharing/ may not import store/). */
export interface ReadAuditEvent {
  at: number;
  actor: string;
  role: 'partner';
  groups: string[];
  action: string;
  apiRoot?: string;
  collectionId?: string;
  groupId: string;
  policyRevision: number;
  served: { original: string; derived: string }[];
  ruleHits: { rule: string; path: string; operator: string; objectId?: string }[];
  withheld: number;
  details: {
    policyId: string;
    members: Audience['members'];
    withheldReasons: Record<string, number>;
    /**
     * Withholdings and removals for doubt rather than policy (validation, egress, opaque
     * content, unresolvable references…): what an admin should fix in the registry or data.
     */
    doubts: Doubt[];
    /** `doubts` counted by reason (for metrics). */
    doubtReasons: Record<string, number>;
  };
}

/** One object withheld, or one field removed, because the engine could not judge it with certainty. */
export interface Doubt {
  objectId: string;
  rule: string;
  /** `''` for the object itself. */
  path: string;
  reason: string;
}

/** Policy decisions (audience type list, TLP, custom content not allowed): not doubt. */
const POLICY_RULES = new Set(['R1', 'R2', 'R8']);

/** The non-policy withholdings (W) and removals with a reason (D) of a derive result. */
export function doubtsOf(result: DeriveResult): Doubt[] {
  const out: Doubt[] = [];
  for (const w of result.withheld) {
    const rule = /^(R\d+):/.exec(w.reason)?.[1] ?? 'R12';
    if (!POLICY_RULES.has(rule)) out.push({ objectId: w.id, rule, path: '', reason: w.reason });
  }
  for (const h of result.hits) {
    if (h.reason !== undefined)
      out.push({ objectId: h.objectId, rule: h.rule, path: h.path, reason: h.reason });
  }
  return out;
}

export interface ReadAuditInput {
  /** Passed in: the engine has no clock. */
  at: number;
  subject: string;
  audience: Audience;
  /** e.g. `objects.read`, `object.read`, `versions.read`, `manifest.read`. */
  action: string;
  apiRoot?: string;
  collectionId?: string;
}

export function buildReadAudit(input: ReadAuditInput, result: DeriveResult): ReadAuditEvent {
  const reasons: Record<string, number> = {};
  for (const w of result.withheld) reasons[w.reason] = (reasons[w.reason] ?? 0) + 1;
  const doubts = doubtsOf(result);
  const doubtReasons: Record<string, number> = {};
  for (const d of doubts) doubtReasons[d.reason] = (doubtReasons[d.reason] ?? 0) + 1;
  const event: ReadAuditEvent = {
    at: input.at,
    actor: input.subject,
    role: 'partner',
    groups: [...input.audience.groupIds],
    action: input.action,
    groupId: input.audience.groupIds.join('+'),
    policyRevision: input.audience.policy.revision,
    served: result.served.map((s) => ({ original: s.originalId, derived: s.derivedId })),
    ruleHits: result.hits.map((h) => ({
      rule: h.rule,
      path: h.path,
      operator: h.operator,
      objectId: h.objectId,
    })),
    withheld: result.withheld.length,
    details: {
      policyId: input.audience.policy.id,
      members: input.audience.members,
      withheldReasons: reasons,
      doubts,
      doubtReasons,
    },
  };
  if (input.apiRoot !== undefined) event.apiRoot = input.apiRoot;
  if (input.collectionId !== undefined) event.collectionId = input.collectionId;
  return event;
}

export interface PreviewEntry {
  originalId: string;
  original: unknown;
  /** Absent when withheld. */
  derived?: unknown;
  derivedId?: string;
  withheldReason?: string;
  changes: Omit<RuleHit, 'objectId'>[];
}

/** Original beside derived, with each change annotated by rule, field path and operator. */
export function buildPreview(originals: readonly unknown[], result: DeriveResult): PreviewEntry[] {
  return originals.map((original) => {
    const id =
      typeof original === 'object' && original !== null
        ? String((original as Record<string, unknown>).id)
        : '';
    const served = result.served.find((s) => s.originalId === id);
    const withheld = result.withheld.find((w) => w.id === id);
    const entry: PreviewEntry = {
      originalId: id,
      original,
      changes: result.hits
        .filter((h) => h.objectId === id)
        .map(({ rule, path, operator, reason }) =>
          reason === undefined ? { rule, path, operator } : { rule, path, operator, reason },
        ),
    };
    if (served) {
      entry.derived = served.object;
      entry.derivedId = served.derivedId;
    } else if (withheld) {
      entry.withheldReason = withheld.reason;
    }
    return entry;
  });
}
