// One valid and one invalid case per STIX 2.1 object type.
import { describe, it, expect } from 'vitest';
import { SCO_TYPES, SDO_TYPES, SRO_TYPES, META_TYPES } from '../../../src/stix/object-types.js';
import { BUILDERS, idOf } from '../../support/builders.js';
import { errorCodes, strict } from './support.js';

/** For each type: a change that makes its minimal object invalid, and the expected code. */
const INVALID: Readonly<Record<string, [string, Record<string, unknown>, string]>> = {
  'attack-pattern': ['without a name', { name: undefined }, 'required-property-missing'],
  campaign: [
    'with last_seen before first_seen',
    { first_seen: '2024-02-01T00:00:00Z', last_seen: '2024-01-01T00:00:00Z' },
    'last-seen-before-first-seen',
  ],
  'course-of-action': [
    'with the reserved action property',
    { action: 'block' },
    'property-not-allowed',
  ],
  grouping: ['with empty object_refs', { object_refs: [] }, 'list-empty'],
  identity: ['with a non-string identity_class', { identity_class: 3 }, 'property-type'],
  incident: ['without a name', { name: undefined }, 'required-property-missing'],
  indicator: ['without valid_from', { valid_from: undefined }, 'required-property-missing'],
  infrastructure: [
    'with last_seen before first_seen',
    { first_seen: '2024-02-01T00:00:00Z', last_seen: '2024-01-01T00:00:00Z' },
    'last-seen-before-first-seen',
  ],
  'intrusion-set': ['with empty aliases', { aliases: [] }, 'list-empty'],
  location: [
    'with neither region, country nor coordinates',
    { country: undefined, city: 'Tehran' },
    'location-empty',
  ],
  malware: ['without is_family', { is_family: undefined }, 'required-property-missing'],
  'malware-analysis': [
    'with neither result nor analysis_sco_refs',
    { result: undefined },
    'alternative-missing',
  ],
  note: ['without content', { content: undefined }, 'required-property-missing'],
  'observed-data': ['with number_observed 0', { number_observed: 0 }, 'value-out-of-range'],
  opinion: ['with an opinion outside the closed enum', { opinion: 'maybe' }, 'enum-value'],
  report: ['with empty object_refs', { object_refs: [] }, 'list-empty'],
  'threat-actor': ['without a name', { name: undefined }, 'required-property-missing'],
  tool: [
    'with an empty kill_chain_phases entry',
    { kill_chain_phases: [{ kill_chain_name: 'mitre-attack' }] },
    'required-property-missing',
  ],
  vulnerability: [
    'with a malformed CVE external_id',
    { external_references: [{ source_name: 'cve', external_id: 'CVE-21-1' }] },
    'pattern-mismatch',
  ],
  relationship: [
    'with a malformed relationship_type',
    { relationship_type: 'Indicates Strongly' },
    'pattern-mismatch',
  ],
  sighting: ['with a count above 999999999', { count: 1_000_000_000 }, 'value-out-of-range'],
  'language-content': ['with a lang property', { lang: 'en' }, 'property-not-allowed'],
  'marking-definition': [
    'with a modified timestamp',
    { modified: '2024-03-02T10:00:00.000Z' },
    'property-not-allowed',
  ],
  'extension-definition': [
    'with an extension_types value outside the enum',
    { extension_types: ['new-thing'] },
    'enum-value',
  ],
  artifact: [
    'with both payload_bin and url',
    { url: 'https://example.com/a.bin', hashes: { MD5: 'd41d8cd98f00b204e9800998ecf8427e' } },
    'exclusive-properties',
  ],
  'autonomous-system': ['with a negative number', { number: -1 }, 'value-out-of-range'],
  directory: ['without a path', { path: undefined }, 'required-property-missing'],
  'domain-name': ['resolving to a URL', { resolves_to_refs: [idOf('url')] }, 'ref-type-mismatch'],
  'email-addr': [
    'with a value that is not an address',
    { value: 'not an address' },
    'pattern-mismatch',
  ],
  'email-message': [
    'with body_multipart while not multipart',
    { body: undefined, body_multipart: [{ body: 'x' }] },
    'property-not-allowed',
  ],
  file: [
    'with neither hashes nor name',
    { name: undefined, hashes: undefined, size: 10 },
    'alternative-missing',
  ],
  'ipv4-addr': ['with an IPv6 value', { value: '2001:db8::1' }, 'ipv4-addr-value-invalid'],
  'ipv6-addr': ['with an IPv4 value', { value: '198.51.100.7' }, 'ipv6-addr-value-invalid'],
  'mac-addr': ['with an uppercase value', { value: '00:00:5E:00:53:01' }, 'pattern-mismatch'],
  mutex: ['without a name', { name: undefined }, 'required-property-missing'],
  'network-traffic': [
    'with neither src_ref nor dst_ref',
    { src_ref: undefined },
    'alternative-missing',
  ],
  process: [
    'with no property of its own',
    { pid: undefined, command_line: undefined },
    'sco-empty',
  ],
  software: [
    'with a language that is not ISO 639-2',
    { languages: ['english'] },
    'pattern-mismatch',
  ],
  url: ['without a value', { value: undefined }, 'required-property-missing'],
  'user-account': ['with no property of its own', { account_login: undefined }, 'sco-empty'],
  'windows-registry-key': [
    'with a data_type outside the enum',
    { values: [{ name: 'run', data_type: 'REG_TEXT' }] },
    'enum-value',
  ],
  'x509-certificate': [
    'with an invalid validity timestamp',
    { validity_not_before: '2024-01-01 00:00:00' },
    'timestamp-invalid',
  ],
};

describe('every STIX 2.1 type', () => {
  it('has a builder and an invalid case for each of the 19 SDOs, 2 SROs, 18 SCOs and 3 meta objects', () => {
    const all = [...SDO_TYPES, ...SRO_TYPES, ...SCO_TYPES, ...META_TYPES].sort();
    expect(all).toHaveLength(42);
    expect(Object.keys(BUILDERS).sort()).toEqual(all);
    expect(Object.keys(INVALID).sort()).toEqual(all);
  });

  for (const [type, build] of Object.entries(BUILDERS)) {
    it(`accepts a minimal valid ${type} in strict mode`, () => {
      expect(strict(build())).toEqual({ ok: true });
    });

    const [what, change, code] = INVALID[type] as [string, Record<string, unknown>, string];
    it(`rejects a ${type} ${what} with ${code}`, () => {
      expect(errorCodes(strict(build(change)))).toContain(code);
    });
  }
});
