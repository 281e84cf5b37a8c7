import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSharingConfig } from '../../../src/config/sharing-config.js';
import { ConfigError } from '../../../src/errors.js';

const YAML = `
master_key_file: secrets/sharing.key
own_identity:
  id: identity--0b3c1d5e-7f2a-4c8b-9d0e-1f2a3b4c5d6e
  name: Example National CERT
policies:
  - id: isac
    revision: 3
    tlp_ceiling: amber
    key_epoch: 2
    time_precision: hour
    count_buckets: [1, 10, 100]
    allowed_external_sources: [mitre-attack, cve]
    withheld_types: [opinion]
groups:
  - id: energy-isac
    name: Energy ISAC
    policy: isac
  - id: vendor-a
    name: Vendor A
    single_organization: true
    policy: isac
registry:
  revision: 7
  allowed_identities: [identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5]
  sector_ladder:
    electric-utility: energy
    energy: critical-infrastructure
  entities:
    - id: kian-power
      names: { en: [Kian Power Company], fa: [شرکت برق کیان] }
      acronyms: [KPC]
      domains: [kianpower.ir]
      cidrs: [10.20.0.0/16, '2a01:5ec0:1000::/36']
      as_numbers: [204567]
      sector: electric-utility
      country: IR
      identity_ids: [identity--5a0e8c1f-2b3d-4e5f-8a9b-0c1d2e3f4a5b]
`;

function parseWith(mutate: (raw: Record<string, unknown>) => void): unknown {
  const raw = parse(YAML) as Record<string, unknown>;
  mutate(raw);
  return raw;
}

function errorOf(raw: unknown): ConfigError {
  try {
    parseSharingConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const policies = (raw: Record<string, unknown>) => raw.policies as Record<string, unknown>[];
const entities = (raw: Record<string, unknown>) =>
  (raw.registry as Record<string, unknown>).entities as Record<string, unknown>[];

describe('sharing configuration', () => {
  it('parses groups, policies, registry and key file', () => {
    const model = parseSharingConfig(parse(YAML), (p) => `/etc/stixgate/${p}`);
    expect(model.masterKeyFile).toBe('/etc/stixgate/secrets/sharing.key');
    expect(model.groups).toEqual([
      { id: 'energy-isac', name: 'Energy ISAC', singleOrganization: false, policyId: 'isac' },
      { id: 'vendor-a', name: 'Vendor A', singleOrganization: true, policyId: 'isac' },
    ]);
    expect(model.policies[0]).toMatchObject({
      id: 'isac',
      revision: 3,
      tlpCeiling: 'amber',
      keyEpoch: 2,
      kAnonymity: 5,
      timePrecision: 'hour',
      countBuckets: [1, 10, 100],
      withheldTypes: ['opinion'],
    });
    expect(model.registry.entities[0]).toMatchObject({
      id: 'kian-power',
      acronyms: ['KPC'],
      asNumbers: [204567],
      sector: 'electric-utility',
    });
    expect(model.registry.ownIdentity.name).toBe('Example National CERT');
  });

  it('yields no groups when the section is absent', () => {
    expect(parseSharingConfig(undefined).groups).toEqual([]);
  });

  it('refuses a registry network inside the pseudonym space', () => {
    const error = errorOf(parseWith((r) => (entities(r)[0]!.cidrs = ['192.0.2.128/25'])));
    expect(error.key).toBe('sharing.registry.pseudonym_space');
  });

  it('refuses a configured pseudonym network that overlaps a registry network', () => {
    const error = errorOf(
      parseWith((r) => {
        (r.registry as Record<string, unknown>).pseudonym_space = { ipv4: '10.0.0.0/8' };
        entities(r)[0]!.cidrs = ['10.20.0.0/16'];
      }),
    );
    expect(error.key).toBe('sharing.registry.pseudonym_space');
  });

  it('refuses TLP:RED as a ceiling', () => {
    expect(errorOf(parseWith((r) => (policies(r)[0]!.tlp_ceiling = 'red'))).key).toBe(
      'sharing.policies[0].tlp_ceiling',
    );
  });

  it('names an unknown key', () => {
    expect(errorOf(parseWith((r) => (policies(r)[0]!.tlp = 'amber'))).key).toBe(
      'sharing.policies[0].tlp',
    );
  });

  it('refuses a group whose policy does not exist', () => {
    const e = errorOf(
      parseWith((r) => ((r.groups as Record<string, unknown>[])[1]!.policy = 'nope')),
    );
    expect(e.key).toBe('sharing.groups[1].policy');
  });

  it('refuses duplicate group ids', () => {
    const e = errorOf(
      parseWith((r) => ((r.groups as Record<string, unknown>[])[1]!.id = 'energy-isac')),
    );
    expect(e.key).toBe('sharing.groups[1].id');
  });

  it('requires the master key file and own identity once groups exist', () => {
    expect(errorOf(parseWith((r) => delete r.master_key_file)).key).toBe('sharing.master_key_file');
    expect(errorOf(parseWith((r) => delete r.own_identity)).key).toBe('sharing.own_identity');
  });

  it('refuses a malformed CIDR, domain or identity id', () => {
    expect(errorOf(parseWith((r) => (entities(r)[0]!.cidrs = ['10.20.0.0/40']))).key).toBe(
      'sharing.registry.entities[0].cidrs[0]',
    );
    expect(errorOf(parseWith((r) => (entities(r)[0]!.domains = ['not a domain']))).key).toBe(
      'sharing.registry.entities[0].domains[0]',
    );
    expect(errorOf(parseWith((r) => (entities(r)[0]!.identity_ids = ['identity--nope']))).key).toBe(
      'sharing.registry.entities[0].identity_ids[0]',
    );
  });

  it('refuses a sector that is not on the ladder, and a ladder that loops', () => {
    expect(errorOf(parseWith((r) => (entities(r)[0]!.sector = 'mining'))).key).toBe(
      'sharing.registry.entities[0].sector',
    );
    const e = errorOf(
      parseWith(
        (r) => ((r.registry as Record<string, unknown>).sector_ladder = { a: 'b', b: 'a' }),
      ),
    );
    expect(e.key).toBe('sharing.registry.sector_ladder.a');
  });

  it('refuses count buckets that do not start at 1 or do not increase', () => {
    expect(errorOf(parseWith((r) => (policies(r)[0]!.count_buckets = [5, 10]))).key).toBe(
      'sharing.policies[0].count_buckets[0]',
    );
    expect(errorOf(parseWith((r) => (policies(r)[0]!.count_buckets = [1, 10, 10]))).key).toBe(
      'sharing.policies[0].count_buckets[2]',
    );
  });

  it('refuses an identity that is both protected and allowed', () => {
    const e = errorOf(
      parseWith(
        (r) =>
          ((r.registry as Record<string, unknown>).allowed_identities = [
            'identity--5a0e8c1f-2b3d-4e5f-8a9b-0c1d2e3f4a5b',
          ]),
      ),
    );
    expect(e.key).toBe('sharing.registry.entities[0].identity_ids[0]');
  });

  it('refuses an entity that names nothing to protect', () => {
    expect(errorOf(parseWith((r) => entities(r).push({ id: 'empty' }))).key).toBe(
      'sharing.registry.entities[1]',
    );
  });

  it('refuses a registry term too short to match safely', () => {
    const e = errorOf(parseWith((r) => (entities(r)[0]!.acronyms = ['K'])));
    expect(e.key).toBe('sharing.registry.entities[0]');
  });
});
