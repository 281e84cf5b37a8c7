// The admin API's answers as the console reads them (snake_case, as the server sends them).

export interface Access {
  roles: string[];
  groups: string[];
}

export interface CollectionInfo {
  id: string;
  api_root: string;
  title: string;
  description?: string;
  alias?: string;
  read: Access;
  write: Access;
  validation: string;
  default_tlp: string;
  partner_title?: string;
  partner_description?: string;
  created: string;
  source: string;
}

export interface GroupInfo {
  id: string;
  name?: string;
  policy?: string;
  single_organization?: boolean;
  can_read: { api_root: string; id: string; title: string }[];
  can_write: { api_root: string; id: string; title: string }[];
}

export interface Change {
  rule: string;
  path: string;
  operator: string;
}

export type StixObject = Record<string, unknown> & { type?: string; id?: string };

export interface PreviewEntry {
  original_id: string;
  original: StixObject;
  derived_id?: string;
  derived?: StixObject;
  withheld?: string;
  changes: Change[];
}

export interface PreviewAnswer {
  group: string;
  collection: string;
  api_root: string;
  policy: { id: string; revision: number };
  registry_revision: number;
  more: boolean;
  last_date_added?: string;
  objects: PreviewEntry[];
}

export interface AuditRecordInfo {
  seq?: number;
  at: string;
  actor: string;
  role: string;
  groups: string[];
  action: string;
  api_root?: string;
  collection?: string;
  group?: string;
  policy_revision?: number;
  served?: unknown;
  rule_hits?: unknown;
  withheld?: unknown;
  details?: unknown;
}

export interface AuditAnswer {
  more: boolean;
  next?: string;
  records: AuditRecordInfo[];
}

export interface PolicyInfo {
  id: string;
  revision: number;
  tlpCeiling: string;
  keyEpoch: number;
  kAnonymity: number;
  timePrecision: string;
  countBuckets: number[];
  allowedCustomProperties: string[];
  allowedExtensions: string[];
  allowedCustomTypes: string[];
  allowedExternalSources: string[];
  withheldTypes: string[];
}

export interface EntityInfo {
  id: string;
  names: { fa: string[]; en: string[] };
  aliases: string[];
  acronyms: string[];
  persons: string[];
  domains: string[];
  emailDomains: string[];
  hostnames: string[];
  cidrs: string[];
  asNumbers: number[];
  sector?: string;
  country?: string;
  region?: string;
  identityIds: string[];
}

export interface SharingPolicyAnswer {
  running: {
    groups: { id: string; name: string; singleOrganization: boolean; policyId: string }[];
    policies: PolicyInfo[];
    registry: {
      revision: number;
      entities: EntityInfo[];
      allowedIdentities: string[];
      allowedTerms: string[];
      allowedLocations: string[];
      ownIdentity: { id: string; name: string };
      sectorLadder: Record<string, string>;
    };
  };
  /** The configuration file's sharing section checked now, as `stixgate policy check` does. */
  file: { checked: boolean; valid: boolean; errors: string[] };
}
