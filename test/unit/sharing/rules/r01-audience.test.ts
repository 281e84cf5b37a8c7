import { describe, expect, it } from 'vitest';
import { makePolicy, type SharingModel } from '../../../../src/sharing/policy.js';
import { deriveGroupKey } from '../../../../src/sharing/keys.js';
import {
  audienceKey,
  combinePolicies,
  resolveAudience,
} from '../../../../src/sharing/rules/r01-audience.js';
import { MASTER, MODEL } from '../support.js';

describe('R1 audience', () => {
  it('reads through the single group of the principal', () => {
    const a = resolveAudience(MODEL, ['energy-isac'])!;
    expect(a.groupIds).toEqual(['energy-isac']);
    expect(a.policy.id).toBe('isac');
    expect(a.singleOrganization).toBe(false);
  });

  it('has no audience when no group of the principal is configured', () => {
    expect(resolveAudience(MODEL, ['unknown'])).toBeUndefined();
    expect(resolveAudience(MODEL, [])).toBeUndefined();
  });

  it('ignores unknown groups next to a known one', () => {
    expect(resolveAudience(MODEL, ['nope', 'vendor-a'])!.groupIds).toEqual(['vendor-a']);
  });

  it('combines several groups into the strictest policy', () => {
    const a = resolveAudience(MODEL, ['vendor-a', 'energy-isac'])!;
    expect(a.groupIds).toEqual(['energy-isac', 'vendor-a']);
    expect(a.policy.tlpCeiling).toBe('amber');
    expect(a.policy.kAnonymity).toBe(5);
    // AMBER+STRICT only when every group is a single organization.
    expect(a.singleOrganization).toBe(false);
    expect(a.members.map((m) => m.policyRevision)).toEqual([3, 1]);
  });

  it('uses an explicitly requested group alone when the principal is in it', () => {
    const a = resolveAudience(MODEL, ['vendor-a', 'energy-isac'], 'vendor-a')!;
    expect(a.groupIds).toEqual(['vendor-a']);
    expect(a.policy.tlpCeiling).toBe('amber+strict');
  });

  it('refuses a requested group the principal is not in', () => {
    expect(resolveAudience(MODEL, ['energy-isac'], 'vendor-a')).toBeUndefined();
  });

  it('skips a group whose policy is missing', () => {
    const model: SharingModel = {
      ...MODEL,
      groups: [{ id: 'g', name: 'G', singleOrganization: true, policyId: 'none' }],
    };
    expect(resolveAudience(model, ['g'])).toBeUndefined();
  });
});

describe('combinePolicies', () => {
  const a = makePolicy({
    id: 'a',
    revision: 2,
    tlpCeiling: 'amber',
    kAnonymity: 3,
    timePrecision: 'hour',
    countBuckets: [1, 10, 100],
    allowedExternalSources: ['cve', 'capec'],
    allowedCustomProperties: ['x_a', 'x_b'],
    withheldTypes: ['note'],
  });
  const b = makePolicy({
    id: 'b',
    revision: 5,
    tlpCeiling: 'green',
    kAnonymity: 8,
    timePrecision: 'month',
    countBuckets: [1, 5, 100],
    allowedExternalSources: ['cve'],
    allowedCustomProperties: ['x_b'],
    withheldTypes: ['opinion'],
  });
  const c = combinePolicies([a, b]);

  it('takes the lowest ceiling and the largest k', () => {
    expect(c.tlpCeiling).toBe('green');
    expect(c.kAnonymity).toBe(8);
  });

  it('takes the coarsest precision and buckets', () => {
    expect(c.timePrecision).toBe('month');
    expect(c.countBuckets).toEqual([1, 100]);
  });

  it('intersects allow-lists and unites withheld types', () => {
    expect(c.allowedExternalSources).toEqual(['cve']);
    expect(c.allowedCustomProperties).toEqual(['x_b']);
    expect(c.withheldTypes).toEqual(['note', 'opinion']);
  });

  it('has a revision that grows with any member', () => {
    expect(c.revision).toBe(7);
    expect(combinePolicies([{ ...a, revision: 3 }, b]).revision).toBe(8);
  });
});

describe('audienceKey', () => {
  it('is the group key for a single group and a distinct key for a combination', () => {
    const single = resolveAudience(MODEL, ['energy-isac'])!;
    expect(
      audienceKey(MASTER, single).key.equals(deriveGroupKey(MASTER, 'energy-isac', 1).key),
    ).toBe(true);
    const both = resolveAudience(MODEL, ['energy-isac', 'vendor-a'])!;
    expect(audienceKey(MASTER, both).key.equals(deriveGroupKey(MASTER, 'energy-isac', 1).key)).toBe(
      false,
    );
  });
});
