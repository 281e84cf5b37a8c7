// A fictional incident for the sharing HTTP tests: "Kian Power Company" (شرکت برق کیان), an
// electric utility, is attacked from 203.0.113.50 and cdn-updates.badactor.net. Two partner
// groups: g1 (Energy ISAC, ceiling AMBER) and g2 (Vendors, ceiling GREEN). Nothing here is real.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  makeIdentity,
  makeIndicator,
  makeMalware,
  relate,
  type StixObject,
} from '../support/builders.js';

export const SHARED = '77777777-7777-4777-8777-777777777777';
export const VICTIM_ID = 'identity--5a0e8c1f-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
export const CERT_ID = 'identity--0b3c1d5e-7f2a-4c8b-9d0e-1f2a3b4c5d6e';
export const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
export const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
export const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
export const MASTER_SECRET = 'a-test-master-secret-of-at-least-thirty-two-bytes';

/** Every spelling a partner must never receive (names in English and Persian, Arabic letters, domains, internal IPs, ids). */
export const PROTECTED_TERMS = [
  'Kian',
  'kian',
  'KIAN',
  'کیان',
  'كيان',
  'برق',
  'Karimi',
  'Dariush',
  'KPC',
  'kianpower',
  '10.20.',
  VICTIM_ID,
];

export const sharedPath = (rest: string): string => `/api1/collections/${SHARED}/${rest}`;

const green = { object_marking_refs: [GREEN] };

export function buildIncident() {
  const victim = makeIdentity({
    id: VICTIM_ID,
    name: 'Kian Power Company',
    description: 'Operator of the Kian grid; contact Dariush Karimi <d.karimi@kianpower.ir>',
    sectors: ['utilities'],
    ...green,
  });
  const c2 = makeIndicator({
    name: 'C2 address',
    pattern: "[ipv4-addr:value = '203.0.113.50']",
    description:
      'C2 used against شرکت برق کیان (Kian Power) from 203.0.113.50; it reached mail.kianpower.ir at 10.20.3.4',
    ...green,
  });
  const domain = makeIndicator({
    name: 'Update domain',
    pattern: "[domain-name:value = 'cdn-updates.badactor.net']",
    description: 'Staging domain seen by KPC',
    ...green,
  });
  const malware = makeMalware({
    name: 'GridSnake',
    description: 'Implant on the SCADA gateway of KPC',
    modified: '2026-01-01T00:00:00.000Z',
    ...green,
  });
  const malwareV2 = {
    ...malware,
    modified: '2026-02-01T00:00:00.000Z',
    description: 'Updated: Dariush Karimi of Kian Power Company rebuilt the gateway',
  };
  const targets = relate(malware, victim, { relationship_type: 'targets', ...green });
  const indicates = relate(c2, malware, { relationship_type: 'indicates', ...green });
  // AMBER: g1 only. Arabic letters (ك ي) instead of Persian ones.
  const amberNote = makeIndicator({
    name: 'Lateral movement host',
    pattern: "[ipv4-addr:value = '198.51.100.23']",
    description: 'Seen inside شركت برق كيان',
    object_marking_refs: [AMBER],
  });
  const red = makeMalware({ name: 'Red only', object_marking_refs: [RED] });
  // Withheld by content (R7: a non-STIX pattern naming a protected domain), not by metadata.
  const sigma = makeIndicator({
    name: 'Sigma rule',
    pattern_type: 'sigma',
    pattern:
      'title: beacon\ndetection:\n  sel:\n    DestinationHostname: mail.kianpower.ir\n  condition: sel',
    ...green,
  });
  // Refers to objects on other pages, one of them withheld (RED) and one AMBER.
  const report = {
    type: 'report',
    spec_version: '2.1',
    id: 'report--3f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
    created: '2026-02-02T00:00:00.000Z',
    modified: '2026-02-02T00:00:00.000Z',
    name: 'GridSnake campaign',
    published: '2026-02-02T00:00:00.000Z',
    report_types: ['campaign'],
    object_refs: [c2.id, malware.id, targets.id, victim.id, amberNote.id, red.id],
    ...green,
  };
  return {
    victim,
    c2,
    domain,
    malware,
    malwareV2,
    targets,
    indicates,
    amberNote,
    red,
    report,
    sigma,
  };
}

export type Incident = ReturnType<typeof buildIncident>;

/** Posting order; the content-withheld object last so that it sits at the tail of the collection. */
export function postingOrder(i: Incident): StixObject[][] {
  return [
    [i.victim, i.c2, i.domain, i.malware, i.targets, i.indicates],
    [i.malwareV2],
    [i.amberNote],
    [i.red],
    [i.report],
    [i.sigma],
  ];
}

/** Edits of the sharing section for reload tests (the registry revision is never bumped). */
export interface SharingChanges {
  epoch?: number;
  revision?: number;
  alias?: string;
}

export function sharingSection(
  keyFile: string,
  changes: SharingChanges = {},
): Record<string, unknown> {
  return {
    master_key_file: keyFile,
    own_identity: { id: CERT_ID, name: 'Example National CERT' },
    policies: [
      {
        id: 'isac',
        revision: changes.revision ?? 1,
        tlp_ceiling: 'amber',
        key_epoch: changes.epoch ?? 1,
      },
      { id: 'vendors', revision: 1, tlp_ceiling: 'green' },
    ],
    groups: [
      { id: 'g1', name: 'Energy ISAC', policy: 'isac' },
      { id: 'g2', name: 'Vendors', policy: 'vendors' },
    ],
    registry: {
      revision: 1,
      sector_ladder: { 'electric-utility': 'energy' },
      entities: [
        {
          id: 'kian-power',
          names: { en: ['Kian Power Company', 'Kian Power', 'Kian grid'], fa: ['شرکت برق کیان'] },
          acronyms: ['KPC'],
          ...(changes.alias !== undefined && { aliases: [changes.alias] }),
          persons: ['Dariush Karimi'],
          domains: ['kianpower.ir'],
          email_domains: ['kianpower.ir'],
          cidrs: ['10.20.0.0/16'],
          sector: 'electric-utility',
          identity_ids: [VICTIM_ID],
        },
      ],
    },
  };
}

/** `base` is the test server's configuration (TEST_CONFIG); kept a parameter so that scripts need no test harness. */
export function sharingConfig(
  base: { collections: readonly unknown[] } & Record<string, unknown>,
  keyFile: string,
  changes: SharingChanges = {},
): Record<string, unknown> {
  return {
    ...base,
    collections: [
      ...base.collections,
      {
        id: SHARED,
        alias: 'shared',
        title: 'Kian Power incident (internal)',
        partner_title: 'Energy sector indicators',
        // g3 may read the collection but has no sharing policy: it must be served nothing.
        read: { roles: ['analyst'], groups: ['g1', 'g2', 'g3'] },
        write: { roles: ['analyst'], groups: ['g1'] },
      },
    ],
    sharing: sharingSection(keyFile, changes),
  };
}

export async function writeMasterKey(): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'stixgate-sharing-'));
  const file = path.join(dir, 'master.key');
  await writeFile(file, MASTER_SECRET, { mode: 0o600 });
  return { dir, file };
}
