import { describe, it, expect } from 'vitest';
import {
  classifyMarkingDefinition,
  isTlpMarkingId,
  stricterTlp,
  tlpOf,
  tlpRank,
} from '../../../src/stix/tlp.js';

const TLP2_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const TLP2_AMBER_STRICT = 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003';
const TLP1_WHITE = 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9';
const TLP1_RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
const STATEMENT = 'marking-definition--11111111-2222-4333-8444-555555555555';

describe('tlpOf', () => {
  it('answers none for an unmarked object', () => {
    expect(tlpOf({ type: 'indicator' })).toBe('none');
    expect(tlpOf({ type: 'indicator', object_marking_refs: [] })).toBe('none');
  });

  it('maps TLP 1.0 WHITE to clear', () => {
    expect(tlpOf({ object_marking_refs: [TLP1_WHITE] })).toBe('clear');
  });

  it('takes the strictest of several TLP markings across versions', () => {
    expect(tlpOf({ object_marking_refs: [TLP2_GREEN, TLP2_AMBER_STRICT] })).toBe('amber+strict');
    expect(tlpOf({ object_marking_refs: [TLP1_WHITE, TLP1_RED, TLP2_GREEN] })).toBe('red');
  });

  it('answers unknown for a marking-definition it cannot classify', () => {
    expect(tlpOf({ object_marking_refs: [TLP2_GREEN, STATEMENT] })).toBe('unknown');
  });

  it('ignores markings the classifier declares not TLP', () => {
    const classify = (id: string) => (id === STATEMENT ? ('not-tlp' as const) : undefined);
    expect(tlpOf({ object_marking_refs: [TLP2_GREEN, STATEMENT] }, classify)).toBe('green');
    expect(tlpOf({ object_marking_refs: [STATEMENT] }, classify)).toBe('none');
  });

  it('answers unknown for malformed marking refs', () => {
    expect(tlpOf({ object_marking_refs: 'x' })).toBe('unknown');
    expect(tlpOf({ object_marking_refs: [3] })).toBe('unknown');
    expect(tlpOf(null)).toBe('unknown');
  });
});

describe('tlp helpers', () => {
  it('recognises published TLP ids only', () => {
    expect(isTlpMarkingId(TLP2_GREEN)).toBe(true);
    expect(isTlpMarkingId(STATEMENT)).toBe(false);
    expect(isTlpMarkingId(undefined)).toBe(false);
  });

  it('ranks unknown above red and none below clear', () => {
    expect(tlpRank('unknown')).toBeGreaterThan(tlpRank('red'));
    expect(tlpRank('none')).toBeLessThan(tlpRank('clear'));
    expect(stricterTlp('amber', 'amber+strict')).toBe('amber+strict');
  });

  it('classifies marking-definition objects', () => {
    expect(classifyMarkingDefinition({ id: TLP1_RED, definition_type: 'tlp' })).toBe('red');
    expect(classifyMarkingDefinition({ id: STATEMENT, definition_type: 'statement' })).toBe(
      'not-tlp',
    );
    expect(classifyMarkingDefinition({ id: STATEMENT, definition_type: 'tlp' })).toBe('unknown');
  });
});
