// The sharing model (docs/sharing.md): partner groups, their policies, the
// registry of protected entities and the allow-list. Plain data, built and validated by
// src/config/sharing-config.ts; the engine only reads it.
import type { TlpLevel } from '../stix/tlp.js';

/** Precision kept for sighting/observation timestamps (R11). */
export type TimePrecision = 'second' | 'minute' | 'hour' | 'day' | 'month' | 'year';

export const TIME_PRECISIONS: readonly TimePrecision[] = [
  'second',
  'minute',
  'hour',
  'day',
  'month',
  'year',
];

export interface SharingPolicy {
  id: string;
  /** Increases with every change; part of the audit record and of the derived-bytes cache key. */
  revision: number;
  /** Highest TLP served (R2). RED is never served, so it is not a valid ceiling. */
  tlpCeiling: Exclude<TlpLevel, 'red'>;
  /** A new epoch rotates the group's pseudonyms (R4). */
  keyEpoch: number;
  /** Minimum number of registry constituents that must share a sector label (R3 G). */
  kAnonymity: number;
  /** `first_seen`/`last_seen`/`first_observed`/`last_observed` truncated to this (R11). */
  timePrecision: TimePrecision;
  /**
   * Ascending lower bounds for `count`/`number_observed` (R11): a value is replaced by the
   * greatest bound not above it. Always starts at 1 (0 stays 0).
   */
  countBuckets: number[];
  /** `x_*` properties kept (then still redacted by R6) (R8). */
  allowedCustomProperties: string[];
  /** Extension keys kept (`extension-definition--…` ids or legacy `x-…` names) (R8). */
  allowedExtensions: string[];
  /** Custom object types (`x-…`) served (R8). */
  allowedCustomTypes: string[];
  /** `external_references[].source_name` values kept (R9). */
  allowedExternalSources: string[];
  /** Object types never served to this audience. */
  withheldTypes: string[];
}

export interface PartnerGroup {
  id: string;
  name: string;
  /** Needed for AMBER+STRICT (R2). */
  singleOrganization: boolean;
  policyId: string;
}

/** One constituent (or anything else) whose identity must never reach a partner. */
export interface ProtectedEntity {
  /** Stable registry key (e.g. `acme-power`); pseudonym labels derive from it. */
  id: string;
  names: { fa: string[]; en: string[] };
  aliases: string[];
  /** Matched as whole words only. */
  acronyms: string[];
  persons: string[];
  domains: string[];
  emailDomains: string[];
  hostnames: string[];
  /** IPv4/IPv6 networks in CIDR notation. */
  cidrs: string[];
  asNumbers: number[];
  /** Redacted in text as digits, whatever their checksum or grouping. */
  nationalIds: string[];
  /** Redacted in text with or without trunk and international prefixes. */
  phones: string[];
  postalCodes: string[];
  /** A label of the sector ladder. */
  sector?: string;
  /** ISO 3166-1 alpha-2, lowercase or uppercase as in STIX `location.country`. */
  country?: string;
  region?: string;
  /** STIX identity ids that stand for this entity (so that its identity and its text share one label). */
  identityIds: string[];
}

export interface OwnIdentity {
  /** The CERT's own `identity--…` id: protected authors are re-attributed to it (R5). */
  id: string;
  name: string;
}

export interface ProtectedRegistry {
  revision: number;
  entities: ProtectedEntity[];
  /** Identities that may appear as they are (the CERT, vendors, threat-actor personas). Every other identity is protected. */
  allowedIdentities: string[];
  /** Terms that may appear as they are even though a protected term lies inside them (e.g. the CERT's own name). */
  allowedTerms: string[];
  /** Location objects that may appear as they are (e.g. attacker infrastructure countries); others are generalized. */
  allowedLocations: string[];
  ownIdentity: OwnIdentity;
  /** Sector ladder: label → its more general parent. A label without parent is a top. */
  sectorLadder: Record<string, string>;
  /** Where R7 maps protected values; DEFAULT_PSEUDONYM_SPACE when absent. */
  pseudonymSpace?: PseudonymSpace;
}

/**
 * R7's mapping space: one IPv4 and one IPv6 network, a domain suffix and a block of AS
 * numbers, all of which must be disjoint from every registry value (checkPseudonymSpace), so
 * that a mapped value is never itself protected and what is served never depends on the key.
 */
export interface PseudonymSpace {
  ipv4: string;
  ipv6: string;
  /** Mapped names are `<label>.<suffix>`. */
  domainSuffix: string;
  asFirst: number;
  asCount: number;
}

/** Documentation space: RFC 5737, RFC 3849, RFC 2606, RFC 5398. */
export const DEFAULT_PSEUDONYM_SPACE: PseudonymSpace = {
  ipv4: '192.0.2.0/24',
  ipv6: '2001:db8::/32',
  domainSuffix: 'example',
  asFirst: 64496,
  asCount: 16,
};

export interface SharingModel {
  groups: PartnerGroup[];
  policies: SharingPolicy[];
  registry: ProtectedRegistry;
  /** Absolute path of the master secret (read by the composition root, never by the engine). */
  masterKeyFile?: string;
}

export const DEFAULT_ALLOWED_EXTERNAL_SOURCES: readonly string[] = [
  'mitre-attack',
  'mitre-mobile-attack',
  'mitre-ics-attack',
  'capec',
  'cve',
  'cwe',
];

export const DEFAULT_COUNT_BUCKETS: readonly number[] = [1, 10, 100, 1000, 10000];

/** A policy with every optional rule at its documented default. */
export function makePolicy(
  partial: Partial<SharingPolicy> & Pick<SharingPolicy, 'id'>,
): SharingPolicy {
  return {
    revision: 1,
    tlpCeiling: 'green',
    keyEpoch: 1,
    kAnonymity: 5,
    timePrecision: 'day',
    countBuckets: [...DEFAULT_COUNT_BUCKETS],
    allowedCustomProperties: [],
    allowedExtensions: [],
    allowedCustomTypes: [],
    allowedExternalSources: [...DEFAULT_ALLOWED_EXTERNAL_SOURCES],
    withheldTypes: [],
    ...partial,
  };
}

/** An entity with every list empty, for builders and config parsing. */
export function makeEntity(
  partial: Partial<ProtectedEntity> & Pick<ProtectedEntity, 'id'>,
): ProtectedEntity {
  return {
    names: { fa: [], en: [] },
    aliases: [],
    acronyms: [],
    persons: [],
    domains: [],
    emailDomains: [],
    hostnames: [],
    cidrs: [],
    asNumbers: [],
    nationalIds: [],
    phones: [],
    postalCodes: [],
    identityIds: [],
    ...partial,
  };
}
