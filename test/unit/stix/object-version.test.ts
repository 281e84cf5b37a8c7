import { describe, it, expect } from 'vitest';
import { versionOf } from '../../../src/stix/object-version.js';
import { parseStixTimestamp } from '../../../src/stix/timestamp.js';

describe('versionOf', () => {
  it('prefers modified', () => {
    expect(versionOf({ created: '2020-01-01T00:00:00Z', modified: '2021-01-01T00:00:00Z' })).toBe(
      parseStixTimestamp('2021-01-01T00:00:00Z'),
    );
  });

  it('falls back to created', () => {
    expect(versionOf({ created: '2020-01-01T00:00:00.5Z' })).toBe(
      parseStixTimestamp('2020-01-01T00:00:00.500Z'),
    );
  });

  it('answers null for unversioned objects', () => {
    expect(versionOf({ type: 'ipv4-addr', value: '198.51.100.1' })).toBeNull();
    expect(versionOf('x')).toBeNull();
  });
});
