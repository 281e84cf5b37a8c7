import { describe, expect, it } from 'vitest';
import { makePolicy } from '../../../../src/sharing/policy.js';
import { pseudonymizeId } from '../../../../src/sharing/pseudonym.js';
import { bucketCount, truncateTimestamp } from '../../../../src/sharing/rules/r11-sightings.js';
import { KEY, KIAN_IDENTITY, run, servedOf } from '../support.js';
import {
  SEEDED_T0,
  seededIdentity,
  seededIndicator,
  seededSco,
  seededSighting,
} from '../../../support/builders.js';

describe('R11 sightings and observations', () => {
  it('pseudonymizes where_sighted_refs and keeps the indicator', () => {
    const victim = seededIdentity('v', { id: KIAN_IDENTITY, name: 'Kian Power' });
    const i = seededIndicator('i');
    const s = seededSighting('s', i.id, {
      where_sighted_refs: [KIAN_IDENTITY],
      count: 37,
      first_seen: '2026-03-02T14:11:09.123Z',
      last_seen: '2026-03-04T01:02:03Z',
    });
    const out = servedOf(run([victim, i, s]), s.id);
    expect(out.where_sighted_refs).toEqual([pseudonymizeId(KEY, KIAN_IDENTITY)]);
    expect(out.count).toBe(10);
    expect(out.first_seen).toBe('2026-03-02T00:00:00.000Z');
    expect(out.last_seen).toBe('2026-03-04T00:00:00.000Z');
    expect(out.sighting_of_ref).toBe(i.id);
  });

  it('buckets number_observed and truncates observation times of observed-data', () => {
    const ip = seededSco('ipv4-addr', 'ip', { value: '203.0.113.50' });
    const od = {
      type: 'observed-data',
      spec_version: '2.1',
      id: 'observed-data--6b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
      created: SEEDED_T0,
      modified: SEEDED_T0,
      first_observed: '2026-03-02T14:11:09.123Z',
      last_observed: '2026-03-02T18:00:00Z',
      number_observed: 4321,
      object_refs: [ip.id],
    };
    const out = servedOf(
      run([ip, od], {}, makePolicy({ id: 'p', tlpCeiling: 'amber', timePrecision: 'hour' })),
      od.id,
    );
    expect(out.number_observed).toBe(1000);
    expect(out.first_observed).toBe('2026-03-02T14:00:00.000Z');
    expect(out.last_observed).toBe('2026-03-02T18:00:00.000Z');
  });

  it('truncates to month and year', () => {
    expect(truncateTimestamp('2026-03-14T09:26:53.589Z', 'month')).toBe('2026-03-01T00:00:00.000Z');
    expect(truncateTimestamp('2026-03-14T09:26:53.589Z', 'year')).toBe('2026-01-01T00:00:00.000Z');
    expect(truncateTimestamp('not a time', 'day')).toBeUndefined();
  });

  it('buckets down to the greatest bound', () => {
    expect([0, 1, 9, 10, 99, 100, 123456].map((n) => bucketCount(n, [1, 10, 100]))).toEqual([
      0, 1, 1, 10, 10, 100, 100,
    ]);
  });
});
