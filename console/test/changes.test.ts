import { describe, expect, it } from 'vitest';
import {
  isNonPolicyReason,
  kindOf,
  labelChanges,
  matchesFilter,
  sortRules,
  summarize,
} from '../src/preview/changes.js';
import type { PreviewEntry } from '../src/types.js';

const identity: PreviewEntry = {
  original_id: 'identity--1',
  original: {
    type: 'identity',
    id: 'identity--1',
    name: 'Kian Power Company',
    sectors: ['utilities'],
  },
  derived_id: 'identity--2',
  derived: { type: 'identity', id: 'identity--2', name: 'Victim-NI5TZ6Z6' },
  changes: [
    { rule: 'R3', path: 'description', operator: 'D' },
    { rule: 'R3', path: 'name', operator: 'P' },
    { rule: 'R3', path: 'sectors', operator: 'G' },
    { rule: 'R4', path: 'id', operator: 'P' },
  ],
};
const red: PreviewEntry = {
  original_id: 'malware--1',
  original: { type: 'malware', id: 'malware--1' },
  withheld: "R2: TLP red above the audience's ceiling",
  changes: [{ rule: 'R2', path: '', operator: 'W' }],
};
const sigma: PreviewEntry = {
  original_id: 'indicator--9',
  original: { type: 'indicator', id: 'indicator--9' },
  withheld: 'R7: non-STIX pattern with a protected term',
  changes: [{ rule: 'R7', path: '', operator: 'W' }],
};
const unchanged: PreviewEntry = {
  original_id: 'indicator--3',
  original: { type: 'indicator', id: 'indicator--3' },
  derived_id: 'indicator--3',
  derived: { type: 'indicator', id: 'indicator--3' },
  changes: [],
};

describe('kindOf', () => {
  it('names each kind of change from operator, path and type', () => {
    expect(kindOf({ rule: 'R2', path: '', operator: 'W' }, 'malware')).toBe('withheld');
    expect(kindOf({ rule: 'R6', path: 'description', operator: 'R' }, 'indicator')).toBe(
      'redacted',
    );
    expect(kindOf({ rule: 'R3', path: 'name', operator: 'P' }, 'identity')).toBe('pseudonym');
    expect(kindOf({ rule: 'R3', path: 'sectors', operator: 'G' }, 'identity')).toBe(
      'generalized-sector',
    );
    expect(kindOf({ rule: 'R3', path: 'city', operator: 'D' }, 'location')).toBe('dropped');
    expect(kindOf({ rule: 'R3', path: 'region', operator: 'G' }, 'location')).toBe(
      'generalized-location',
    );
    expect(kindOf({ rule: 'R11', path: 'count', operator: 'G' }, 'sighting')).toBe('generalized');
    expect(kindOf({ rule: 'R4', path: 'id', operator: 'P' }, 'identity')).toBe('rederived-id');
    expect(kindOf({ rule: 'R7', path: 'value', operator: 'P' }, 'ipv4-addr')).toBe(
      'mapped-address',
    );
    expect(kindOf({ rule: 'R4', path: 'where_sighted_refs.[0]', operator: 'P' }, 'sighting')).toBe(
      'reference',
    );
    expect(kindOf({ rule: 'R9', path: 'external_references.[1]', operator: 'D' }, 'malware')).toBe(
      'dropped',
    );
    expect(kindOf({ rule: 'R6', path: 'x', operator: 'K' }, 'malware')).toBe('kept');
    expect(kindOf({ rule: 'R6', path: 'x', operator: '?' }, 'malware')).toBe('other');
  });
});

describe('labelChanges', () => {
  it('adds a re-derived id when the served id differs and no id change was listed', () => {
    const entry = { ...identity, changes: [] };
    expect(labelChanges(entry)).toEqual([
      { rule: 'R4', path: 'id', operator: 'P', kind: 'rederived-id' },
    ]);
    expect(labelChanges(identity).filter((c) => c.kind === 'rederived-id')).toHaveLength(1);
  });
});

describe('summarize', () => {
  it('counts served objects by type and withheld ones by reason', () => {
    const s = summarize([identity, red, sigma, unchanged]);
    expect(s.served).toBe(2);
    expect(s.withheld).toBe(2);
    expect(s.servedByType).toEqual([
      ['identity', 1],
      ['indicator', 1],
    ]);
    expect(s.withheldByReason).toEqual([
      ["R2: TLP red above the audience's ceiling", 1],
      ['R7: non-STIX pattern with a protected term', 1],
    ]);
    expect(Object.fromEntries(s.kinds)).toEqual({
      dropped: 1,
      pseudonym: 1,
      'generalized-sector': 1,
      'rederived-id': 1,
      withheld: 2,
    });
  });
});

describe('matchesFilter', () => {
  const all = [identity, red, sigma, unchanged];
  const ids = (f: Parameters<typeof matchesFilter>[1]) =>
    all.filter((e) => matchesFilter(e, f)).map((e) => e.original_id);
  it('filters by rule, kind, type and changed-only', () => {
    expect(ids({})).toEqual(['identity--1', 'malware--1', 'indicator--9', 'indicator--3']);
    expect(ids({ rule: 'R2' })).toEqual(['malware--1']);
    expect(ids({ kind: 'withheld' })).toEqual(['malware--1', 'indicator--9']);
    expect(ids({ kind: 'pseudonym', rule: 'R3' })).toEqual(['identity--1']);
    expect(ids({ type: 'indicator' })).toEqual(['indicator--9', 'indicator--3']);
    expect(ids({ type: 'indicator', changedOnly: true })).toEqual(['indicator--9']);
  });
});

describe('withheld reasons', () => {
  it('separates policy (TLP, withheld types, allow-lists) from data and registry reasons', () => {
    expect(isNonPolicyReason("R2: TLP red above the audience's ceiling")).toBe(false);
    expect(isNonPolicyReason('R1: type withheld by policy')).toBe(false);
    expect(isNonPolicyReason('R8: custom object type not allow-listed')).toBe(false);
    expect(isNonPolicyReason('R7: non-STIX pattern with a protected term')).toBe(true);
    expect(isNonPolicyReason('R10: required source_ref not served in this view')).toBe(true);
    expect(isNonPolicyReason('R13: egress scan found a protected term')).toBe(true);
    expect(isNonPolicyReason('withheld')).toBe(true);
  });
  it('sorts rule ids numerically', () => {
    expect(sortRules(['R10', 'R2', 'R13', 'R2', 'R6'])).toEqual(['R2', 'R6', 'R10', 'R13']);
  });
});
