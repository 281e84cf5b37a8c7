// Valid STIX 2.1 objects for every test: one builder per object type, each the smallest valid
// object of its type with overrides applied (a value of `undefined` removes the property).
// Ids are fresh on every call unless given; created and modified are T0. The seeded builders at
// the end name an object by a seed (the same id and bytes on every run) for the sharing tests,
// which compare bytes; they are the same builders with the fictional incident's values.
import { createHash, randomUUID } from 'node:crypto';

export type StixObject = Record<string, unknown> & { type: string; id: string };

export const T0 = '2026-01-01T00:00:00.000Z';

/** ISO timestamp `ms` milliseconds after T0 (distinct versions for version tests). */
export function at(ms: number): string {
  return new Date(Date.parse(T0) + ms).toISOString();
}

/** A fresh UUIDv4. */
export function uuid4(): string {
  return randomUUID();
}

/** A fresh UUIDv5-shaped UUID (version nibble 5), as SCO ids are minted. */
export function uuid5(): string {
  const v4 = randomUUID();
  return `${v4.slice(0, 14)}5${v4.slice(15)}`;
}

export function idOf(type: string, uuid: string = uuid4()): string {
  return `${type}--${uuid}`;
}

export const TLP2_GREEN_ID = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
export const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

function apply(base: Record<string, unknown>, overrides: Record<string, unknown>): StixObject {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out as StixObject;
}

function sdo(
  type: string,
  props: Record<string, unknown>,
  overrides: Record<string, unknown>,
): StixObject {
  return apply(
    { type, spec_version: '2.1', id: idOf(type), created: T0, modified: T0, ...props },
    overrides,
  );
}

// STIX 2.1 §2.9: a process has no ID contributing properties, so its id is a UUIDv4.
function sco(
  type: string,
  props: Record<string, unknown>,
  overrides: Record<string, unknown>,
): StixObject {
  const id = type === 'process' ? idOf(type) : idOf(type, uuid5());
  return apply({ type, spec_version: '2.1', id, ...props }, overrides);
}

type Builder = (overrides?: Record<string, unknown>) => StixObject;

export const makeAttackPattern: Builder = (o = {}) =>
  sdo('attack-pattern', { name: 'Spearphishing Attachment' }, o);
export const makeCampaign: Builder = (o = {}) => sdo('campaign', { name: 'Operation Dust' }, o);
export const makeCourseOfAction: Builder = (o = {}) =>
  sdo('course-of-action', { name: 'Block the sender' }, o);
export const makeGrouping: Builder = (o = {}) =>
  sdo('grouping', { context: 'suspicious-activity', object_refs: [idOf('indicator')] }, o);
export const makeIdentity: Builder = (o = {}) =>
  sdo('identity', { name: 'ACME Corp', identity_class: 'organization' }, o);
export const makeIncident: Builder = (o = {}) =>
  sdo('incident', { name: 'Intrusion at site 4' }, o);
export const makeIndicator: Builder = (o = {}) =>
  sdo(
    'indicator',
    {
      name: 'C2 address',
      pattern: "[ipv4-addr:value = '198.51.100.7']",
      pattern_type: 'stix',
      valid_from: T0,
      indicator_types: ['malicious-activity'],
    },
    o,
  );
export const makeInfrastructure: Builder = (o = {}) =>
  sdo('infrastructure', { name: 'C2 cluster' }, o);
export const makeIntrusionSet: Builder = (o = {}) =>
  sdo('intrusion-set', { name: 'Bronze Group' }, o);
export const makeLocation: Builder = (o = {}) => sdo('location', { country: 'ir' }, o);
export const makeMalware: Builder = (o = {}) =>
  sdo(
    'malware',
    { name: 'Poison Ivy', is_family: true, malware_types: ['remote-access-trojan'] },
    o,
  );
export const makeMalwareAnalysis: Builder = (o = {}) =>
  sdo('malware-analysis', { product: 'sandbox-x', result: 'malicious' }, o);
export const makeNote: Builder = (o = {}) =>
  sdo('note', { content: 'Seen again on Monday.', object_refs: [idOf('campaign')] }, o);
export const makeObservedData: Builder = (o = {}) =>
  sdo(
    'observed-data',
    {
      first_observed: T0,
      last_observed: T0,
      number_observed: 3,
      object_refs: [idOf('ipv4-addr', uuid5())],
    },
    o,
  );
export const makeOpinion: Builder = (o = {}) =>
  sdo('opinion', { opinion: 'agree', object_refs: [idOf('report')] }, o);
export const makeReport: Builder = (o = {}) =>
  sdo('report', { name: 'Weekly summary', published: T0, object_refs: [idOf('indicator')] }, o);
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
      object_modified: T0,
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
      created: T0,
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

/** A relationship from `source` to `target` (default `indicates`). */
export function relate(
  source: { id: string },
  target: { id: string },
  overrides: Record<string, unknown> = {},
): StixObject {
  return makeRelationship({ source_ref: source.id, target_ref: target.id, ...overrides });
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

// ---------------------------------------------------------------------------------------------
// Seeded: the id comes from a seed name, the timestamps are SEEDED_T0, the property values are
// the fictional incident's (test/unit/sharing/support.ts), so determinism tests compare bytes.

export const SEEDED_T0 = '2026-03-14T09:26:53.589Z';

/** A UUIDv4-shaped UUID from `seed`: the same on every run. */
export function uuidFor(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function seededSdo(
  build: Builder,
  type: string,
  seed: string,
  props: Record<string, unknown>,
): StixObject {
  return build({
    id: `${type}--${uuidFor(seed)}`,
    created: SEEDED_T0,
    modified: SEEDED_T0,
    ...props,
  });
}

export const seededIdentity = (seed: string, props: Record<string, unknown> = {}): StixObject =>
  seededSdo(makeIdentity, 'identity', seed, { name: 'Someone', ...props });
export const seededIndicator = (seed: string, props: Record<string, unknown> = {}): StixObject =>
  seededSdo(makeIndicator, 'indicator', seed, {
    pattern: "[ipv4-addr:value = '203.0.113.50']",
    valid_from: SEEDED_T0,
    ...props,
  });
export const seededMalware = (seed: string, props: Record<string, unknown> = {}): StixObject =>
  seededSdo(makeMalware, 'malware', seed, {
    name: 'ShadowPad',
    malware_types: ['backdoor'],
    ...props,
  });
export const seededReport = (
  seed: string,
  refs: string[],
  props: Record<string, unknown> = {},
): StixObject =>
  seededSdo(makeReport, 'report', seed, {
    name: 'Incident report',
    report_types: ['threat-report'],
    published: SEEDED_T0,
    object_refs: refs,
    ...props,
  });
export const seededRelationship = (
  seed: string,
  source: string,
  target: string,
  type = 'targets',
  props: Record<string, unknown> = {},
): StixObject =>
  seededSdo(makeRelationship, 'relationship', seed, {
    relationship_type: type,
    source_ref: source,
    target_ref: target,
    ...props,
  });
export const seededSighting = (
  seed: string,
  of: string,
  props: Record<string, unknown> = {},
): StixObject => seededSdo(makeSighting, 'sighting', seed, { sighting_of_ref: of, ...props });
export const seededLocation = (seed: string, props: Record<string, unknown> = {}): StixObject =>
  seededSdo(makeLocation, 'location', seed, {
    country: 'IR',
    region: 'southern-asia',
    city: 'Rasht',
    street_address: '12 Golsar Ave',
    ...props,
  });
export const seededNote = (
  seed: string,
  refs: string[],
  props: Record<string, unknown> = {},
): StixObject =>
  seededSdo(makeNote, 'note', seed, { content: 'Analyst note', object_refs: refs, ...props });

/** An SCO of `type` named by `seed` (a UUIDv4-shaped id, as the sharing tests always used). */
export function seededSco(type: string, seed: string, props: Record<string, unknown>): StixObject {
  return apply({ type, spec_version: '2.1', id: `${type}--${uuidFor(seed)}` }, props);
}
