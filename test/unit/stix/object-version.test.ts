import { describe, it, expect } from 'vitest';
import { versionOf } from '../../../src/stix/object-version.js';

describe('versionOf', () => {
  it('prefers modified', () => {
    expect(versionOf({ created: '2020-01-01T00:00:00Z', modified: '2021-01-01T00:00:00Z' })).toBe(
      '2021-01-01T00:00:00.000000Z',
    );
  });

  it('falls back to created', () => {
    expect(versionOf({ created: '2020-01-01T00:00:00.5Z' })).toBe('2020-01-01T00:00:00.500000Z');
  });

  it('falls back to created when modified is not a timestamp', () => {
    expect(versionOf({ created: '2020-01-01T00:00:00Z', modified: 'yesterday' })).toBe(
      '2020-01-01T00:00:00.000000Z',
    );
  });

  it('keeps every microsecond of the far future', () => {
    expect(versionOf({ modified: '9999-12-31T23:59:59.999999Z' })).toBe(
      '9999-12-31T23:59:59.999999Z',
    );
    expect(versionOf({ modified: '3000-01-01T00:00:00.0000039Z' })).toBe(
      '3000-01-01T00:00:00.000003Z',
    );
  });

  it('answers null for unversioned objects', () => {
    expect(versionOf({ type: 'ipv4-addr', value: '198.51.100.1' })).toBeNull();
    expect(versionOf('x')).toBeNull();
  });
});
