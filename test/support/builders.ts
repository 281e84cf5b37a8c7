// Valid STIX 2.1 objects for tests. Every builder returns a fresh id unless one is given.
import { randomUUID } from 'node:crypto';

export type StixObject = Record<string, unknown> & { type: string; id: string };

export const T0 = '2026-01-01T00:00:00.000Z';

function sdoBase(type: string, overrides: Record<string, unknown>): StixObject {
  const created = (overrides.created as string | undefined) ?? T0;
  return {
    type,
    spec_version: '2.1',
    id: `${type}--${randomUUID()}`,
    created,
    modified: (overrides.modified as string | undefined) ?? created,
    ...overrides,
  } as StixObject;
}

export function makeIndicator(overrides: Record<string, unknown> = {}): StixObject {
  return sdoBase('indicator', {
    name: 'C2 address',
    pattern: "[ipv4-addr:value = '198.51.100.7']",
    pattern_type: 'stix',
    valid_from: T0,
    indicator_types: ['malicious-activity'],
    ...overrides,
  });
}

export function makeMalware(overrides: Record<string, unknown> = {}): StixObject {
  return sdoBase('malware', {
    name: 'Poison Ivy',
    is_family: true,
    malware_types: ['remote-access-trojan'],
    ...overrides,
  });
}

export function makeIdentity(overrides: Record<string, unknown> = {}): StixObject {
  return sdoBase('identity', { name: 'ACME Corp', identity_class: 'organization', ...overrides });
}

export function makeRelationship(
  source: StixObject,
  target: StixObject,
  overrides: Record<string, unknown> = {},
): StixObject {
  return sdoBase('relationship', {
    relationship_type: 'indicates',
    source_ref: source.id,
    target_ref: target.id,
    ...overrides,
  });
}

/** An SCO: no created/modified, so it is versioned by date_added. */
export function makeIpv4(value = '198.51.100.7'): StixObject {
  return { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${randomUUID()}`, value };
}

/** A new version of `obj` with a later `modified`. */
export function nextVersion(
  obj: StixObject,
  modified: string,
  changes: Record<string, unknown> = {},
): StixObject {
  return { ...obj, ...changes, modified };
}

export function makeEnvelope(...objects: unknown[]): { objects: unknown[] } {
  return { objects };
}

/** ISO timestamp `ms` milliseconds after T0 (distinct versions for version tests). */
export function at(ms: number): string {
  return new Date(Date.parse(T0) + ms).toISOString();
}
