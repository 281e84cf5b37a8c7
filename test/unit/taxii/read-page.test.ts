// Page boundaries on milliseconds and envelope assembly.
import { describe, expect, it } from 'vitest';
import type { ObjectRecord } from '../../../src/store/types.js';
import { buildListBody, trimToMillisecond } from '../../../src/taxii/read-page.js';
import { versionKeyFromMicros } from '../../../src/stix/timestamp.js';

function rec(dateAdded: number): ObjectRecord {
  return {
    id: `x--${dateAdded}`,
    type: 'x',
    specVersion: '2.1',
    version: versionKeyFromMicros(dateAdded),
    dateAdded,
    isLatest: true,
    isFirst: true,
    tlp: 'none',
    revoked: false,
    json: '{}',
  };
}

describe('trimToMillisecond', () => {
  it('keeps a page that is not full', () => {
    expect(trimToMillisecond([rec(1000), rec(1001)], 5, false)).toEqual({
      records: [rec(1000), rec(1001)],
      more: false,
    });
  });

  it('keeps a full page whose next record starts a new millisecond', () => {
    const fetched = [rec(1000), rec(2000), rec(3000)];
    expect(trimToMillisecond(fetched, 2, true)).toEqual({
      records: [rec(1000), rec(2000)],
      more: true,
    });
  });

  it('drops the trailing records that share a millisecond with the next page', () => {
    const fetched = [rec(1000), rec(2000), rec(2001), rec(2002)];
    expect(trimToMillisecond(fetched, 3, true)).toEqual({ records: [rec(1000)], more: true });
  });

  it('keeps the page whole when one millisecond holds more than limit records', () => {
    const fetched = [rec(2000), rec(2001), rec(2002)];
    expect(trimToMillisecond(fetched, 2, true)).toEqual({
      records: [rec(2000), rec(2001)],
      more: true,
    });
  });
});

describe('buildListBody', () => {
  it('answers {} when empty and complete', () => {
    expect(buildListBody('objects', [], { more: false })).toBe('{}');
  });

  it('concatenates the items verbatim', () => {
    expect(buildListBody('objects', ['{"a":1}', '{"b":2}'], { more: true, next: 'n' })).toBe(
      '{"more":true,"next":"n","objects":[{"a":1},{"b":2}]}',
    );
  });
});
