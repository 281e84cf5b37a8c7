// The STIX 2.1 object types and their kinds (STIX 2.1 §4–§8), plus the predefined SCO extensions.

export type ObjectKind = 'sdo' | 'sro' | 'sco' | 'meta';

export const SDO_TYPES: ReadonlySet<string> = new Set([
  'attack-pattern',
  'campaign',
  'course-of-action',
  'grouping',
  'identity',
  'incident',
  'indicator',
  'infrastructure',
  'intrusion-set',
  'location',
  'malware',
  'malware-analysis',
  'note',
  'observed-data',
  'opinion',
  'report',
  'threat-actor',
  'tool',
  'vulnerability',
]);

export const SRO_TYPES: ReadonlySet<string> = new Set(['relationship', 'sighting']);

export const SCO_TYPES: ReadonlySet<string> = new Set([
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
]);

export const META_TYPES: ReadonlySet<string> = new Set([
  'language-content',
  'marking-definition',
  'extension-definition',
]);

/** Predefined extensions per SCO type (STIX 2.1 §6). */
export const PREDEFINED_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  file: ['archive-ext', 'ntfs-ext', 'pdf-ext', 'raster-image-ext', 'windows-pebinary-ext'],
  'network-traffic': ['http-request-ext', 'icmp-ext', 'socket-ext', 'tcp-ext'],
  process: ['windows-process-ext', 'windows-service-ext'],
  'user-account': ['unix-account-ext'],
};

export const ALL_PREDEFINED_EXTENSION_NAMES: ReadonlySet<string> = new Set(
  Object.values(PREDEFINED_EXTENSIONS).flat(),
);

/** The kind of a standard type, or undefined for a custom/unknown type. */
export function kindOfType(type: string): ObjectKind | undefined {
  if (SDO_TYPES.has(type)) return 'sdo';
  if (SRO_TYPES.has(type)) return 'sro';
  if (SCO_TYPES.has(type)) return 'sco';
  if (META_TYPES.has(type)) return 'meta';
  return undefined;
}

export function isStandardType(type: string): boolean {
  return kindOfType(type) !== undefined;
}

/** The type part of an identifier `type--uuid`. */
export function typeOfId(id: string): string {
  const i = id.indexOf('--');
  return i < 0 ? id : id.slice(0, i);
}

/**
 * Kind of a custom object type from its new-sdo/new-sco/new-sro extension (STIX 2.1 §7.3),
 * undefined if it declares none.
 */
export function customKindOf(object: Record<string, unknown>): ObjectKind | undefined {
  const extensions = object['extensions'];
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  for (const value of Object.values(extensions as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null) continue;
    const t = (value as Record<string, unknown>)['extension_type'];
    if (t === 'new-sdo') return 'sdo';
    if (t === 'new-sco') return 'sco';
    if (t === 'new-sro') return 'sro';
  }
  return undefined;
}
