// Objects that use (nearly) every optional property and predefined extension of their type
// must be accepted: guards the schemas against typos in property names and types.
import { describe, it, expect } from 'vitest';
import {
  TLP2_GREEN_ID,
  idOf,
  makeArtifact,
  makeCampaign,
  makeDirectory,
  makeEmailMessage,
  makeFile,
  makeIdentity,
  makeIndicator,
  makeInfrastructure,
  makeIntrusionSet,
  makeLocation,
  makeMalware,
  makeMalwareAnalysis,
  makeNetworkTraffic,
  makeProcess,
  makeReport,
  makeSighting,
  makeSoftware,
  makeThreatActor,
  makeTool,
  makeUserAccount,
  makeX509Certificate,
  makeExtensionDefinition,
  makeLanguageContent,
  makeAutonomousSystem,
  makeIpv4Addr,
  makeDomainName,
  makeEmailAddr,
} from './builders.js';
import { strict } from './support.js';

const T = '2024-03-01T10:00:00.000Z';
const T2 = '2024-03-05T10:00:00.000Z';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const KCP = [{ kill_chain_name: 'mitre-attack', phase_name: 'initial-access' }];

const common = {
  created_by_ref: idOf('identity'),
  revoked: false,
  labels: ['apt'],
  confidence: 80,
  lang: 'en',
  external_references: [{ source_name: 'mitre-attack', external_id: 'T1566', url: 'https://attack.mitre.org/techniques/T1566/', hashes: { 'SHA-256': SHA256 } }],
  object_marking_refs: [TLP2_GREEN_ID],
  granular_markings: [{ marking_ref: TLP2_GREEN_ID, selectors: ['labels.[0]'] }],
};

const FULL: Record<string, Record<string, unknown>> = {
  campaign: makeCampaign({ ...common, description: 'd', aliases: ['Dust'], first_seen: T, last_seen: T2, objective: 'steal' }),
  identity: makeIdentity({ ...common, description: 'd', roles: ['cert'], sectors: ['government'], contact_information: 'cert@example.com' }),
  indicator: makeIndicator({ ...common, name: 'n', description: 'd', indicator_types: ['malicious-activity'], pattern_version: '2.1', valid_until: T2, kill_chain_phases: KCP }),
  infrastructure: makeInfrastructure({ ...common, description: 'd', infrastructure_types: ['command-and-control'], aliases: ['x'], kill_chain_phases: KCP, first_seen: T, last_seen: T2 }),
  'intrusion-set': makeIntrusionSet({ ...common, description: 'd', aliases: ['x'], first_seen: T, last_seen: T2, goals: ['g'], resource_level: 'government', primary_motivation: 'espionage', secondary_motivations: ['dominance'] }),
  location: makeLocation({ ...common, name: 'n', description: 'd', latitude: 35.7, longitude: 51.4, precision: 1000, region: 'southern-asia', administrative_area: 'a', city: 'c', street_address: 's', postal_code: 'p' }),
  malware: makeMalware({
    ...common, description: 'd', malware_types: ['backdoor'], aliases: ['x'], kill_chain_phases: KCP, first_seen: T, last_seen: T2,
    operating_system_refs: [idOf('software')], architecture_execution_envs: ['x86'], implementation_languages: ['c'], capabilities: ['persists-after-system-reboot'],
    sample_refs: [idOf('file'), idOf('artifact')],
  }),
  'malware-analysis': makeMalwareAnalysis({
    ...common, version: '1', host_vm_ref: idOf('software'), operating_system_ref: idOf('software'), installed_software_refs: [idOf('software')],
    configuration_version: '1', modules: ['m'], analysis_engine_version: '1', analysis_definition_version: '1', submitted: T, analysis_started: T, analysis_ended: T2,
    result_name: 'r', analysis_sco_refs: [idOf('file')], sample_ref: idOf('file'),
  }),
  report: makeReport({ ...common, description: 'd', report_types: ['threat-report'] }),
  sighting: makeSighting({ ...common, description: 'd', first_seen: T, last_seen: T2, count: 5, observed_data_refs: [idOf('observed-data')], where_sighted_refs: [idOf('identity')], summary: false }),
  'threat-actor': makeThreatActor({
    ...common, description: 'd', threat_actor_types: ['nation-state'], aliases: ['x'], first_seen: T, last_seen: T2, roles: ['agent'], goals: ['g'],
    sophistication: 'expert', resource_level: 'government', primary_motivation: 'espionage', secondary_motivations: ['dominance'], personal_motivations: ['revenge'],
  }),
  tool: makeTool({ ...common, description: 'd', tool_types: ['credential-exploitation'], aliases: ['x'], kill_chain_phases: KCP, tool_version: '2.2' }),
  'extension-definition': makeExtensionDefinition({ description: 'd', extension_properties: ['rating'], object_marking_refs: [TLP2_GREEN_ID] }),
  'language-content': makeLanguageContent({ contents: { de: { name: 'Kampagne', aliases: ['Staub'] }, fa: { description: 'شرح' } } }),
  artifact: makeArtifact({ encryption_algorithm: 'mime-type-indicated', decryption_key: 'infected', hashes: { MD5: 'd41d8cd98f00b204e9800998ecf8427e' } }),
  'autonomous-system': makeAutonomousSystem({ name: 'AS', rir: 'RIPE' }),
  directory: makeDirectory({ path_enc: 'utf-8', ctime: T, mtime: T, atime: T, contains_refs: [idOf('file'), idOf('directory')] }),
  'domain-name': makeDomainName({ resolves_to_refs: [idOf('ipv4-addr'), idOf('domain-name')], defanged: false }),
  'email-addr': makeEmailAddr({ display_name: 'Ops', belongs_to_ref: idOf('user-account') }),
  'email-message': makeEmailMessage({
    is_multipart: true, body: undefined, date: T, content_type: 'multipart/mixed', from_ref: idOf('email-addr'), sender_ref: idOf('email-addr'),
    to_refs: [idOf('email-addr')], cc_refs: [idOf('email-addr')], bcc_refs: [idOf('email-addr')], message_id: '<1@example.com>',
    received_lines: ['from x'], additional_header_fields: { 'X-Mailer': 'm', Received: ['a', 'b'] },
    body_multipart: [{ content_type: 'text/plain', body: 'hi' }, { content_type: 'application/zip', content_disposition: 'attachment', body_raw_ref: idOf('artifact') }],
    raw_email_ref: idOf('artifact'),
  }),
  file: makeFile({
    size: 1024, name_enc: 'utf-8', magic_number_hex: '4D5A', mime_type: 'application/x-dosexec', ctime: T, mtime: T, atime: T,
    parent_directory_ref: idOf('directory'), contains_refs: [idOf('url')], content_ref: idOf('artifact'),
    extensions: {
      'archive-ext': { contains_refs: [idOf('file')], comment: 'c' },
      'ntfs-ext': { sid: 'S-1-5', alternate_data_streams: [{ name: 'ads', hashes: { 'SHA-256': SHA256 }, size: 3 }] },
      'pdf-ext': { version: '1.7', is_optimized: false, document_info_dict: { Title: 't' }, pdfid0: 'a', pdfid1: 'b' },
      'raster-image-ext': { image_height: 10, image_width: 10, bits_per_pixel: 24, exif_tags: { Make: 'x', XResolution: 72 } },
      'windows-pebinary-ext': {
        pe_type: 'exe', imphash: 'i', machine_hex: '014c', number_of_sections: 4, time_date_stamp: T, pointer_to_symbol_table_hex: '00', number_of_symbols: 0,
        size_of_optional_header: 224, characteristics_hex: '0102', file_header_hashes: { 'SHA-256': SHA256 },
        optional_header: { magic_hex: '010b', size_of_code: 4096, address_of_entry_point: 4096, image_base: 4194304, checksum_hex: '00', hashes: { 'SHA-256': SHA256 } },
        sections: [{ name: '.text', size: 4096, entropy: 6.1, hashes: { 'SHA-256': SHA256 } }],
      },
    },
  }),
  'ipv4-addr': makeIpv4Addr({ resolves_to_refs: [idOf('mac-addr')], belongs_to_refs: [idOf('autonomous-system')] }),
  'network-traffic': makeNetworkTraffic({
    dst_ref: idOf('domain-name'), start: T, end: T2, is_active: false, src_port: 49152, dst_port: 443, src_byte_count: 10, dst_byte_count: 10,
    src_packets: 1, dst_packets: 1, ipfix: { minimumIpTotalLength: 32, flowId: 'x' }, src_payload_ref: idOf('artifact'), dst_payload_ref: idOf('artifact'),
    encapsulates_refs: [idOf('network-traffic')], encapsulated_by_ref: idOf('network-traffic'),
    extensions: {
      'http-request-ext': { request_method: 'get', request_value: '/gate.php', request_version: 'http/1.1', request_header: { Host: 'c2.example' }, message_body_length: 0, message_body_data_ref: idOf('artifact') },
      'icmp-ext': { icmp_type_hex: '08', icmp_code_hex: '00' },
      'socket-ext': { address_family: 'AF_INET', is_blocking: false, is_listening: false, options: { SO_RCVBUF: 1024 }, socket_type: 'SOCK_STREAM', socket_descriptor: 3, socket_handle: 4 },
      'tcp-ext': { src_flags_hex: '02', dst_flags_hex: '12' },
    },
  }),
  process: makeProcess({
    is_hidden: false, created_time: T, cwd: 'C:\\', environment_variables: { PATH: 'C:\\Windows' }, opened_connection_refs: [idOf('network-traffic')],
    creator_user_ref: idOf('user-account'), image_ref: idOf('file'), parent_ref: idOf('process'), child_refs: [idOf('process')],
    extensions: {
      'windows-process-ext': { aslr_enabled: true, dep_enabled: true, priority: 'HIGH_PRIORITY_CLASS', owner_sid: 'S-1-5', window_title: 'w', startup_info: { dwFlags: 1 }, integrity_level: 'high' },
      'windows-service-ext': {
        service_name: 's', descriptions: ['d'], display_name: 'S', group_name: 'g', start_type: 'SERVICE_AUTO_START', service_dll_refs: [idOf('file')],
        service_type: 'SERVICE_WIN32_OWN_PROCESS', service_status: 'SERVICE_RUNNING',
      },
    },
  }),
  software: makeSoftware({ cpe: 'cpe:2.3:a:microsoft:word:2016:*:*:*:*:*:*:*', swid: 's', languages: ['eng', 'fas'], version: '2016' }),
  'user-account': makeUserAccount({
    user_id: '1001', credential: 'x', account_type: 'unix', display_name: 'd', is_service_account: true, is_privileged: false, can_escalate_privs: false,
    is_disabled: false, account_created: T, account_expires: T2, credential_last_changed: T, account_first_login: T, account_last_login: T2,
    extensions: { 'unix-account-ext': { gid: 1001, groups: ['wheel'], home_dir: '/home/x', shell: '/bin/sh' } },
  }),
  'x509-certificate': makeX509Certificate({
    is_self_signed: true, hashes: { 'SHA-256': SHA256 }, version: '3', signature_algorithm: 'sha256WithRSAEncryption', validity_not_before: T, validity_not_after: T2,
    subject: 'CN=c2.example', subject_public_key_algorithm: 'rsaEncryption', subject_public_key_modulus: 'ab', subject_public_key_exponent: 65537,
    x509_v3_extensions: { basic_constraints: 'CA:TRUE', subject_alternative_name: 'DNS:c2.example', private_key_usage_period_not_before: T, private_key_usage_period_not_after: T2 },
  }),
};

describe('objects using their optional properties and extensions', () => {
  for (const [type, obj] of Object.entries(FULL)) {
    it(`accepts a full ${type}`, () => {
      expect(strict(obj)).toEqual({ ok: true });
    });
  }
});
