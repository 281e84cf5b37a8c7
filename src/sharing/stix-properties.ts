// The properties STIX 2.1 defines per object type (§4–§7), so that anything else at the top
// level is treated as custom content (R8: dropped unless allow-listed). Also which references
// are required (R10) and which types are SCOs.

const COMMON_SDO = [
  'type', 'spec_version', 'id', 'created_by_ref', 'created', 'modified', 'revoked', 'labels',
  'confidence', 'lang', 'external_references', 'object_marking_refs', 'granular_markings', 'extensions',
];
const COMMON_SCO = ['type', 'spec_version', 'id', 'object_marking_refs', 'granular_markings', 'defanged', 'extensions'];

const SDO: Record<string, string[]> = {
  'attack-pattern': ['name', 'description', 'aliases', 'kill_chain_phases'],
  campaign: ['name', 'description', 'aliases', 'first_seen', 'last_seen', 'objective'],
  'course-of-action': ['name', 'description', 'action_type', 'os_execution_envs', 'action_bin', 'action_reference'],
  grouping: ['name', 'description', 'context', 'object_refs'],
  identity: ['name', 'description', 'roles', 'identity_class', 'sectors', 'contact_information'],
  incident: ['name', 'description', 'kill_chain_phases'],
  indicator: ['name', 'description', 'indicator_types', 'pattern', 'pattern_type', 'pattern_version', 'valid_from', 'valid_until', 'kill_chain_phases'],
  infrastructure: ['name', 'description', 'infrastructure_types', 'aliases', 'kill_chain_phases', 'first_seen', 'last_seen'],
  'intrusion-set': ['name', 'description', 'aliases', 'first_seen', 'last_seen', 'goals', 'resource_level', 'primary_motivation', 'secondary_motivations'],
  location: ['name', 'description', 'latitude', 'longitude', 'precision', 'region', 'country', 'administrative_area', 'city', 'street_address', 'postal_code'],
  malware: ['name', 'description', 'malware_types', 'is_family', 'aliases', 'kill_chain_phases', 'first_seen', 'last_seen', 'operating_system_refs', 'architecture_execution_envs', 'implementation_languages', 'capabilities', 'sample_refs'],
  'malware-analysis': ['product', 'version', 'host_vm_ref', 'operating_system_ref', 'installed_software_refs', 'configuration_version', 'modules', 'analysis_engine_version', 'analysis_definition_version', 'submitted', 'analysis_started', 'analysis_ended', 'result_name', 'result', 'analysis_sco_refs', 'sample_ref'],
  note: ['abstract', 'content', 'authors', 'object_refs'],
  'observed-data': ['first_observed', 'last_observed', 'number_observed', 'objects', 'object_refs'],
  opinion: ['explanation', 'authors', 'opinion', 'object_refs'],
  report: ['name', 'description', 'report_types', 'published', 'object_refs'],
  'threat-actor': ['name', 'description', 'threat_actor_types', 'aliases', 'first_seen', 'last_seen', 'roles', 'goals', 'sophistication', 'resource_level', 'primary_motivation', 'secondary_motivations', 'personal_motivations'],
  tool: ['name', 'description', 'tool_types', 'aliases', 'kill_chain_phases', 'tool_version'],
  vulnerability: ['name', 'description'],
  relationship: ['relationship_type', 'description', 'source_ref', 'target_ref', 'start_time', 'stop_time'],
  sighting: ['description', 'first_seen', 'last_seen', 'count', 'sighting_of_ref', 'observed_data_refs', 'where_sighted_refs', 'summary'],
};

const SCO: Record<string, string[]> = {
  artifact: ['mime_type', 'payload_bin', 'url', 'hashes', 'encryption_algorithm', 'decryption_key'],
  'autonomous-system': ['number', 'name', 'rir'],
  directory: ['path', 'path_enc', 'ctime', 'mtime', 'atime', 'contains_refs'],
  'domain-name': ['value', 'resolves_to_refs'],
  'email-addr': ['value', 'display_name', 'belongs_to_ref'],
  'email-message': ['is_multipart', 'date', 'content_type', 'from_ref', 'sender_ref', 'to_refs', 'cc_refs', 'bcc_refs', 'message_id', 'subject', 'received_lines', 'additional_header_fields', 'body', 'body_multipart', 'raw_email_ref'],
  file: ['hashes', 'size', 'name', 'name_enc', 'magic_number_hex', 'mime_type', 'ctime', 'mtime', 'atime', 'parent_directory_ref', 'contains_refs', 'content_ref'],
  'ipv4-addr': ['value', 'resolves_to_refs', 'belongs_to_refs'],
  'ipv6-addr': ['value', 'resolves_to_refs', 'belongs_to_refs'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': ['start', 'end', 'is_active', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'src_byte_count', 'dst_byte_count', 'src_packets', 'dst_packets', 'ipfix', 'src_payload_ref', 'dst_payload_ref', 'encapsulates_refs', 'encapsulated_by_ref'],
  process: ['is_hidden', 'pid', 'created_time', 'cwd', 'command_line', 'environment_variables', 'opened_connection_refs', 'creator_user_ref', 'image_ref', 'parent_ref', 'child_refs'],
  software: ['name', 'cpe', 'swid', 'languages', 'vendor', 'version'],
  url: ['value'],
  'user-account': ['user_id', 'credential', 'account_login', 'account_type', 'display_name', 'is_service_account', 'is_privileged', 'can_escalate_privs', 'is_disabled', 'account_created', 'account_expires', 'credential_last_changed', 'account_first_login', 'account_last_login'],
  'windows-registry-key': ['key', 'values', 'modified_time', 'creator_user_ref', 'number_of_subkeys'],
  'x509-certificate': ['is_self_signed', 'hashes', 'version', 'serial_number', 'signature_algorithm', 'issuer', 'validity_not_before', 'validity_not_after', 'subject', 'subject_public_key_algorithm', 'subject_public_key_modulus', 'subject_public_key_exponent', 'x509_v3_extensions'],
};

const SMO: Record<string, string[]> = {
  'marking-definition': ['type', 'spec_version', 'id', 'created_by_ref', 'created', 'name', 'definition_type', 'definition', 'external_references', 'object_marking_refs', 'granular_markings', 'extensions'],
  'language-content': [...COMMON_SDO, 'object_ref', 'object_modified', 'contents'],
  'extension-definition': [...COMMON_SDO, 'name', 'description', 'schema', 'version', 'extension_types', 'extension_properties'],
};

/** Predefined SCO extensions (STIX 2.1 §6): kept like any other standard property. */
export const PREDEFINED_EXTENSIONS: ReadonlySet<string> = new Set([
  'archive-ext', 'ntfs-ext', 'pdf-ext', 'raster-image-ext', 'windows-pebinary-ext', 'http-request-ext',
  'icmp-ext', 'socket-ext', 'tcp-ext', 'windows-process-ext', 'windows-service-ext', 'unix-account-ext',
]);

const KNOWN: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ...Object.entries(SDO).map(([t, p]) => [t, new Set([...COMMON_SDO, ...p])] as const),
  ...Object.entries(SCO).map(([t, p]) => [t, new Set([...COMMON_SCO, ...p])] as const),
  ...Object.entries(SMO).map(([t, p]) => [t, new Set(p)] as const),
]);

/** The properties STIX 2.1 defines for `type`; undefined for a custom type. */
export function knownProperties(type: string): ReadonlySet<string> | undefined {
  return KNOWN.get(type);
}

export function isScoType(type: string): boolean {
  return Object.hasOwn(SCO, type);
}

export function isStandardType(type: string): boolean {
  return KNOWN.has(type);
}

/** Single references whose loss makes the object invalid or meaningless (R10: withhold). */
export const REQUIRED_REFS: Readonly<Record<string, readonly string[]>> = {
  relationship: ['source_ref', 'target_ref'],
  sighting: ['sighting_of_ref'],
  'language-content': ['object_ref'],
  'extension-definition': ['created_by_ref'],
};

/** Reference lists that must not be left empty (R10: withhold). */
export const REQUIRED_REF_LISTS: Readonly<Record<string, readonly string[]>> = {
  report: ['object_refs'],
  note: ['object_refs'],
  opinion: ['object_refs'],
  grouping: ['object_refs'],
  'observed-data': [],
};

/** Properties whose value is a STIX timestamp: never text, never redacted. */
export const TIMESTAMP_PROPERTIES: ReadonlySet<string> = new Set([
  'created', 'modified', 'first_seen', 'last_seen', 'valid_from', 'valid_until', 'published', 'start_time', 'stop_time',
  'first_observed', 'last_observed', 'submitted', 'analysis_started', 'analysis_ended', 'object_modified', 'date',
  'ctime', 'mtime', 'atime', 'start', 'end', 'created_time', 'modified_time', 'account_created', 'account_expires',
  'credential_last_changed', 'account_first_login', 'account_last_login', 'validity_not_before', 'validity_not_after',
]);

/** Properties that are required by the spec for the type (dropping one means withholding, R2/R10). */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  'attack-pattern': ['name'], campaign: ['name'], 'course-of-action': ['name'], grouping: ['context', 'object_refs'],
  identity: ['name'], incident: ['name'], indicator: ['pattern', 'pattern_type', 'valid_from'], infrastructure: ['name'],
  'intrusion-set': ['name'], malware: ['is_family'], 'malware-analysis': ['product'], note: ['content', 'object_refs'],
  'observed-data': ['first_observed', 'last_observed', 'number_observed'], opinion: ['opinion', 'object_refs'],
  report: ['name', 'published', 'object_refs'], 'threat-actor': ['name'], tool: ['name'], vulnerability: ['name'],
  relationship: ['relationship_type', 'source_ref', 'target_ref'], sighting: ['sighting_of_ref'],
  'domain-name': ['value'], 'email-addr': ['value'], 'ipv4-addr': ['value'], 'ipv6-addr': ['value'], 'mac-addr': ['value'],
  mutex: ['name'], url: ['value'], 'autonomous-system': ['number'], software: ['name'], 'user-account': [],
  'windows-registry-key': [], directory: ['path'], 'network-traffic': ['protocols'],
  'language-content': ['object_ref', 'contents'], 'marking-definition': [],
};

const ALWAYS_REQUIRED = new Set(['type', 'id', 'spec_version', 'created', 'modified']);

export function isRequiredProperty(type: string, property: string): boolean {
  if (ALWAYS_REQUIRED.has(property)) return true;
  return REQUIRED[type]?.includes(property) ?? false;
}
