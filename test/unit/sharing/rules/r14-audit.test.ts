import { describe, expect, it } from 'vitest';
import { buildPreview, buildReadAudit } from '../../../../src/sharing/rules/r14-audit.js';
import { AUDIENCE, KIAN_IDENTITY, TLP, run } from '../support.js';
import { seededIdentity, seededMalware } from '../../../support/builders.js';

describe('R14 audit and preview', () => {
  const victim = seededIdentity('v', { id: KIAN_IDENTITY, name: 'Kian Power Company' });
  const m = seededMalware('m', { description: 'Deployed at Kian Power by Dariush Karimi' });
  const red = seededMalware('red', { object_marking_refs: [TLP.red] });
  const result = run([victim, m, red]);

  it('records principal, group, policy revision, ids served and hits by path', () => {
    const event = buildReadAudit(
      {
        at: 1_700_000_000_000_000,
        subject: 'soc@partner',
        audience: AUDIENCE,
        action: 'objects.read',
        collectionId: 'c1',
      },
      result,
    );
    expect(event).toMatchObject({
      actor: 'soc@partner',
      role: 'partner',
      groupId: 'energy-isac',
      policyRevision: 3,
      action: 'objects.read',
      collectionId: 'c1',
      withheld: 1,
    });
    expect(event.served).toContainEqual({
      original: KIAN_IDENTITY,
      derived: result.served[0]!.derivedId,
    });
    expect(event.ruleHits).toContainEqual({
      rule: 'R6',
      path: 'description',
      operator: 'R',
      objectId: m.id,
    });
  });

  it('never holds the matched text', () => {
    const event = buildReadAudit(
      { at: 1, subject: 's', audience: AUDIENCE, action: 'objects.read' },
      result,
    );
    expect(JSON.stringify(event)).not.toMatch(/Kian|Karimi/);
  });

  it('previews the original beside the derived form with each change annotated', () => {
    const preview = buildPreview([victim, m, red], result);
    expect(preview[1]!.original).toEqual(m);
    expect((preview[1]!.derived as { description: string }).description).not.toContain('Kian');
    expect(preview[1]!.changes).toContainEqual({ rule: 'R6', path: 'description', operator: 'R' });
    expect(preview[2]!.derived).toBeUndefined();
    expect(preview[2]!.withheldReason).toMatch(/^R2/);
  });
});
