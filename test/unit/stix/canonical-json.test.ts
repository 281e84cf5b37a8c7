import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/stix/canonical-json.js';

describe('canonicalJson', () => {
  it('gives the same bytes whatever the key order, at every depth', () => {
    const a = {
      name: 'x',
      id: 'malware--1',
      type: 'malware',
      kill_chain_phases: [{ phase_name: 'p', kill_chain_name: 'k' }],
    };
    const b = {
      kill_chain_phases: [{ kill_chain_name: 'k', phase_name: 'p' }],
      type: 'malware',
      name: 'x',
      id: 'malware--1',
    };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('puts type, spec_version, id, created and modified first and sorts the rest', () => {
    const text = canonicalJson({
      z: 1,
      modified: 'm',
      a: 2,
      id: 'i',
      created: 'c',
      spec_version: '2.1',
      type: 't',
    });
    expect(text).toBe(
      '{"type":"t","spec_version":"2.1","id":"i","created":"c","modified":"m","a":2,"z":1}',
    );
  });

  it('keeps array order and every value', () => {
    const value = { type: 't', labels: ['b', 'a'], n: 0, f: false, nil: null, s: 'ü\u0000' };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
    expect(canonicalJson(value)).toContain('["b","a"]');
  });
});
