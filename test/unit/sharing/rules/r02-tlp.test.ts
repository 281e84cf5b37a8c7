import { describe, expect, it } from 'vitest';
import { resolveAudience } from '../../../../src/sharing/rules/r01-audience.js';
import { deriveGroupKey } from '../../../../src/sharing/keys.js';
import { MASTER, MODEL, TLP, isWithheld, run, servedOf } from '../support.js';
import { seededIndicator, seededMalware } from '../../../support/builders.js';

const vendor = resolveAudience(MODEL, ['vendor-a'])!;
const vendorKey = deriveGroupKey(MASTER, 'vendor-a', 1);
const STATEMENT = 'marking-definition--f0b8c9a4-2d1e-4c3b-9a8f-7e6d5c4b3a21';

describe('R2 TLP', () => {
  it('serves objects up to the ceiling', () => {
    const green = seededIndicator('g', { object_marking_refs: [TLP.green] });
    const amber = seededIndicator('a', { object_marking_refs: [TLP.amber] });
    const r = run([green, amber]);
    expect(r.served.map((s) => s.originalId)).toEqual([green.id, amber.id]);
  });

  it('never serves RED, in TLP 2.0 or 1.0', () => {
    const r2 = seededIndicator('r2', { object_marking_refs: [TLP.red] });
    const r1 = seededIndicator('r1', { object_marking_refs: [TLP.red1] });
    const r = run([r2, r1], {}, vendor.policy, vendorKey);
    expect(r.served).toEqual([]);
    expect(r.withheld.map((w) => w.id)).toEqual([r2.id, r1.id]);
  });

  it('takes the strictest of several markings', () => {
    const both = seededIndicator('both', { object_marking_refs: [TLP.white1, TLP.red] });
    expect(isWithheld(run([both]), both.id)).toBe(true);
  });

  it('serves AMBER+STRICT only to a single-organization audience', () => {
    const strict = seededIndicator('s', { object_marking_refs: [TLP.amberStrict] });
    expect(isWithheld(run([strict]), strict.id)).toBe(true);
    const r = run([strict], { audience: vendor }, vendor.policy, vendorKey);
    expect(r.served.map((s) => s.originalId)).toEqual([strict.id]);
  });

  it('applies the collection default to unmarked objects', () => {
    const unmarked = seededIndicator('u');
    expect(run([unmarked], { defaultTlp: 'amber' }).served).toHaveLength(1);
    expect(isWithheld(run([unmarked], { defaultTlp: 'red' }), unmarked.id)).toBe(true);
  });

  it('withholds an object carrying an unknown marking-definition', () => {
    const odd = seededIndicator('odd', {
      object_marking_refs: ['marking-definition--11111111-2222-4333-8444-555555555555'],
    });
    const r = run([odd]);
    expect(isWithheld(r, odd.id)).toBe(true);
    expect(r.withheld[0]!.reason).toMatch(/^R2: unknown marking/);
  });

  it('accepts a statement marking present in the view', () => {
    const statement = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: STATEMENT,
      created: '2026-01-01T00:00:00.000Z',
      definition_type: 'statement',
      definition: { statement: 'Copyright Example National CERT' },
    };
    const obj = seededIndicator('st', { object_marking_refs: [STATEMENT, TLP.green] });
    const r = run([statement, obj]);
    expect(servedOf(r, obj.id).object_marking_refs).toEqual([STATEMENT, TLP.green]);
  });

  it('keeps the object markings: the engine never lowers a TLP', () => {
    const obj = seededIndicator('keep', { object_marking_refs: [TLP.amber] });
    expect(servedOf(run([obj]), obj.id).object_marking_refs).toEqual([TLP.amber]);
  });

  it('drops a property under a granular marking above the ceiling', () => {
    const m = seededMalware('gm', {
      description: 'details only for RED',
      object_marking_refs: [TLP.green],
      granular_markings: [{ marking_ref: TLP.red, selectors: ['description'] }],
    });
    const out = servedOf(run([m]), m.id);
    expect(out.description).toBeUndefined();
    expect(out.granular_markings).toBeUndefined();
  });

  it('withholds when a granular marking above the ceiling covers a required property', () => {
    const m = seededMalware('gmr', {
      is_family: false,
      granular_markings: [{ marking_ref: TLP.red, selectors: ['name'] }],
    });
    const i = seededIndicator('gmi', {
      granular_markings: [{ marking_ref: TLP.red, selectors: ['pattern'] }],
    });
    const r = run([m, i]);
    expect(servedOf(r, m.id).name).toBeUndefined();
    expect(isWithheld(r, i.id)).toBe(true);
  });

  it('withholds when a drop leaves the object invalid (a malware family needs its name)', () => {
    const m = seededMalware('gmf', {
      granular_markings: [{ marking_ref: TLP.red, selectors: ['name'] }],
    });
    const r = run([m]);
    expect(isWithheld(r, m.id)).toBe(true);
    expect(r.withheld[0]!.reason).toMatch(/validation/);
  });

  it('drops the right list items when a granular marking selects several of them', () => {
    const m = seededMalware('gml', {
      labels: ['a', 'b', 'c', 'd'],
      granular_markings: [
        { marking_ref: TLP.red, selectors: ['labels.[1]', 'labels.[2]'] },
        { marking_ref: TLP.green, selectors: ['labels.[3]'] },
      ],
    });
    const out = servedOf(run([m]), m.id);
    expect(out.labels).toEqual(['a', 'd']);
    // The remaining marking now points at the renumbered item.
    expect(out.granular_markings).toEqual([{ marking_ref: TLP.green, selectors: ['labels.[1]'] }]);
  });

  it('keeps granular markings within the ceiling', () => {
    const m = seededMalware('gk', {
      description: 'x',
      granular_markings: [{ marking_ref: TLP.green, selectors: ['description'] }],
    });
    expect(servedOf(run([m]), m.id).granular_markings).toEqual([
      { marking_ref: TLP.green, selectors: ['description'] },
    ]);
  });
});

describe('R2 with statement markings outside the page', () => {
  const statement = {
    type: 'marking-definition',
    spec_version: '2.1',
    id: 'marking-definition--a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    created: '2026-01-01T00:00:00.000Z',
    definition_type: 'statement',
    definition: { statement: 'Copyright 2026 Example National CERT' },
  };

  it('serves an AMBER object with a statement marking to an AMBER-ceiling group', () => {
    const obj = seededIndicator('amber-st', { object_marking_refs: [TLP.amber, statement.id] });
    const r = run([obj], { viewObjects: [statement] });
    expect(servedOf(r, obj.id).object_marking_refs).toEqual([TLP.amber, statement.id]);
  });

  it('withholds a RED object with a statement marking', () => {
    const obj = seededIndicator('red-st', { object_marking_refs: [TLP.red, statement.id] });
    expect(isWithheld(run([obj], { viewObjects: [statement] }), obj.id)).toBe(true);
  });

  it('withholds an object whose marking cannot be resolved in the view', () => {
    const obj = seededIndicator('unres', { object_marking_refs: [TLP.green, statement.id] });
    expect(isWithheld(run([obj]), obj.id)).toBe(true);
  });
});
