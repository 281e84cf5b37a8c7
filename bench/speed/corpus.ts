// The data the speed benchmark serves: a fictional national incident corpus (indicators,
// malware, attack patterns, relationships, sightings, reports, victim identities, a few SCOs),
// TLP-marked across every level, and the protected-entity registry of the CERT that published
// it (English and Persian names, domains, networks). Deterministic: the same seed gives the
// same bytes, so a "before" and an "after" run serve the same collection.

const TLP = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  amberStrict: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** Share of each TLP level, in percent (what a CERT publishing to partners roughly holds). */
const TLP_MIX: [string, number][] = [
  [TLP.clear, 20],
  [TLP.green, 50],
  [TLP.amber, 20],
  [TLP.amberStrict, 5],
  [TLP.red, 5],
];

/** mulberry32: small, fast, good enough to spread the mix. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(next: () => number): string {
  const word = (): string =>
    Math.floor(next() * 4294967296)
      .toString(16)
      .padStart(8, '0');
  const a = word();
  const b = word();
  const c = word();
  const variant = '89ab'[Math.floor(next() * 4)]!;
  return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${word()}`;
}

const CITIES_EN = [
  'Tehran',
  'Isfahan',
  'Shiraz',
  'Tabriz',
  'Mashhad',
  'Ahvaz',
  'Kerman',
  'Rasht',
  'Yazd',
  'Qom',
  'Arak',
  'Hamadan',
  'Zanjan',
  'Sari',
  'Gorgan',
  'Bushehr',
  'Kashan',
  'Urmia',
  'Ilam',
  'Semnan',
];
const CITIES_FA = [
  'تهران',
  'اصفهان',
  'شیراز',
  'تبریز',
  'مشهد',
  'اهواز',
  'کرمان',
  'رشت',
  'یزد',
  'قم',
  'اراک',
  'همدان',
  'زنجان',
  'ساری',
  'گرگان',
  'بوشهر',
  'کاشان',
  'ارومیه',
  'ایلام',
  'سمنان',
];
const KINDS: { en: string; fa: string; sector: string; slug: string }[] = [
  {
    en: 'Regional Electric Company',
    fa: 'شرکت برق منطقه‌ای',
    sector: 'electric-utility',
    slug: 'barq',
  },
  {
    en: 'Water and Wastewater Company',
    fa: 'شرکت آب و فاضلاب',
    sector: 'water-utility',
    slug: 'abfa',
  },
  { en: 'Gas Distribution Company', fa: 'شرکت گاز استان', sector: 'gas-utility', slug: 'gaz' },
  { en: 'Provincial Hospital', fa: 'بیمارستان استان', sector: 'hospital', slug: 'hosp' },
  {
    en: 'University of Medical Sciences',
    fa: 'دانشگاه علوم پزشکی',
    sector: 'university',
    slug: 'mui',
  },
  { en: 'Cooperative Bank', fa: 'بانک تعاون', sector: 'bank', slug: 'bank' },
  { en: 'Telecommunication Company', fa: 'شرکت مخابرات', sector: 'telecom', slug: 'tci' },
  { en: 'Petrochemical Company', fa: 'شرکت پتروشیمی', sector: 'petrochemical', slug: 'petro' },
  { en: 'Municipality', fa: 'شهرداری', sector: 'municipality', slug: 'shahr' },
  { en: 'Railway Directorate', fa: 'اداره کل راه‌آهن', sector: 'railway', slug: 'rai' },
  { en: 'Steel Company', fa: 'شرکت فولاد', sector: 'steel', slug: 'foolad' },
  { en: 'Tax Administration', fa: 'اداره کل امور مالیاتی', sector: 'government', slug: 'tax' },
  { en: 'Customs Office', fa: 'گمرک', sector: 'government', slug: 'gomrok' },
  { en: 'Insurance Company', fa: 'شرکت بیمه', sector: 'insurance', slug: 'bimeh' },
  { en: 'Airport Authority', fa: 'فرودگاه', sector: 'aviation', slug: 'airport' },
  { en: 'Oil Refinery', fa: 'پالایشگاه نفت', sector: 'petrochemical', slug: 'refinery' },
  {
    en: 'Power Generation Company',
    fa: 'شرکت تولید نیروی برق',
    sector: 'electric-utility',
    slug: 'niroo',
  },
  { en: 'Post Company', fa: 'شرکت پست', sector: 'telecom', slug: 'post' },
  { en: 'Court of Justice', fa: 'دادگستری', sector: 'government', slug: 'dadgostari' },
  { en: 'Port Authority', fa: 'اداره بنادر', sector: 'maritime', slug: 'bandar' },
  { en: 'Education Department', fa: 'اداره آموزش و پرورش', sector: 'government', slug: 'amoozesh' },
  { en: 'Agricultural Bank', fa: 'بانک کشاورزی', sector: 'bank', slug: 'keshavarzi' },
  { en: 'Chamber of Commerce', fa: 'اتاق بازرگانی', sector: 'government', slug: 'otagh' },
  { en: 'Broadcasting Centre', fa: 'مرکز صدا و سیما', sector: 'media', slug: 'seda' },
  { en: 'Metro Operator', fa: 'شرکت بهره‌برداری مترو', sector: 'railway', slug: 'metro' },
  { en: 'Cement Company', fa: 'شرکت سیمان', sector: 'manufacturing', slug: 'siman' },
  { en: 'Pharmaceutical Distributor', fa: 'شرکت پخش دارو', sector: 'hospital', slug: 'daroo' },
  { en: 'Provincial Governorate', fa: 'استانداری', sector: 'government', slug: 'ostandari' },
  { en: 'Technical University', fa: 'دانشگاه صنعتی', sector: 'university', slug: 'sanati' },
  { en: 'Savings Bank', fa: 'بانک پس‌انداز', sector: 'bank', slug: 'pasandaz' },
];

export const SECTOR_LADDER: Record<string, string> = {
  'electric-utility': 'energy',
  'gas-utility': 'energy',
  petrochemical: 'energy',
  'water-utility': 'utilities',
  energy: 'critical-infrastructure',
  utilities: 'critical-infrastructure',
  hospital: 'health',
  university: 'education',
  bank: 'finance',
  insurance: 'finance',
  telecom: 'communications',
  media: 'communications',
  railway: 'transport',
  aviation: 'transport',
  maritime: 'transport',
  steel: 'industry',
  manufacturing: 'industry',
  municipality: 'government',
};

export interface Entity {
  id: string;
  names: { en: string[]; fa: string[] };
  acronyms: string[];
  domains: string[];
  email_domains: string[];
  hostnames: string[];
  cidrs: string[];
  sector: string;
  country: string;
  identity_ids: string[];
}

/** `count` protected constituents (20 cities × 30 kinds at most: 600). */
export function registryEntities(count: number): Entity[] {
  const next = prng(7);
  const out: Entity[] = [];
  for (let i = 0; i < count; i++) {
    const city = i % CITIES_EN.length;
    const kind = KINDS[Math.floor(i / CITIES_EN.length) % KINDS.length]!;
    const slug = `${kind.slug}-${CITIES_EN[city]!.toLowerCase()}`;
    out.push({
      id: slug,
      names: { en: [`${CITIES_EN[city]} ${kind.en}`], fa: [`${kind.fa} ${CITIES_FA[city]}`] },
      acronyms: [
        `${kind.slug.slice(0, 3).toUpperCase()}${CITIES_EN[city]!.slice(0, 2).toUpperCase()}${i}`,
      ],
      domains: [`${slug}.ir`],
      email_domains: [`mail.${slug}.ir`],
      hostnames: [`vpn.${slug}.ir`],
      cidrs: [`10.${Math.floor(i / 250)}.${i % 250}.0/24`],
      sector: kind.sector,
      country: 'ir',
      identity_ids: [`identity--${uuid(next)}`],
    });
  }
  return out;
}

export const OWN_IDENTITY = {
  id: 'identity--0b3c1d5e-7f2a-4c8b-9d0e-1f2a3b4c5d6e',
  name: 'Example National CERT',
};

const FAMILIES = ['Shamoon', 'APT-Loader', 'SilentDrip', 'NightMarket', 'DustRunner', 'Kite'];
const TECHNIQUES = [
  ['T1566', 'Phishing'],
  ['T1190', 'Exploit Public-Facing Application'],
  ['T1059', 'Command and Scripting Interpreter'],
  ['T1486', 'Data Encrypted for Impact'],
  ['T1078', 'Valid Accounts'],
  ['T1021', 'Remote Services'],
  ['T1041', 'Exfiltration Over C2 Channel'],
  ['T1105', 'Ingress Tool Transfer'],
] as const;

const FILLER =
  'The operators reused infrastructure from earlier waves and rotated the payload weekly; ' +
  'detections should key on the loader behaviour rather than on hashes alone. ';

/**
 * Object `i` of the corpus (0-based). Roughly: 34 % indicators, 8 % malware, 8 % attack
 * patterns, 24 % relationships, 10 % sightings, 4 % reports, 6 % identities, 6 % SCOs; one
 * text in ten names a constituent (English, Persian, its domain or an address in its network).
 */
export function corpusObject(i: number, entities: readonly Entity[]): Record<string, unknown> {
  const next = prng(i * 2654435761 + 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const t = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
  let roll = next() * 100;
  let marking = TLP.green;
  for (const [id, share] of TLP_MIX) {
    if (roll < share) {
      marking = id;
      break;
    }
    roll -= share;
  }
  const shape = shapeOf(i, entities.length);
  const victim = entities[shape.victim]!;
  const cidr = victim.cidrs[0]!.split('.');
  const mention =
    next() < 0.1
      ? pick([
          ` Observed at ${victim.names.en[0]}.`,
          ` گزارش شده از ${victim.names.fa[0]}.`,
          ` Beacon from host ${victim.hostnames[0]} (${cidr[0]}.${cidr[1]}.${cidr[2]}.${Math.floor(next() * 250) + 2}).`,
          ` Phishing mails were sent to staff@${victim.email_domains[0]}.`,
        ])
      : '';
  const base = {
    spec_version: '2.1',
    created: t,
    modified: t,
    object_marking_refs: [marking],
    created_by_ref: OWN_IDENTITY.id,
  };
  // Ids of earlier objects are recomputed from their index: references point back in time.
  const earlier = (): number => Math.max(0, i - 1 - Math.floor(next() * 200));
  // Relationships and sightings may only point at domain objects (STIX 2.1 §4, §5): an
  // earlier one of those, else the victim itself.
  const earlierDomainObject = (): string => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const j = earlier();
      if (j < i && DOMAIN_OBJECT_TYPES.has(typeOf(j, entities.length))) return idOf(j, entities);
    }
    return victim.identity_ids[0]!;
  };
  const kind = shape.kind;
  if (kind < 34) {
    const a = Math.floor(next() * 256);
    const b = Math.floor(next() * 256);
    return {
      type: 'indicator',
      id: objectId('indicator', i),
      ...base,
      name: `C2 address ${i}`,
      description: `Command and control address used by ${pick(FAMILIES)}.${mention}`,
      indicator_types: ['malicious-activity'],
      pattern:
        next() < 0.5
          ? `[ipv4-addr:value = '203.0.${a}.${b}']`
          : `[domain-name:value = 'upd${a}-${b}.badcdn.net']`,
      pattern_type: 'stix',
      valid_from: t,
      labels: ['campaign-2025'],
    };
  }
  if (kind < 42) {
    return {
      type: 'malware',
      id: objectId('malware', i),
      ...base,
      name: `${pick(FAMILIES)} variant ${i % 97}`,
      is_family: false,
      malware_types: [pick(['backdoor', 'wiper', 'ransomware', 'remote-access-trojan'])],
      description: `${FILLER}${mention}`,
    };
  }
  if (kind < 50) {
    const [tid, tname] = pick(TECHNIQUES);
    return {
      type: 'attack-pattern',
      id: objectId('attack-pattern', i),
      ...base,
      name: tname,
      description: `Technique used in the campaign.${mention}`,
      external_references: [
        {
          source_name: 'mitre-attack',
          external_id: tid,
          url: `https://attack.mitre.org/techniques/${tid}/`,
        },
      ],
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'initial-access' }],
    };
  }
  if (kind < 74) {
    return {
      type: 'relationship',
      id: objectId('relationship', i),
      ...base,
      relationship_type: next() < 0.5 ? 'targets' : 'indicates',
      source_ref: earlierDomainObject(),
      target_ref: next() < 0.5 ? victim.identity_ids[0] : earlierDomainObject(),
    };
  }
  if (kind < 84) {
    return {
      type: 'sighting',
      id: objectId('sighting', i),
      ...base,
      sighting_of_ref: earlierDomainObject(),
      where_sighted_refs: [victim.identity_ids[0]],
      count: 1 + Math.floor(next() * 400),
      first_seen: t,
      last_seen: t,
      description: `Sighted during incident response.${mention}`,
    };
  }
  if (kind < 88) {
    return {
      type: 'report',
      id: objectId('report', i),
      ...base,
      name: `Incident report ${i}`,
      published: t,
      report_types: ['threat-report'],
      description: `${FILLER}${FILLER}${mention}`,
      object_refs: Array.from({ length: 8 }, () => idOf(earlier(), entities)),
    };
  }
  if (kind < 94) {
    // Most identities are the victims themselves (protected), some are vendors.
    const own = shape.own;
    return {
      type: 'identity',
      id: own ? victim.identity_ids[0] : objectId('identity', i),
      ...base,
      modified: t,
      name: own ? victim.names.en[0] : `Security vendor ${i % 50}`,
      identity_class: 'organization',
      sectors: own ? ['utilities'] : ['technology'],
    };
  }
  return {
    type: 'domain-name',
    spec_version: '2.1',
    id: objectId('domain-name', i),
    value: mention !== '' ? victim.domains[0] : `upd${i}.badcdn.net`,
  };
}

/** What decides object `i`'s id (its kind, its victim): drawn apart so references can recompute it. */
function shapeOf(i: number, entityCount: number): { kind: number; victim: number; own: boolean } {
  const next = prng(i * 40503 + 7);
  return { kind: next() * 100, victim: Math.floor(next() * entityCount), own: next() < 0.7 };
}

const KIND_TYPES: [number, string][] = [
  [34, 'indicator'],
  [42, 'malware'],
  [50, 'attack-pattern'],
  [74, 'relationship'],
  [84, 'sighting'],
  [88, 'report'],
  [94, 'identity'],
  [100, 'domain-name'],
];

/** The type object `i` has, without building it. */
function typeOf(i: number, entityCount: number): string {
  const shape = shapeOf(i, entityCount);
  return KIND_TYPES.find(([bound]) => shape.kind < bound)![1];
}

const DOMAIN_OBJECT_TYPES = new Set([
  'indicator',
  'malware',
  'attack-pattern',
  'report',
  'identity',
]);

/** The id object `i` has, without building it. */
function idOf(i: number, entities: readonly Entity[]): string {
  const shape = shapeOf(i, entities.length);
  const type = typeOf(i, entities.length);
  if (type === 'identity' && shape.own) return entities[shape.victim]!.identity_ids[0]!;
  return objectId(type, i);
}

function objectId(type: string, i: number): string {
  return `${type}--${uuid(prng(i * 7919 + 13))}`;
}
