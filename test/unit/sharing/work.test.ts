import { describe, expect, it } from 'vitest';
import { Work, formatPath, parseSelector } from '../../../src/sharing/work.js';

const make = (obj: Record<string, unknown>): Work =>
  new Work(structuredClone(obj), 'malware--x', 'malware');

describe('selectors and array bookkeeping', () => {
  it('parses and formats STIX selectors', () => {
    expect(parseSelector('external_references.[2].url')).toEqual(['external_references', 2, 'url']);
    expect(formatPath(['a', 0, 'b'])).toBe('a.[0].b');
    expect(parseSelector('')).toBeUndefined();
    expect(parseSelector('a..b')).toBeUndefined();
  });

  it('renumbers selectors after items were removed, across several removals', () => {
    const w = make({ labels: ['a', 'b', 'c', 'd', 'e'] });
    w.removeItems('R9', ['labels'], (i) => i !== 1); // a c d e
    w.removeItems('R9', ['labels'], (i) => i !== 1); // a d e (the original c)
    expect(w.obj.labels).toEqual(['a', 'd', 'e']);
    expect(w.translateSelector('labels.[0]')).toBe('labels.[0]');
    expect(w.translateSelector('labels.[1]')).toBeUndefined();
    expect(w.translateSelector('labels.[2]')).toBeUndefined();
    expect(w.translateSelector('labels.[3]')).toBe('labels.[1]');
    expect(w.translateSelector('labels.[4]')).toBe('labels.[2]');
  });

  it('records hits with original indices', () => {
    const w = make({ labels: ['a', 'b', 'c'] });
    w.removeItems('R9', ['labels'], (i) => i !== 0);
    w.removeItems('R9', ['labels'], (i) => i !== 1);
    expect(w.hits.map((h) => h.path)).toEqual(['labels.[0]', 'labels.[2]']);
  });

  it('drops properties and ignores missing paths', () => {
    const w = make({ a: { b: 1 } });
    w.drop('R8', ['a', 'b']);
    w.drop('R8', ['nope']);
    expect(w.obj).toEqual({ a: {} });
    expect(w.hits).toEqual([{ rule: 'R8', path: 'a.b', operator: 'D', objectId: 'malware--x' }]);
  });

  it('clones independently, hits included', () => {
    const w = make({ labels: ['a'] });
    w.hit('R6', 'labels.[0]', 'R');
    const c = w.clone();
    (c.obj.labels as string[]).push('b');
    expect(w.obj.labels).toEqual(['a']);
    expect(c.hits).toEqual(w.hits);
  });
});
