// Withholding for doubt is visible: every non-policy withholding and every removal of content
// the engine could not judge is listed (id, rule, reason; never content) in the read audit.
import { describe, expect, it } from 'vitest';
import { buildReadAudit, doubtsOf } from '../../../src/sharing/rules/r14-audit.js';
import { AUDIENCE, TLP, run } from './support.js';
import { seededMalware } from '../../support/builders.js';

const blob = Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 97 + 13) % 256)).toString(
  'base64',
);

describe('doubts', () => {
  it('lists an opaque blob removed from a field, by object id, rule, path and reason', () => {
    const m = seededMalware('m1', { description: `stage two ${blob}` });
    const result = run([m]);
    expect(JSON.parse(result.served[0]!.json).description).toBe('stage two [REDACTED:opaque]');
    expect(doubtsOf(result)).toEqual([
      { objectId: m.id, rule: 'R6', path: 'description', reason: 'opaque content removed' },
    ]);
  });

  it('counts doubts by reason in the audit event and leaves policy withholding out', () => {
    const red = seededMalware('m2', { object_marking_refs: [TLP.red] });
    const m = seededMalware('m3', { description: blob });
    const event = buildReadAudit(
      { at: 0, subject: 'p', audience: AUDIENCE, action: 'objects.read' },
      run([red, m]),
    );
    expect(event.details.doubtReasons).toEqual({ 'opaque content removed': 1 });
    expect(event.details.doubts.map((d) => d.objectId)).toEqual([m.id]);
    expect(JSON.stringify(event)).not.toContain(blob);
  });
});
