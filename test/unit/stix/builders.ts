// Small builders of valid STIX 2.1 objects for the validation tests: each returns the minimal
// valid object of a type, with overrides applied (a value of `undefined` removes the property).

export type StixObject = Record<string, unknown>;

const CREATED = '2024-03-01T10:00:00.000Z';
const MODIFIED = '2024-03-02T10:00:00.000Z';

let counter = 0;

/** A fresh UUIDv4 (deterministic sequence, so failures are reproducible). */
export function uuid4(): string {
  counter += 1;
  const hex = counter.toString(16).padStart(12, '0');
  return `6f1b1c2e-8a3d-4c5b-9e7f-${hex}`;
}

/** A UUIDv5-shaped UUID (version nibble 5), as SCO ids are minted. */
export function uuid5(): string {
  counter += 1;
  const hex = counter.toString(16).padStart(12, '0');
  return `0d1f2e3c-4b5a-5968-8776-${hex}`;
}

export function idOf(type: string, uuid: string = uuid4()): string {
  return `${type}--${uuid}`;
}

export const TLP2_GREEN_ID = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
export const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

function apply(base: StixObject, overrides: StixObject): StixObject {
  const out: StixObject = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

function sdo(type: string, props: StixObject, overrides: StixObject): StixObject {
  return apply(
    { type, spec_version: '2.1', id: idOf(type), created: CREATED, modified: MODIFIED, ...props },
    overrides,
  );
}

// STIX 2.1 §2.9: a process has no ID contributing properties, so its id is a UUIDv4.
function sco(type: string, props: StixObject, overrides: StixObject): StixObject {
  const id = type === 'process' ? idOf(type) : idOf(type, uuid5());
  return apply({ type, spec_version: '2.1', id, ...props }, overrides);
}

type Builder = (overrides?: StixObject) => StixObject;

export const makeAttackPattern: Builder = (o = {}) =>
  sdo('attack-pattern', { name: 'Spearphishing Attachment' }, o);
export const makeCampaign: Builder = (o = {}) => sdo('campaign', { name: 'Operation Dust' }, o);
export const makeCourseOfAction: Builder = (o = {}) =>
  sdo('course-of-action', { name: 'Block the sender' }, o);
export const makeGrouping: Builder = (o = {}) =>
  sdo('grouping', { context: 'suspicious-activity', object_refs: [idOf('indicator')] }, o);
export const makeIdentity: Builder = (o = {}) =>
  sdo('identity', { name: 'ACME CERT', identity_class: 'organization' }, o);
export const makeIncident: Builder = (o = {}) =>
  sdo('incident', { name: 'Intrusion at site 4' }, o);
export const makeIndicator: Builder = (o = {}) =>
  sdo(
    'indicator',
    { pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: CREATED },
    o,
  );
export const makeInfrastructure: Builder = (o = {}) =>
  sdo('infrastructure', { name: 'C2 cluster' }, o);
export const makeIntrusionSet: Builder = (o = {}) =>
  sdo('intrusion-set', { name: 'Bronze Group' }, o);
export const makeLocation: Builder = (o = {}) => sdo('location', { country: 'ir' }, o);
export const makeMalware: Builder = (o = {}) =>
  sdo('malware', { name: 'DustLoader', is_family: true }, o);
export const makeMalwareAnalysis: Builder = (o = {}) =>
  sdo('malware-analysis', { product: 'sandbox-x', result: 'malicious' }, o);
export const makeNote: Builder = (o = {}) =>
  sdo('note', { content: 'Seen again on Monday.', object_refs: [idOf('campaign')] }, o);
export const makeObservedData: Builder = (o = {}) =>
  sdo(
    'observed-data',
    {
      first_observed: CREATED,
      last_observed: MODIFIED,
      number_observed: 3,
      object_refs: [idOf('ipv4-addr', uuid5())],
    },
    o,
  );
export const makeOpinion: Builder = (o = {}) =>
  sdo('opinion', { opinion: 'agree', object_refs: [idOf('report')] }, o);
export const makeReport: Builder = (o = {}) =>
  sdo(
    'report',
    { name: 'Weekly summary', published: MODIFIED, object_refs: [idOf('indicator')] },
    o,
  );
export const makeThreatActor: Builder = (o = {}) => sdo('threat-actor', { name: 'Dust Spider' }, o);
export const makeTool: Builder = (o = {}) => sdo('tool', { name: 'mimikatz' }, o);
export const makeVulnerability: Builder = (o = {}) =>
  sdo(
    'vulnerability',
    {
      name: 'CVE-2021-44228',
      external_references: [{ source_name: 'cve', external_id: 'CVE-2021-44228' }],
    },
    o,
  );

export const makeRelationship: Builder = (o = {}) =>
  sdo(
    'relationship',
    { relationship_type: 'indicates', source_ref: idOf('indicator'), target_ref: idOf('malware') },
    o,
  );
export const makeSighting: Builder = (o = {}) =>
  sdo('sighting', { sighting_of_ref: idOf('indicator') }, o);

export const makeLanguageContent: Builder = (o = {}) =>
  sdo(
    'language-content',
    {
      object_ref: idOf('campaign'),
      object_modified: MODIFIED,
      contents: { fa: { name: 'عملیات' } },
    },
    o,
  );
export const makeStatementMarking: Builder = (o = {}) =>
  apply(
    {
      type: 'marking-definition',
      spec_version: '2.1',
      id: idOf('marking-definition'),
      created: CREATED,
      definition_type: 'statement',
      definition: { statement: 'Copyright ACME' },
    },
    o,
  );
export const makeTlp2Green: Builder = (o = {}) =>
  apply(
    {
      type: 'marking-definition',
      spec_version: '2.1',
      id: TLP2_GREEN_ID,
      created: '2022-10-01T00:00:00.000Z',
      name: 'TLP:GREEN',
      extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: 'green' } },
    },
    o,
  );
export const makeTlp1Red: Builder = (o = {}) =>
  apply(
    {
      type: 'marking-definition',
      spec_version: '2.1',
      id: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
      created: '2017-01-20T00:00:00.000Z',
      name: 'TLP:RED',
      definition_type: 'tlp',
      definition: { tlp: 'red' },
    },
    o,
  );
export const makeExtensionDefinition: Builder = (o = {}) =>
  sdo(
    'extension-definition',
    {
      created_by_ref: idOf('identity'),
      name: 'acme-ext',
      schema: 'https://example.com/acme.json',
      version: '1.0',
      extension_types: ['property-extension'],
    },
    o,
  );

const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const makeArtifact: Builder = (o = {}) =>
  sco('artifact', { payload_bin: 'aGVsbG8=', mime_type: 'text/plain' }, o);
export const makeAutonomousSystem: Builder = (o = {}) =>
  sco('autonomous-system', { number: 64500 }, o);
export const makeDirectory: Builder = (o = {}) =>
  sco('directory', { path: 'C:\\Windows\\Temp' }, o);
export const makeDomainName: Builder = (o = {}) => sco('domain-name', { value: 'c2.example' }, o);
export const makeEmailAddr: Builder = (o = {}) =>
  sco('email-addr', { value: 'ops@example.com' }, o);
export const makeEmailMessage: Builder = (o = {}) =>
  sco('email-message', { is_multipart: false, subject: 'Invoice', body: 'see attached' }, o);
export const makeFile: Builder = (o = {}) =>
  sco('file', { name: 'invoice.doc', hashes: { 'SHA-256': SHA256 } }, o);
export const makeIpv4Addr: Builder = (o = {}) => sco('ipv4-addr', { value: '198.51.100.7' }, o);
export const makeIpv6Addr: Builder = (o = {}) => sco('ipv6-addr', { value: '2001:db8::1' }, o);
export const makeMacAddr: Builder = (o = {}) => sco('mac-addr', { value: '00:00:5e:00:53:01' }, o);
export const makeMutex: Builder = (o = {}) => sco('mutex', { name: 'Global\\dust' }, o);
export const makeNetworkTraffic: Builder = (o = {}) =>
  sco('network-traffic', { src_ref: idOf('ipv4-addr', uuid5()), protocols: ['ipv4', 'tcp'] }, o);
export const makeProcess: Builder = (o = {}) =>
  sco('process', { pid: 4242, command_line: 'rundll32 dust.dll' }, o);
export const makeSoftware: Builder = (o = {}) =>
  sco('software', { name: 'Word', vendor: 'Microsoft' }, o);
export const makeUrl: Builder = (o = {}) => sco('url', { value: 'https://c2.example/gate.php' }, o);
export const makeUserAccount: Builder = (o = {}) =>
  sco('user-account', { account_login: 'svc_backup' }, o);
export const makeWindowsRegistryKey: Builder = (o = {}) =>
  sco(
    'windows-registry-key',
    {
      key: 'HKEY_LOCAL_MACHINE\\Software\\Dust',
      values: [{ name: 'run', data: 'dust.exe', data_type: 'REG_SZ' }],
    },
    o,
  );
export const makeX509Certificate: Builder = (o = {}) =>
  sco('x509-certificate', { issuer: 'CN=Dust CA', serial_number: '01' }, o);

/** The minimal valid builder of every STIX 2.1 object type. */
export const BUILDERS: Readonly<Record<string, Builder>> = {
  'attack-pattern': makeAttackPattern,
  campaign: makeCampaign,
  'course-of-action': makeCourseOfAction,
  grouping: makeGrouping,
  identity: makeIdentity,
  incident: makeIncident,
  indicator: makeIndicator,
  infrastructure: makeInfrastructure,
  'intrusion-set': makeIntrusionSet,
  location: makeLocation,
  malware: makeMalware,
  'malware-analysis': makeMalwareAnalysis,
  note: makeNote,
  'observed-data': makeObservedData,
  opinion: makeOpinion,
  report: makeReport,
  'threat-actor': makeThreatActor,
  tool: makeTool,
  vulnerability: makeVulnerability,
  relationship: makeRelationship,
  sighting: makeSighting,
  'language-content': makeLanguageContent,
  'marking-definition': makeStatementMarking,
  'extension-definition': makeExtensionDefinition,
  artifact: makeArtifact,
  'autonomous-system': makeAutonomousSystem,
  directory: makeDirectory,
  'domain-name': makeDomainName,
  'email-addr': makeEmailAddr,
  'email-message': makeEmailMessage,
  file: makeFile,
  'ipv4-addr': makeIpv4Addr,
  'ipv6-addr': makeIpv6Addr,
  'mac-addr': makeMacAddr,
  mutex: makeMutex,
  'network-traffic': makeNetworkTraffic,
  process: makeProcess,
  software: makeSoftware,
  url: makeUrl,
  'user-account': makeUserAccount,
  'windows-registry-key': makeWindowsRegistryKey,
  'x509-certificate': makeX509Certificate,
};
