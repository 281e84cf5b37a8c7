import fc from 'fast-check';
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

  it('keeps a "__proto__" key of parsed JSON as an ordinary key, at every depth', () => {
    const parsed = JSON.parse('{"type":"t","__proto__":{"b":1,"a":2},"x":[{"__proto__":3}]}');
    const text = canonicalJson(parsed);
    expect(text).toBe('{"type":"t","__proto__":{"a":2,"b":1},"x":[{"__proto__":3}]}');
    expect(JSON.parse(text)).toEqual(parsed);
  });

  it('is independent of key order and loses nothing, for any JSON value', () => {
    const shuffled = (value: unknown, seed: number): unknown => {
      if (Array.isArray(value)) return value.map((v) => shuffled(v, seed));
      if (value === null || typeof value !== 'object') return value;
      const entries = Object.entries(value);
      const rotated = entries
        .slice(seed % (entries.length || 1))
        .concat(entries.slice(0, seed % (entries.length || 1)));
      const out = Object.create(null) as Record<string, unknown>;
      for (const [k, v] of rotated.reverse()) out[k] = shuffled(v, seed + 1);
      return out;
    };
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(7), (value, seed) => {
        const text = canonicalJson(value);
        expect(canonicalJson(shuffled(value, seed))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('writes what a full copy in canonical order writes, integer-like keys included', () => {
    const leading = ['type', 'spec_version', 'id', 'created_by_ref', 'created', 'modified'];
    const rank = (k: string): number => (leading.includes(k) ? leading.indexOf(k) : leading.length);
    const copy = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(copy);
      if (value === null || typeof value !== 'object') return value;
      const keys = Object.keys(value).sort(
        (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0),
      );
      const out = Object.create(null) as Record<string, unknown>;
      for (const k of keys) out[k] = copy((value as Record<string, unknown>)[k]);
      return out;
    };
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom(...leading, '0', '7', '10', '__proto__', 'a'),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(key, tie('node'), { maxKeys: 8 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const parsed = JSON.parse(JSON.stringify(v)) as unknown;
        expect(canonicalJson(parsed)).toBe(JSON.stringify(copy(parsed)));
      }),
      { numRuns: 2000 },
    );
  });
});
