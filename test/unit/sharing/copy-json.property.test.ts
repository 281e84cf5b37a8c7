// Property: copyJson gives what structuredClone gives (same structure, same key order, same
// bytes once serialized) and shares nothing with its input, for JSON values and for values
// only structuredClone handles (shared or cyclic parts, class instances, sparse arrays).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyJson } from '../../../src/sharing/work.js';

describe('copyJson', () => {
  it('equals structuredClone on JSON values, __proto__ keys included', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, withProto) => {
        const input = withProto
          ? (JSON.parse(`{"__proto__":${JSON.stringify(value)},"a":1}`) as unknown)
          : value;
        const copy = copyJson(input);
        expect(copy).toStrictEqual(structuredClone(input));
        expect(JSON.stringify(copy)).toBe(JSON.stringify(input));
        if (typeof input === 'object' && input !== null) expect(copy).not.toBe(input);
        if (withProto) expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      }),
      { numRuns: 2000 },
    );
  });

  it('copies deeply: changing the copy leaves the input alone', () => {
    const input = { a: [1, { b: 'x' }], c: { d: [] as unknown[] } };
    const copy = copyJson(input);
    (copy.a[1] as { b: string }).b = 'y';
    copy.c.d.push(1);
    expect(input).toEqual({ a: [1, { b: 'x' }], c: { d: [] } });
  });

  it('leaves shared, cyclic, sparse and class-made values to structuredClone', () => {
    const shared = { v: 1 };
    const sharing = { a: shared, b: shared };
    const copy = copyJson(sharing);
    expect(copy.a).toBe(copy.b);
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = cyclic;
    const c2 = copyJson(cyclic);
    expect(c2.self).toBe(c2);
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [1, , 3];
    expect(copyJson(sparse)).toStrictEqual(structuredClone(sparse));
    const dated = { at: new Date(0) };
    expect(copyJson(dated).at).toBeInstanceOf(Date);
  });
});
