import { describe, expect, it } from 'vitest';
import { bodyPageFromAggregate, bodyPageOf, takeBodies } from '../../../src/store/body-page.js';

const records = [
  { dateAdded: 10, json: '{"a":1}' },
  { dateAdded: 20, json: '{"name":"گزارش ✓"}' },
  { dateAdded: 30, json: '{"c":[1,2]}' },
];
const joined = Buffer.from(records.map((r) => r.json).join(','));
const recordAt = (page: { body: Buffer; ends: number[] }, i: number): string =>
  page.body.subarray(i === 0 ? 0 : page.ends[i - 1]! + 1, page.ends[i]).toString('utf8');

describe('bodyPageOf', () => {
  it('joins UTF-8 bytes with commas and records where each one ends', () => {
    const page = bodyPageOf(records, true);
    expect(page.body.equals(joined)).toBe(true);
    expect(page.positions).toEqual([10, 20, 30]);
    expect(records.map((_, i) => recordAt(page, i))).toEqual(records.map((r) => r.json));
    expect(page.more).toBe(true);
  });

  it('joins frozen records again to the same bytes, whatever the order of calls', () => {
    const frozen = records.map((r) => Object.freeze({ ...r }));
    const first = bodyPageOf(frozen, false);
    const again = bodyPageOf(frozen, true);
    expect(again.body.equals(joined)).toBe(true);
    expect(again.more).toBe(true);
    expect(first.more).toBe(false);
    // Other records behind the same first one, fewer records, or copies: joined for what they are.
    const other = Object.freeze({ dateAdded: 25, json: '{"other":true}' });
    const mixed = bodyPageOf([frozen[0]!, other], false);
    expect(mixed.body.toString()).toBe('{"a":1},{"other":true}');
    expect(mixed.positions).toEqual([10, 25]);
    expect(bodyPageOf(frozen.slice(0, 2), false).positions).toEqual([10, 20]);
    expect(bodyPageOf(frozen, false).body.equals(joined)).toBe(true);
    expect(Object.isFrozen(again.positions)).toBe(true);
  });

  it('is an empty buffer for no records', () => {
    const page = bodyPageOf([], false);
    expect(page.body.length).toBe(0);
    expect(page.ends).toEqual([]);
  });
});

describe('bodyPageFromAggregate', () => {
  const lengths = records.map((r) => Buffer.byteLength(r.json)).join(',');

  it('keeps rows that arrived in ascending order as they are', () => {
    const page = bodyPageFromAggregate('10,20,30', lengths, joined, false);
    expect(page.body).toBe(joined);
    expect(records.map((_, i) => recordAt(page, i))).toEqual(records.map((r) => r.json));
  });

  it('reorders rows that arrived out of order, bytes and positions together', () => {
    const shuffled = [records[2]!, records[0]!, records[1]!];
    const page = bodyPageFromAggregate(
      shuffled.map((r) => r.dateAdded).join(','),
      shuffled.map((r) => Buffer.byteLength(r.json)).join(','),
      Buffer.from(shuffled.map((r) => r.json).join(',')),
      false,
    );
    expect(page.positions).toEqual([10, 20, 30]);
    expect(page.body.equals(joined)).toBe(true);
    expect(records.map((_, i) => recordAt(page, i))).toEqual(records.map((r) => r.json));
  });

  it('refuses an aggregate whose lengths do not add up to its bytes', () => {
    expect(() => bodyPageFromAggregate('10,20,30', '1,2,3', joined, false)).toThrow(/disagree/);
  });

  it('is empty when SQL aggregated no row (NULLs)', () => {
    const page = bodyPageFromAggregate(null, null, null, false);
    expect(page.positions).toEqual([]);
    expect(page.body.length).toBe(0);
  });
});

describe('takeBodies', () => {
  it('keeps a prefix without copying and sets more', () => {
    const page = bodyPageOf(records, false);
    const two = takeBodies(page, 2, true);
    expect(two.body.toString('utf8')).toBe(`${records[0]!.json},${records[1]!.json}`);
    expect(two.body.buffer).toBe(page.body.buffer);
    expect(two.positions).toEqual([10, 20]);
    expect(two.more).toBe(true);
    expect(takeBodies(page, 0, true).body.length).toBe(0);
    expect(takeBodies(page, 5, false).positions).toEqual([10, 20, 30]);
  });
});
