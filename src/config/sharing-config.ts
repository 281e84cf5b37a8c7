// The `sharing` section of the configuration (docs/sharing.md): partner
// groups, their policies, the registry of protected entities with its allow-lists and sector
// ladder, the CERT's own identity and the master key file. Everything lives inline in the
// main configuration file, so that one file, one parse and one revision describe what every
// partner sees (a reload re-reads that file as a whole). Every failure names its key.
import { ConfigError } from '../errors.js';
import {
  DEFAULT_ALLOWED_EXTERNAL_SOURCES,
  DEFAULT_COUNT_BUCKETS,
  DEFAULT_PSEUDONYM_SPACE,
  TIME_PRECISIONS,
  type PartnerGroup,
  type ProtectedEntity,
  type ProtectedRegistry,
  type PseudonymSpace,
  type SharingModel,
  type SharingPolicy,
  type TimePrecision,
} from '../sharing/policy.js';
import { checkPseudonymSpace, normalizeDomain, parseNetwork } from '../sharing/registry-index.js';
import { createRegistryScanner } from '../sharing/toolkit.js';
import {
  checkInteger,
  readArray,
  readBoolean,
  readInteger,
  readObject,
  readString,
  readStringList,
  requireString,
  type RawObject,
} from './reader.js';

export type SharingConfig = SharingModel;

const TOP = ['master_key_file', 'own_identity', 'policies', 'groups', 'registry'];
const POLICY_KEYS = [
  'id',
  'revision',
  'tlp_ceiling',
  'key_epoch',
  'k_anonymity',
  'time_precision',
  'count_buckets',
  'allowed_custom_properties',
  'allowed_extensions',
  'allowed_custom_types',
  'allowed_external_sources',
  'withheld_types',
];
const GROUP_KEYS = ['id', 'name', 'single_organization', 'policy'];
const REGISTRY_KEYS = [
  'revision',
  'allowed_identities',
  'allowed_locations',
  'allowed_terms',
  'sector_ladder',
  'entities',
  'pseudonym_space',
];
const ENTITY_KEYS = [
  'id',
  'names',
  'aliases',
  'acronyms',
  'persons',
  'domains',
  'email_domains',
  'hostnames',
  'cidrs',
  'as_numbers',
  'national_ids',
  'phones',
  'postal_codes',
  'sector',
  'country',
  'region',
  'identity_ids',
];

const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const IDENTITY_ID = new RegExp(`^identity--${UUID}$`);
const LOCATION_ID = new RegExp(`^location--${UUID}$`);
const EXTENSION_KEY = new RegExp(`^(extension-definition--${UUID}|x-[a-z0-9-]+)$`);
const CUSTOM_TYPE = /^x-[a-z0-9-]{1,248}$/;
const PROPERTY = /^[a-z0-9_]{3,250}$/;
const COUNTRY = /^[A-Za-z]{2}$/;
const CEILINGS = ['clear', 'green', 'amber', 'amber+strict'] as const;

/**
 * Parses the raw `sharing` mapping. An absent section yields a model with no groups: partners
 * then have no audience and are served nothing. `resolvePath` makes file paths absolute
 * relative to the configuration file.
 */
export function parseSharingConfig(
  raw: unknown,
  resolvePath: (p: string) => string = (p) => p,
): SharingConfig {
  const obj = readObject(raw, 'sharing', TOP);
  const policies = parsePolicies(obj);
  const groups = parseGroups(obj, policies);
  const registry = parseRegistry(obj.registry, obj.own_identity);
  const model: SharingConfig = { groups, policies, registry };
  // A term the scanner cannot match safely (too short) would protect nothing: refuse it.
  const scanner = createRegistryScanner(registry);
  const rejected = scanner.rejected[0];
  if (rejected !== undefined) {
    const i = registry.entities.findIndex((e) => e.id === rejected.entityId);
    throw new ConfigError(
      `sharing.registry.entities[${i}]`,
      `a ${rejected.source} cannot be matched safely: ${rejected.reason}`,
    );
  }
  const keyFile = readString(obj, 'sharing', 'master_key_file');
  if (keyFile !== undefined) model.masterKeyFile = resolvePath(keyFile);
  if (groups.length > 0 && (obj.own_identity === undefined || obj.own_identity === null)) {
    // R5 re-attributes protected authors to it: there must be one.
    throw new ConfigError('sharing.own_identity', 'is required when partner groups are configured');
  }
  if (groups.length > 0 && model.masterKeyFile === undefined) {
    throw new ConfigError(
      'sharing.master_key_file',
      'is required when partner groups are configured',
    );
  }
  return model;
}

function list(obj: RawObject, parent: string, name: string, pattern?: RegExp): string[] {
  return readStringList(obj, parent, name, pattern) ?? [];
}

function uniqueIds<T extends { id: string }>(items: T[], key: string): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) throw new ConfigError(`${key}[${i}].id`, `duplicate id "${item.id}"`);
    seen.add(item.id);
  });
}

function parsePolicies(obj: RawObject): SharingPolicy[] {
  const items = readArray(obj, 'sharing', 'policies') ?? [];
  const policies = items.map((item, i) => {
    const key = `sharing.policies[${i}]`;
    const p = readObject(item, key, POLICY_KEYS);
    const ceiling = requireString(p, key, 'tlp_ceiling');
    if (ceiling === 'red')
      throw new ConfigError(
        `${key}.tlp_ceiling`,
        'TLP:RED is never shared; use amber+strict at most',
      );
    if (!(CEILINGS as readonly string[]).includes(ceiling)) {
      throw new ConfigError(`${key}.tlp_ceiling`, `must be one of ${CEILINGS.join(', ')}`);
    }
    const precision = readString(p, key, 'time_precision') ?? 'day';
    if (!(TIME_PRECISIONS as readonly string[]).includes(precision)) {
      throw new ConfigError(
        `${key}.time_precision`,
        `must be one of ${TIME_PRECISIONS.join(', ')}`,
      );
    }
    const policy: SharingPolicy = {
      id: requireString(p, key, 'id', {
        pattern: SLUG,
        patternHint: 'must be a short identifier (letters, digits, . _ -)',
      }),
      revision:
        readInteger(p, key, 'revision', { min: 1 }) ?? raise(`${key}.revision`, 'is required'),
      tlpCeiling: ceiling as SharingPolicy['tlpCeiling'],
      keyEpoch: readInteger(p, key, 'key_epoch', { min: 1 }) ?? 1,
      kAnonymity: readInteger(p, key, 'k_anonymity', { min: 1, max: 100_000 }) ?? 5,
      timePrecision: precision as TimePrecision,
      countBuckets: parseBuckets(p, key),
      allowedCustomProperties: list(p, key, 'allowed_custom_properties', PROPERTY),
      allowedExtensions: list(p, key, 'allowed_extensions', EXTENSION_KEY),
      allowedCustomTypes: list(p, key, 'allowed_custom_types', CUSTOM_TYPE),
      allowedExternalSources: readStringList(p, key, 'allowed_external_sources') ?? [
        ...DEFAULT_ALLOWED_EXTERNAL_SOURCES,
      ],
      withheldTypes: list(p, key, 'withheld_types', /^[a-z0-9-]{3,250}$/),
    };
    return policy;
  });
  uniqueIds(policies, 'sharing.policies');
  return policies;
}

function parseBuckets(p: RawObject, key: string): number[] {
  const raw = readArray(p, key, 'count_buckets');
  if (raw === undefined) return [...DEFAULT_COUNT_BUCKETS];
  if (raw.length === 0) throw new ConfigError(`${key}.count_buckets`, 'must not be empty');
  const buckets = raw.map((v, i) =>
    checkInteger(v, `${key}.count_buckets[${i}]`, { min: 1, max: 999_999_999 }),
  );
  buckets.forEach((b, i) => {
    if (i > 0 && b <= buckets[i - 1]!)
      throw new ConfigError(
        `${key}.count_buckets[${i}]`,
        'must be greater than the previous bound',
      );
  });
  if (buckets[0] !== 1)
    throw new ConfigError(
      `${key}.count_buckets[0]`,
      'must be 1 (every positive count falls in a bucket)',
    );
  return buckets;
}

function parseGroups(obj: RawObject, policies: SharingPolicy[]): PartnerGroup[] {
  const items = readArray(obj, 'sharing', 'groups') ?? [];
  const groups = items.map((item, i) => {
    const key = `sharing.groups[${i}]`;
    const g = readObject(item, key, GROUP_KEYS);
    const policyId = requireString(g, key, 'policy');
    if (!policies.some((p) => p.id === policyId))
      throw new ConfigError(`${key}.policy`, `no policy with id "${policyId}"`);
    return {
      id: requireString(g, key, 'id', {
        pattern: SLUG,
        patternHint: 'must be a group name as in token claims (letters, digits, . _ -)',
      }),
      name: requireString(g, key, 'name'),
      singleOrganization: readBoolean(g, key, 'single_organization') ?? false,
      policyId,
    };
  });
  uniqueIds(groups, 'sharing.groups');
  return groups;
}

function parsePseudonymSpace(raw: unknown, key: string): PseudonymSpace | undefined {
  if (raw === undefined) return undefined;
  const s = readObject(raw, key, ['ipv4', 'ipv6', 'domain_suffix', 'as_first', 'as_count']);
  return {
    ipv4: readString(s, key, 'ipv4') ?? DEFAULT_PSEUDONYM_SPACE.ipv4,
    ipv6: readString(s, key, 'ipv6') ?? DEFAULT_PSEUDONYM_SPACE.ipv6,
    domainSuffix: readString(s, key, 'domain_suffix') ?? DEFAULT_PSEUDONYM_SPACE.domainSuffix,
    asFirst: readInteger(s, key, 'as_first', { min: 1 }) ?? DEFAULT_PSEUDONYM_SPACE.asFirst,
    asCount: readInteger(s, key, 'as_count', { min: 1 }) ?? DEFAULT_PSEUDONYM_SPACE.asCount,
  };
}

function parseRegistry(raw: unknown, ownRaw: unknown): ProtectedRegistry {
  const key = 'sharing.registry';
  const r = readObject(raw, key, REGISTRY_KEYS);
  const own = readObject(ownRaw, 'sharing.own_identity', ['id', 'name']);
  if (ownRaw !== undefined && ownRaw !== null && own.id === undefined)
    throw new ConfigError('sharing.own_identity.id', 'is required');
  const ladder = parseLadder(r.sector_ladder);
  const entities = (readArray(r, key, 'entities') ?? []).map((item, i) =>
    parseEntity(item, `${key}.entities[${i}]`, ladder),
  );
  uniqueIds(entities, `${key}.entities`);
  const registry: ProtectedRegistry = {
    revision: readInteger(r, key, 'revision', { min: 0 }) ?? 0,
    entities,
    allowedIdentities: list(r, key, 'allowed_identities', IDENTITY_ID),
    allowedLocations: list(r, key, 'allowed_locations', LOCATION_ID),
    allowedTerms: list(r, key, 'allowed_terms'),
    ownIdentity: {
      id:
        readString(own, 'sharing.own_identity', 'id', {
          pattern: IDENTITY_ID,
          patternHint: 'must be an identity id',
        }) ?? 'identity--00000000-0000-4000-8000-000000000000',
      name: readString(own, 'sharing.own_identity', 'name') ?? 'CERT',
    },
    sectorLadder: ladder,
  };
  const space = parsePseudonymSpace(r.pseudonym_space, `${key}.pseudonym_space`);
  if (space !== undefined) registry.pseudonymSpace = space;
  const clash = checkPseudonymSpace(registry);
  if (clash.length > 0) throw new ConfigError(`${key}.pseudonym_space`, clash.join('; '));
  entities.forEach((entity, i) => {
    entity.identityIds.forEach((id, j) => {
      if (registry.allowedIdentities.includes(id) || id === registry.ownIdentity.id) {
        throw new ConfigError(
          `${key}.entities[${i}].identity_ids[${j}]`,
          'a protected identity cannot also be allowed',
        );
      }
    });
  });
  return registry;
}

function parseLadder(raw: unknown): Record<string, string> {
  const key = 'sharing.registry.sector_ladder';
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(key, 'must be a mapping of sector → more general sector');
  const ladder: Record<string, string> = {};
  for (const [child, parent] of Object.entries(raw as RawObject)) {
    if (typeof parent !== 'string' || parent === '')
      throw new ConfigError(`${key}.${child}`, 'must be a sector label');
    ladder[child] = parent;
  }
  for (const start of Object.keys(ladder)) {
    const seen = new Set<string>();
    for (let label: string | undefined = start; label !== undefined; label = ladder[label]) {
      if (seen.has(label)) throw new ConfigError(`${key}.${start}`, 'the ladder loops');
      seen.add(label);
    }
  }
  return ladder;
}

function parseEntity(item: unknown, key: string, ladder: Record<string, string>): ProtectedEntity {
  const e = readObject(item, key, ENTITY_KEYS);
  const names = readObject(e.names, `${key}.names`, ['fa', 'en']);
  const entity: ProtectedEntity = {
    id: requireString(e, key, 'id', {
      pattern: SLUG,
      patternHint: 'must be a short identifier (letters, digits, . _ -)',
    }),
    names: { fa: list(names, `${key}.names`, 'fa'), en: list(names, `${key}.names`, 'en') },
    aliases: list(e, key, 'aliases'),
    acronyms: list(e, key, 'acronyms'),
    persons: list(e, key, 'persons'),
    domains: list(e, key, 'domains'),
    emailDomains: list(e, key, 'email_domains'),
    hostnames: list(e, key, 'hostnames'),
    cidrs: list(e, key, 'cidrs'),
    asNumbers: (readArray(e, key, 'as_numbers') ?? []).map((v, i) =>
      checkInteger(v, `${key}.as_numbers[${i}]`, { min: 0, max: 4_294_967_295 }),
    ),
    nationalIds: list(e, key, 'national_ids'),
    phones: list(e, key, 'phones'),
    postalCodes: list(e, key, 'postal_codes'),
    identityIds: list(e, key, 'identity_ids', IDENTITY_ID),
  };
  for (const field of ['domains', 'email_domains', 'hostnames'] as const) {
    const values =
      field === 'domains'
        ? entity.domains
        : field === 'email_domains'
          ? entity.emailDomains
          : entity.hostnames;
    values.forEach((d, i) => {
      if (normalizeDomain(d) === undefined || !d.includes('.'))
        throw new ConfigError(`${key}.${field}[${i}]`, 'must be a domain name');
    });
  }
  entity.cidrs.forEach((c, i) => {
    if (parseNetwork(c) === undefined)
      throw new ConfigError(`${key}.cidrs[${i}]`, 'must be an IPv4 or IPv6 address or CIDR');
  });
  const termCount =
    entity.names.fa.length +
    entity.names.en.length +
    entity.aliases.length +
    entity.acronyms.length +
    entity.persons.length +
    entity.domains.length +
    entity.emailDomains.length +
    entity.hostnames.length +
    entity.cidrs.length +
    entity.asNumbers.length +
    entity.nationalIds.length +
    entity.phones.length +
    entity.postalCodes.length +
    entity.identityIds.length;
  if (termCount === 0) throw new ConfigError(key, 'names nothing to protect');
  const sector = readString(e, key, 'sector');
  if (sector !== undefined) {
    if (!Object.hasOwn(ladder, sector) && !Object.values(ladder).includes(sector)) {
      throw new ConfigError(
        `${key}.sector`,
        `"${sector}" is not on sharing.registry.sector_ladder`,
      );
    }
    entity.sector = sector;
  }
  const country = readString(e, key, 'country', {
    pattern: COUNTRY,
    patternHint: 'must be an ISO 3166-1 alpha-2 code',
  });
  if (country !== undefined) entity.country = country;
  const region = readString(e, key, 'region');
  if (region !== undefined) entity.region = region;
  return entity;
}

function raise(key: string, reason: string): never {
  throw new ConfigError(key, reason);
}
