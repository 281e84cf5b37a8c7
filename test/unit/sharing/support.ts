// A fictional incident for the sharing tests: "Kian Power Company" (an Iranian electric
// utility) was breached by an actor using C2 at 203.0.113.50 / update-kian-cdn.net… The
// registry, policies, keys and builders below are shared by every sharing test.
import { createHash } from 'node:crypto';
import { createStixValidator } from '../../../src/stix/validate.js';
import { derive, type DeriveContext, type DeriveResult } from '../../../src/sharing/engine.js';
import { deriveGroupKey, type AudienceKey } from '../../../src/sharing/keys.js';
import {
  makeEntity,
  makePolicy,
  type ProtectedRegistry,
  type SharingModel,
  type SharingPolicy,
} from '../../../src/sharing/policy.js';
import { resolveAudience, type Audience } from '../../../src/sharing/rules/r01-audience.js';
import { prepareRegistry } from '../../../src/sharing/toolkit.js';
import { Work, type Env, type JsonObject } from '../../../src/sharing/work.js';

export type Obj = JsonObject & { type: string; id: string };

export const CERT_ID = 'identity--0b3c1d5e-7f2a-4c8b-9d0e-1f2a3b4c5d6e';
export const KIAN_IDENTITY = 'identity--5a0e8c1f-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
export const MITRE_ID = 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5';
export const TLP = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  amberStrict: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
  white1: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  red1: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
} as const;

export const KIAN = makeEntity({
  id: 'kian-power',
  names: { en: ['Kian Power Company', 'Kian Power'], fa: ['شرکت برق کیان', 'برق کیان'] },
  aliases: ['KianPowerCo'],
  acronyms: ['KPC'],
  persons: ['Dariush Karimi', 'داریوش کریمی'],
  domains: ['kianpower.ir'],
  emailDomains: ['kian-mail.co.ir'],
  hostnames: ['scada-gw.kianpower.net'],
  cidrs: ['10.20.0.0/16', '185.51.200.0/22', '2a01:5ec0:1000::/36'],
  asNumbers: [204567],
  sector: 'electric-utility',
  country: 'IR',
  identityIds: [KIAN_IDENTITY],
});

/** Six more constituents so that the sector ladder has something to count (k = 5). */
export const REGISTRY: ProtectedRegistry = {
  revision: 7,
  entities: [
    KIAN,
    makeEntity({
      id: 'bright-grid',
      names: { en: ['Bright Grid Holding'], fa: ['هلدینگ شبکه روشن'] },
      sector: 'electric-utility',
    }),
    makeEntity({
      id: 'caspian-fuel',
      names: { en: ['Caspian Fuel Distribution'], fa: [] },
      sector: 'energy',
    }),
    makeEntity({
      id: 'gilan-gas',
      names: { en: ['Gilan Gas Transmission'], fa: [] },
      sector: 'energy',
    }),
    makeEntity({
      id: 'delta-water',
      names: { en: ['Delta Water Works'], fa: [] },
      sector: 'water-utility',
    }),
    makeEntity({
      id: 'east-bank',
      names: { en: ['Eastern Savings Bank'], fa: [] },
      sector: 'bank',
    }),
  ],
  allowedIdentities: [MITRE_ID],
  allowedLocations: [],
  allowedTerms: [],
  ownIdentity: { id: CERT_ID, name: 'Example National CERT' },
  sectorLadder: {
    'electric-utility': 'energy',
    energy: 'critical-infrastructure',
    'water-utility': 'critical-infrastructure',
    bank: 'finance',
  },
};

export const POLICY: SharingPolicy = makePolicy({ id: 'isac', revision: 3, tlpCeiling: 'amber' });
export const MODEL: SharingModel = {
  groups: [
    { id: 'energy-isac', name: 'Energy ISAC', singleOrganization: false, policyId: 'isac' },
    { id: 'vendor-a', name: 'Vendor A', singleOrganization: true, policyId: 'vendor' },
  ],
  policies: [
    POLICY,
    makePolicy({ id: 'vendor', revision: 1, tlpCeiling: 'amber+strict', kAnonymity: 2 }),
  ],
  registry: REGISTRY,
};

export const MASTER = createHash('sha256').update('stixgate test master secret').digest();
export const KEY: AudienceKey = deriveGroupKey(MASTER, 'energy-isac', POLICY.keyEpoch);
export const AUDIENCE: Audience = resolveAudience(MODEL, ['energy-isac'])!;

export const PREPARED = prepareRegistry(REGISTRY);
export const VALIDATOR = createStixValidator();

export function context(overrides: Partial<DeriveContext> = {}): DeriveContext {
  return {
    audience: AUDIENCE,
    tools: { scanner: PREPARED.scanner, validator: VALIDATOR },
    defaultTlp: 'green',
    index: PREPARED.index,
    ...overrides,
  };
}

export function run(
  objects: unknown[],
  overrides: Partial<DeriveContext> = {},
  policy = AUDIENCE.policy,
  key = KEY,
): DeriveResult {
  return derive(policy, REGISTRY, key, objects, context(overrides));
}

/** The served object with this original id (throws when it was withheld). */
export function servedOf(result: DeriveResult, id: string): Obj {
  const s = result.served.find((x) => x.originalId === id);
  if (!s) throw new Error(`${id} was not served: ${JSON.stringify(result.withheld)}`);
  return JSON.parse(s.json) as Obj;
}

export function isWithheld(result: DeriveResult, id: string): boolean {
  return (
    result.withheld.some((w) => w.id === id) && !result.served.some((s) => s.originalId === id)
  );
}

/** An Env for calling one rule directly. */
export function env(overrides: Partial<Env> = {}): Env {
  return {
    policy: AUDIENCE.policy,
    registry: REGISTRY,
    index: PREPARED.index,
    key: KEY,
    audience: AUDIENCE,
    tools: { scanner: PREPARED.scanner, validator: VALIDATOR },
    defaultTlp: 'green',
    nonTlpMarkings: new Set(),
    ...overrides,
  };
}

export function work(obj: Obj): Work {
  return new Work(structuredClone(obj), obj.id, obj.type);
}
