// Red-team of partner reads over real HTTP: a partner (role partner, group token) tries to
// learn a victim's identity, or that something withheld exists, on every surface it can reach.
// Each attempt is one `it`. Every partner response (body and headers) is checked for every
// spelling of the fictional victim "Kian Power Company" (test/http/sharing-incident.ts).
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeEnvelope,
  makeIdentity,
  makeIndicator,
  makeMalware,
  relate,
  nextVersion,
  type StixObject,
} from '../support/builders.js';
import { TEST_CONFIG, startTestServer, type TestServer } from '../support/start-server.js';
import type { TaxiiClient, TaxiiResponse } from '../support/taxii-client.js';
import {
  AMBER,
  CERT_ID,
  GREEN,
  PROTECTED_TERMS,
  RED,
  SHARED,
  VICTIM_ID,
  buildIncident,
  postingOrder,
  sharedPath,
  sharingConfig,
  writeMasterKey,
} from './sharing-incident.js';

type Envelope = { objects?: Record<string, unknown>[]; more?: boolean; next?: string };
type Manifest = {
  objects?: { id: string; date_added: string; version: string }[];
  more?: boolean;
  next?: string;
};

/** Collections of this file (besides the incident's SHARED one), all readable by g1 and g2. */
const WITH_RED = 'a1a1a1a1-0000-4000-8000-000000000001';
const WITHOUT_RED = 'a1a1a1a1-0000-4000-8000-000000000002';
const NO_PARTNER_DESCRIPTION = 'a1a1a1a1-0000-4000-8000-000000000003';
const NO_PARTNER_TITLE = 'a1a1a1a1-0000-4000-8000-000000000004';
const partnersRead = { roles: ['analyst'], groups: ['g1', 'g2'] };
const analystWrite = { roles: ['analyst'], groups: [] };

/** Terms beyond the incident's: the victim's city, street, coordinates, internal user name. */
const MORE_TERMS = ['Rasht', 'Golsar', '37.2808', 'dkarimi', 'internal'];
/** Checked on a normalized copy (case folded, ZWNJ removed, Arabic letters folded). */
const FOLDED_TERMS = ['kian', 'karimi', 'dariush', 'کیان', 'برقکیان', 'kianpower'];

const path = (collection: string, rest: string) => `/api1/collections/${collection}/${rest}`;
const green = { object_marking_refs: [GREEN] };

let server: TestServer;
let keyDir: string;
const incident = buildIncident();

const fold = (text: string): string =>
  text
    .normalize('NFKC')
    .replace(/\u200c|\u200d|\u0640|\u200e|\u200f/g, '')
    .replace(/ك/g, 'ک')
    .replace(/[يى]/g, 'ی')
    .toLowerCase()
    .replace(/\s+/g, '');

/** Asserts no protected term in any byte of a partner response (body and every header). */
function assertClean(res: TaxiiResponse, what: string): void {
  const headerText = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
  // Escaped forms (\uXXXX) decoded: parse and re-serialize the body.
  const decoded = res.body === undefined ? '' : JSON.stringify(res.body);
  for (const text of [res.text, decoded, headerText]) {
    for (const term of [...PROTECTED_TERMS, ...MORE_TERMS])
      expect(text, `${what}: a partner response holds "${term}"`).not.toContain(term);
    const folded = fold(text);
    for (const term of FOLDED_TERMS)
      expect(folded, `${what}: a partner response holds "${term}" (folded)`).not.toContain(term);
  }
}

const asGroup = (group: 'g1' | 'g2', sub = `red-${group}`): TaxiiClient =>
  server.as(server.token({ sub, role: 'partner', groups: [group] }));

async function partnerGet(group: 'g1' | 'g2', url: string): Promise<TaxiiResponse> {
  const res = await asGroup(group).get(url);
  assertClean(res, `${group} GET ${url}`);
  return res;
}

async function served(group: 'g1' | 'g2', query = '?match[version]=all') {
  const res = await partnerGet(group, sharedPath(`objects/${query}`));
  expect(res.status).toBe(200);
  return (res.body as Envelope).objects ?? [];
}

async function post(collection: string, ...objects: unknown[]): Promise<void> {
  const res = await server.client.post(path(collection, 'objects/'), makeEnvelope(...objects));
  expect(res.status, res.text).toBe(202);
  expect((res.body as { failure_count: number }).failure_count, res.text).toBe(0);
}

/** Headers minus the ones that differ per request. */
function stableHeaders(res: TaxiiResponse): [string, string][] {
  return [...res.headers.entries()].filter(
    ([k]) => !['date', 'x-request-id'].includes(k.toLowerCase()),
  );
}

function expectSameAnswer(a: TaxiiResponse, b: TaxiiResponse, aId: string, bId: string): void {
  expect(a.status).toBe(b.status);
  expect(a.text.split(aId).join(bId)).toBe(b.text);
  expect(stableHeaders(a)).toEqual(stableHeaders(b));
}

const randomId = (type: string) => `${type}--${randomUUID()}`;

// --- planted objects (all GREEN, in SHARED) ------------------------------------------------

const ATTACKER_IP = '203.0.113.77';
const attackPatternWithRef = {
  type: 'attack-pattern',
  spec_version: '2.1',
  id: randomId('attack-pattern'),
  created: '2026-03-01T00:00:00.000Z',
  modified: '2026-03-01T00:00:00.000Z',
  name: 'Exploit Public-Facing Application',
  external_references: [
    {
      source_name: 'mitre-attack',
      external_id: 'T1190',
      description: 'Used against the Kian Power Company VPN',
    },
    {
      source_name: 'internal-ticket',
      external_id: 'KPC-4411',
      url: 'https://jira.kianpower.ir/4411',
    },
  ],
  ...green,
};
const malwareKillChain = makeMalware({
  name: 'GridSnake loader',
  kill_chain_phases: [
    { kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'kian-power-recon' },
    { kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'delivery' },
  ],
  ...green,
});
const customProperty = makeIndicator({
  pattern: `[ipv4-addr:value = '${ATTACKER_IP}']`,
  x_victim_org: 'Kian Power Company',
  ...green,
});
const EXTENSION = 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e';
const withExtension = makeIndicator({
  pattern: "[ipv4-addr:value = '203.0.113.78']",
  extensions: {
    [EXTENSION]: { extension_type: 'property-extension', victim_contact: 'Dariush Karimi' },
  },
  ...green,
});
const persianNote = {
  type: 'note',
  spec_version: '2.1',
  id: randomId('note'),
  created: '2026-03-02T00:00:00.000Z',
  modified: '2026-03-02T00:00:00.000Z',
  // ZWNJ inside the name, Arabic kaf and yeh instead of Persian ones.
  content: `نفوذ به شرکت\u200cبرق\u200cكيان از ${ATTACKER_IP}`,
  object_refs: [incident.c2.id],
  ...green,
};
const orPattern = makeIndicator({
  pattern: `[ipv4-addr:value = '203.0.113.79'] OR [domain-name:value = 'mail.kianpower.ir']`,
  ...green,
});
const matchesPattern = makeIndicator({
  pattern: `[url:value MATCHES '^https?://portal\\\\.kianpower\\\\.ir/.*'] OR [url:value = 'http://cdn-updates.badactor.net/a.bin']`,
  ...green,
});
const windowsPath = makeIndicator({
  pattern: `[file:name = 'C:\\\\Users\\\\dkarimi\\\\KianPowerCo\\\\svc.dll'] OR [file:hashes.'SHA-256' = '${'ab'.repeat(32)}']`,
  ...green,
});
const victimEmail = {
  type: 'email-addr',
  spec_version: '2.1',
  id: randomId('email-addr'),
  value: 'd.karimi@kianpower.ir',
};
const attackerEmail = {
  type: 'email-addr',
  spec_version: '2.1',
  id: randomId('email-addr'),
  value: 'ops@badactor.net',
};
const victimUrl = {
  type: 'url',
  spec_version: '2.1',
  id: randomId('url'),
  value: 'https://portal.kianpower.ir/login',
};
const attackerUrl = {
  type: 'url',
  spec_version: '2.1',
  id: randomId('url'),
  value: 'http://cdn-updates.badactor.net/a.bin',
};
const victimIp = {
  type: 'ipv4-addr',
  spec_version: '2.1',
  id: randomId('ipv4-addr'),
  value: '10.20.3.4',
};
const attackerIp = {
  type: 'ipv4-addr',
  spec_version: '2.1',
  id: randomId('ipv4-addr'),
  value: ATTACKER_IP,
};
const authoredByVictim = makeIndicator({
  pattern: "[ipv4-addr:value = '203.0.113.80']",
  created_by_ref: VICTIM_ID,
  ...green,
});
const sighting = {
  type: 'sighting',
  spec_version: '2.1',
  id: randomId('sighting'),
  created: '2026-03-03T00:00:00.000Z',
  modified: '2026-03-03T00:00:00.000Z',
  sighting_of_ref: incident.c2.id,
  where_sighted_refs: [VICTIM_ID],
  count: 37,
  ...green,
};
const victimLocation = {
  type: 'location',
  spec_version: '2.1',
  id: randomId('location'),
  created: '2026-03-04T00:00:00.000Z',
  modified: '2026-03-04T00:00:00.000Z',
  name: 'Kian Power HQ',
  street_address: '12 Golsar Blvd',
  city: 'Rasht',
  country: 'IR',
  region: 'southern-asia',
  latitude: 37.2808,
  longitude: 49.5832,
  ...green,
};
const locatedAt = relate(incident.victim, victimLocation as StixObject, {
  relationship_type: 'located-at',
  ...green,
});
const mixedReport = {
  type: 'report',
  spec_version: '2.1',
  id: randomId('report'),
  created: '2026-03-05T00:00:00.000Z',
  modified: '2026-03-05T00:00:00.000Z',
  name: 'GridSnake infrastructure',
  published: '2026-03-05T00:00:00.000Z',
  report_types: ['threat-report'],
  object_refs: [
    VICTIM_ID,
    victimIp.id,
    victimUrl.id,
    attackerIp.id,
    attackerUrl.id,
    incident.c2.id,
  ],
  ...green,
};
const granular = makeIndicator({
  name: 'Beacon',
  pattern: "[ipv4-addr:value = '203.0.113.81']",
  description: 'Beacon seen at Kian Power',
  granular_markings: [{ marking_ref: RED, selectors: ['description'] }],
  ...green,
});
const granularAmber = makeIndicator({
  name: 'Beacon two',
  pattern: "[ipv4-addr:value = '203.0.113.82']",
  description: 'Reported by KPC staff',
  granular_markings: [{ marking_ref: AMBER, selectors: ['description'] }],
  ...green,
});
// Older version RED (withheld), later version GREEN.
const redThenGreenV1 = makeMalware({
  name: 'Flicker',
  description: 'First seen at Kian Power',
  modified: '2026-01-10T00:00:00.000Z',
  object_marking_refs: [RED],
});
const redThenGreenV2 = nextVersion(redThenGreenV1 as StixObject, '2026-01-20T00:00:00.000Z', {
  description: 'A loader',
  object_marking_refs: [GREEN],
});

// Older version GREEN, newer version RED.
const greenThenRedV1 = makeMalware({
  name: 'Ember',
  modified: '2026-01-10T00:00:00.000Z',
  ...green,
});
const greenThenRedV2 = nextVersion(greenThenRedV1, '2026-01-20T00:00:00.000Z', {
  object_marking_refs: [RED],
});

const planted = [
  attackPatternWithRef,
  malwareKillChain,
  customProperty,
  withExtension,
  persianNote,
  orPattern,
  matchesPattern,
  windowsPath,
  victimEmail,
  attackerEmail,
  victimUrl,
  attackerUrl,
  victimIp,
  attackerIp,
  authoredByVictim,
  sighting,
  victimLocation,
  locatedAt,
  mixedReport,
  granular,
  granularAmber,
  redThenGreenV1,
  redThenGreenV2,
  greenThenRedV1,
  greenThenRedV2,
];

// --- the withheld-identity collections --------------------------------------------------------

const greenIdentityA = makeIdentity({
  name: 'Threat actor persona A',
  identity_class: 'individual',
  ...green,
});
const greenIdentityB = makeIdentity({
  name: 'Threat actor persona B',
  identity_class: 'individual',
  ...green,
});
const redIdentity = makeIdentity({ name: 'Kian Power Company', object_marking_refs: [RED] });

beforeAll(async () => {
  const key = await writeMasterKey();
  keyDir = key.dir;
  const config = sharingConfig(TEST_CONFIG, key.file);
  const collections = config.collections as Record<string, unknown>[];
  config.collections = [
    ...collections,
    {
      id: WITH_RED,
      title: 'With red',
      read: partnersRead,
      write: analystWrite,
      partner_title: 'Feed A',
    },
    {
      id: WITHOUT_RED,
      title: 'Without red',
      read: partnersRead,
      write: analystWrite,
      partner_title: 'Feed B',
    },
    {
      id: NO_PARTNER_DESCRIPTION,
      title: 'KPC internal notes',
      description: 'Notes of the Kian Power Company intrusion (internal)',
      partner_title: 'Energy notes',
      read: partnersRead,
      write: analystWrite,
    },
    {
      id: NO_PARTNER_TITLE,
      title: 'Kian Power raw evidence',
      description: 'internal only',
      read: partnersRead,
      write: analystWrite,
    },
  ];
  server = await startTestServer({ config });
  for (const batch of postingOrder(incident)) await post(SHARED, ...batch);
  for (const o of planted) await post(SHARED, o);
  // Same served content; WITH_RED also holds a RED identity between the two green ones.
  await post(WITH_RED, greenIdentityA);
  await post(WITH_RED, redIdentity);
  await post(WITH_RED, greenIdentityB);
  await post(WITHOUT_RED, greenIdentityA);
  await post(WITHOUT_RED, greenIdentityB);
});

afterAll(async () => {
  await server?.close();
  if (keyDir) await rm(keyDir, { recursive: true, force: true });
});

const find = (objects: Record<string, unknown>[], id: string) => objects.find((o) => o.id === id);

describe('collection resources (R12)', () => {
  it('shows partners the partner title of the incident collection, never the internal one', async () => {
    for (const group of ['g1', 'g2'] as const) {
      const one = await partnerGet(group, `/api1/collections/${SHARED}/`);
      expect((one.body as { title: string }).title).toBe('Energy sector indicators');
    }
  });

  // Was a leak (fixed with this test): src/taxii/collections.ts fell back to the internal
  // description (and title) when partner_description (partner_title) was not set.
  it('does not show partners an internal description or title when no partner field is set', async () => {
    await partnerGet('g1', '/api1/collections/');
    const notes = await partnerGet('g1', `/api1/collections/${NO_PARTNER_DESCRIPTION}/`);
    expect(notes.body).toMatchObject({ title: 'Energy notes' });
    expect((notes.body as { description?: string }).description).toBeUndefined();
    const raw = await partnerGet('g1', `/api1/collections/${NO_PARTNER_TITLE}/`);
    expect(raw.body).toMatchObject({ title: 'Shared collection' });
    expect((raw.body as { description?: string }).description).toBeUndefined();
    // Analysts still see the internal fields.
    const internal = await server.client.get(`/api1/collections/${NO_PARTNER_TITLE}/`);
    expect(internal.body).toMatchObject({ title: 'Kian Power raw evidence' });
  });
});

describe('errors and lookups by id', () => {
  const surfaces = (id: string) => [
    sharedPath(`objects/${id}/`),
    sharedPath(`objects/${id}/versions/`),
    sharedPath(`objects/${id}/?match[version]=all`),
    sharedPath(`objects/?match[id]=${id}`),
    sharedPath(`manifest/?match[id]=${id}`),
  ];

  it('answers for the original id of the pseudonymized victim byte for byte like a random id (body and headers)', async () => {
    const random = randomId('identity');
    const a = surfaces(VICTIM_ID);
    const b = surfaces(random);
    for (let i = 0; i < a.length; i++)
      expectSameAnswer(
        await partnerGet('g1', a[i]!),
        await partnerGet('g1', b[i]!),
        VICTIM_ID,
        random,
      );
  });

  it('answers for a withheld (RED) object byte for byte like a random id (body and headers)', async () => {
    const random = randomId('malware');
    const a = surfaces(incident.red.id);
    const b = surfaces(random);
    for (let i = 0; i < a.length; i++)
      expectSameAnswer(
        await partnerGet('g2', a[i]!),
        await partnerGet('g2', b[i]!),
        incident.red.id,
        random,
      );
  });

  it('answers match[id] with the original victim id mixed with a served id like a random id mixed with it', async () => {
    const random = randomId('identity');
    const named = await partnerGet(
      'g1',
      sharedPath(`objects/?match[id]=${VICTIM_ID},${incident.c2.id}`),
    );
    const absent = await partnerGet(
      'g1',
      sharedPath(`objects/?match[id]=${random},${incident.c2.id}`),
    );
    expectSameAnswer(named, absent, VICTIM_ID, random);
    expect((named.body as Envelope).objects!.map((o) => o.id)).toEqual([incident.c2.id]);
  });
});

describe('withheld objects leave no trace in listings', () => {
  async function listing(collection: string, query: string) {
    const res = await partnerGet('g2', path(collection, query));
    expect(res.status).toBe(200);
    return res;
  }

  it('match[type]=identity: same objects, more, and date headers naming served objects only', async () => {
    const withRed = await listing(WITH_RED, 'objects/?match[type]=identity');
    const without = await listing(WITHOUT_RED, 'objects/?match[type]=identity');
    // Every identity not allow-listed is pseudonymized (R3): same ids in both collections.
    const ids = (r: TaxiiResponse) => ((r.body as Envelope).objects ?? []).map((o) => o.id);
    expect(ids(withRed)).toHaveLength(2);
    expect(ids(withRed)).toEqual(ids(without));
    expect((withRed.body as Envelope).more).toBe((without.body as Envelope).more);
    const manifest = ((await listing(WITH_RED, 'manifest/')).body as Manifest).objects!;
    expect(manifest.map((m) => m.id)).toEqual(ids(withRed));
    expect(withRed.headers.get('x-taxii-date-added-first')).toBe(manifest[0]!.date_added);
    expect(withRed.headers.get('x-taxii-date-added-last')).toBe(manifest[1]!.date_added);
  });

  it('match[type]=identity&limit=1 pages the same way with and without the withheld identity', async () => {
    const pages: unknown[][] = [];
    for (const collection of [WITH_RED, WITHOUT_RED]) {
      const first = await listing(collection, 'objects/?match[type]=identity&limit=1');
      const body = first.body as Envelope;
      expect(body.objects).toHaveLength(1);
      expect(body.more).toBe(true);
      const second = await listing(
        collection,
        `objects/?match[type]=identity&limit=1&next=${encodeURIComponent(body.next!)}`,
      );
      const body2 = second.body as Envelope;
      expect(body2.objects).toHaveLength(1);
      expect(body2.more).toBe(false);
      expect(body2.next).toBeUndefined();
      pages.push([body.objects, body2.objects]);
    }
    expect(pages[0]).toEqual(pages[1]);
  });

  it('next cursors decode to no object id, original or served', async () => {
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const q = next === undefined ? '' : `&next=${encodeURIComponent(next)}`;
      const res = await partnerGet('g1', sharedPath(`objects/?limit=3${q}`));
      const body = res.body as Envelope;
      seen.push(...(body.objects ?? []).map((o) => o.id as string));
      next = body.more === true ? body.next : undefined;
      if (next !== undefined) {
        for (const decoded of [
          Buffer.from(next, 'base64').toString('latin1'),
          Buffer.from(next, 'base64url').toString('latin1'),
          decodeURIComponent(next),
        ]) {
          expect(decoded).not.toMatch(/--[0-9a-f]{8}-/);
          for (const id of [VICTIM_ID, incident.red.id, incident.sigma.id, ...seen])
            expect(decoded).not.toContain(id);
          assertClean(
            { status: 200, headers: new Headers(), text: decoded, body: undefined },
            'cursor',
          );
        }
      }
      pages += 1;
    } while (next !== undefined && pages < 30);
    expect(pages).toBeGreaterThan(2);
  });

  it('manifest of the pseudonymized victim: served id, version = served modified, no original id', async () => {
    const objects = await served('g1', '');
    const victim = objects.find((o) => o.type === 'identity' && o.id !== CERT_ID)!;
    const res = await partnerGet('g1', sharedPath('manifest/'));
    const entry = (res.body as Manifest).objects!.find((m) => m.id === victim.id)!;
    expect(entry).toBeDefined();
    expect(entry.version).toBe(
      new Date(Date.parse(victim.modified as string)).toISOString().replace('Z', '000Z'),
    );
    expect(res.text).not.toContain(VICTIM_ID);
  });

  // An object with any version above the partner's ceiling is withheld whole (all versions, every
  // surface): serving only its visible versions let match[version]=first|last|all disagree and
  // revealed that a hidden version exists (found here, fixed in src/partner/visibility.ts).
  const versionSurfaces = (id: string) => [
    sharedPath(`objects/${id}/`),
    sharedPath(`objects/${id}/versions/`),
    sharedPath(`objects/${id}/?match[version]=all`),
    sharedPath(`objects/${id}/?match[version]=first`),
    sharedPath(`objects/${id}/?match[version]=last`),
    sharedPath(`objects/?match[id]=${id}&match[version]=all`),
    sharedPath(`manifest/?match[id]=${id}&match[version]=all`),
  ];

  it('answers for an object whose older version is RED byte for byte like a random id, on every version surface', async () => {
    const random = randomId(redThenGreenV1.type as string);
    const a = versionSurfaces(redThenGreenV1.id as string);
    const b = versionSurfaces(random);
    for (let i = 0; i < a.length; i++)
      expectSameAnswer(
        await partnerGet('g1', a[i]!),
        await partnerGet('g1', b[i]!),
        redThenGreenV1.id as string,
        random,
      );
  });

  it('answers for an object whose newest version is RED byte for byte like a random id, on every version surface', async () => {
    const random = randomId(greenThenRedV1.type as string);
    const a = versionSurfaces(greenThenRedV1.id as string);
    const b = versionSurfaces(random);
    for (let i = 0; i < a.length; i++)
      expectSameAnswer(
        await partnerGet('g1', a[i]!),
        await partnerGet('g1', b[i]!),
        greenThenRedV1.id as string,
        random,
      );
  });
});

describe("the partner's own POST", () => {
  it("status of a partner's POST referencing the victim's and a withheld object's ids names only its own objects", async () => {
    const client = asGroup('g1');
    const mine = {
      type: 'sighting',
      spec_version: '2.1',
      id: randomId('sighting'),
      created: '2026-04-01T00:00:00.000Z',
      modified: '2026-04-01T00:00:00.000Z',
      sighting_of_ref: incident.red.id,
      where_sighted_refs: [VICTIM_ID],
    };
    const res = await client.post(sharedPath('objects/'), makeEnvelope(mine));
    assertClean(res, 'partner POST');
    expect(res.status).toBe(202);
    const statusId = (res.body as { id: string }).id;
    const status = await partnerGet('g1', `/api1/status/${statusId}/`);
    expect(status.status).toBe(200);
    expect(status.text).not.toContain(incident.red.id);
    expect((status.body as { success_count: number }).success_count).toBe(1);
  });

  it("answers a partner's POST of an SCO the CERT already holds (computable id) like a fresh one", async () => {
    const client = asGroup('g1');
    const fresh = { ...victimIp, id: randomId('ipv4-addr'), value: '10.20.3.99' };
    const statusOf = async (r: TaxiiResponse) =>
      partnerGet('g1', `/api1/status/${(r.body as { id: string }).id}/`);
    const known = await statusOf(await client.post(sharedPath('objects/'), makeEnvelope(victimIp)));
    const other = await statusOf(await client.post(sharedPath('objects/'), makeEnvelope(fresh)));
    const shape = (s: TaxiiResponse) => {
      const body = s.body as { successes: { id: string; version: string; message?: string }[] };
      return body.successes.map((d) => ({
        message: d.message,
        versionIsRecent: d.version > '2026-11',
      }));
    };
    expect(shape(known)).toEqual(shape(other));
    expect(known.text).not.toContain('duplicate');
  });

  it.fails(
    // LEAK (existence oracle through writes): a partner that POSTs an object with the id and
    // version of a stored object it cannot see gets `conflict` (different bytes), while a
    // random id is `added`; src/taxii/ingest.ts reports store outcomes to partners unmasked.
    "answers a partner's POST reusing the id and version of a withheld object like one with a random id",
    async () => {
      const client = asGroup('g1');
      const random = randomId('malware');
      const guess = (id: string) => ({
        ...incident.red,
        id,
        name: 'Probe',
        object_marking_refs: [GREEN],
      });
      const a = await client.post(sharedPath('objects/'), makeEnvelope(guess(incident.red.id)));
      const b = await client.post(sharedPath('objects/'), makeEnvelope(guess(random)));
      const statusOf = async (r: TaxiiResponse) =>
        partnerGet('g1', `/api1/status/${(r.body as { id: string }).id}/`);
      const sa = await statusOf(a);
      const sb = await statusOf(b);
      const strip = (s: TaxiiResponse) =>
        JSON.stringify({
          ...(s.body as Record<string, unknown>),
          id: undefined,
          request_timestamp: undefined,
        });
      expect(strip(sa).split(incident.red.id).join(random)).toBe(strip(sb));
    },
  );
});

describe('victim names planted in fields', () => {
  it('external_references[].description: allow-listed source redacted, internal source dropped', async () => {
    const o = find(await served('g1'), attackPatternWithRef.id)!;
    const refs = o.external_references as Record<string, unknown>[];
    expect(refs.map((r) => r.source_name)).toEqual(['mitre-attack']);
    expect(refs[0]!.external_id).toBe('T1190');
  });

  it('kill_chain_phases[].phase_name', async () => {
    const o = find(await served('g1'), malwareKillChain.id);
    // The malware is served: its victim-named phase redacted, the attacker's delivery kept.
    expect(o).toBeDefined();
    const phases = (o!.kill_chain_phases as { phase_name: string }[]).map((p) => p.phase_name);
    expect(phases).toContain('delivery');
    expect(JSON.stringify(phases).toLowerCase()).not.toContain('kian');
  });

  it('an x_ custom property is dropped, the attacker indicator intact', async () => {
    const o = find(await served('g1'), customProperty.id)!;
    expect(o.x_victim_org).toBeUndefined();
    expect(o.pattern).toBe(customProperty.pattern);
  });

  it('an extension property is dropped, the attacker indicator intact', async () => {
    const o = find(await served('g1'), withExtension.id)!;
    expect(o.extensions).toBeUndefined();
    expect(o.pattern).toBe(withExtension.pattern);
  });

  it('note.content in Persian with ZWNJ and Arabic letters is redacted, the attacker IP kept', async () => {
    for (const group of ['g1', 'g2'] as const) {
      const o = find(await served(group), persianNote.id)!;
      expect(o.content).toContain(ATTACKER_IP);
      expect(o.content).toMatch(/Victim-[A-Z2-7]{8}|REDACTED/);
    }
  });

  it('an indicator pattern naming a victim domain in an OR branch keeps only the attacker branch', async () => {
    const o = find(await served('g1'), orPattern.id);
    expect(o).toBeDefined();
    expect(o!.pattern).toBe("[ipv4-addr:value = '203.0.113.79']");
  });

  it('a MATCHES regex on a victim domain is removed, the attacker URL kept', async () => {
    const o = find(await served('g1'), matchesPattern.id);
    expect(o).toBeDefined();
    expect(o!.pattern).toBe("[url:value = 'http://cdn-updates.badactor.net/a.bin']");
  });

  it('a file:name with a Windows path naming the victim is removed, the attacker hash kept', async () => {
    const o = find(await served('g1'), windowsPath.id);
    expect(o).toBeDefined();
    expect(o!.pattern).toBe(`[file:hashes.'SHA-256' = '${'ab'.repeat(32)}']`);
  });

  it('an email-addr SCO in a protected email domain is mapped away, the attacker email kept', async () => {
    const objects = await served('g1');
    expect(find(objects, victimEmail.id)).toBeUndefined();
    expect(find(objects, attackerEmail.id)!.value).toBe('ops@badactor.net');
    const mapped = objects.filter((o) => o.type === 'email-addr').map((o) => o.value as string);
    expect(mapped.some((v) => v.endsWith('.example'))).toBe(true);
  });

  it('a url SCO on a protected domain is mapped away, the attacker url kept', async () => {
    const objects = await served('g1');
    expect(find(objects, victimUrl.id)).toBeUndefined();
    expect(find(objects, attackerUrl.id)!.value).toBe('http://cdn-updates.badactor.net/a.bin');
  });

  it('an ipv4 in a protected CIDR is mapped into documentation space, the attacker ip kept', async () => {
    const objects = await served('g1');
    expect(find(objects, victimIp.id)).toBeUndefined();
    expect(find(objects, attackerIp.id)!.value).toBe(ATTACKER_IP);
  });

  it('created_by_ref to the victim identity becomes the CERT', async () => {
    const o = find(await served('g1'), authoredByVictim.id)!;
    expect(o.created_by_ref === undefined || o.created_by_ref === CERT_ID).toBe(true);
    expect(o.pattern).toBe(authoredByVictim.pattern);
  });

  it('sighting.where_sighted_refs names the pseudonymous victim, count bucketed', async () => {
    const objects = await served('g1');
    const o = find(objects, sighting.id)!;
    const victim = objects.find((x) => x.type === 'identity' && x.id !== CERT_ID)!;
    expect(o.where_sighted_refs).toEqual([victim.id]);
    expect(o.count).toBe(10);
    expect(o.sighting_of_ref).toBe(incident.c2.id);
  });

  it("the victim's location keeps only country and region under a pseudonymous id", async () => {
    const objects = await served('g1');
    expect(find(objects, victimLocation.id)).toBeUndefined();
    const locations = objects.filter((o) => o.type === 'location');
    expect(locations).toHaveLength(1);
    expect(Object.keys(locations[0]!).sort()).not.toContain('latitude');
    expect(locations[0]!.country).toBe('IR');
  });

  it('report.object_refs mixing victim and attacker objects: served ids only, attacker refs kept', async () => {
    const objects = await served('g1');
    const report = find(objects, mixedReport.id)!;
    const refs = report.object_refs as string[];
    expect(refs).toContain(attackerIp.id);
    expect(refs).toContain(attackerUrl.id);
    expect(refs).toContain(incident.c2.id);
    expect(refs).not.toContain(VICTIM_ID);
    expect(refs).not.toContain(victimIp.id);
    expect(refs).not.toContain(victimUrl.id);
    const servedIds = new Set(objects.map((o) => o.id));
    for (const ref of refs) expect(servedIds.has(ref)).toBe(true);
  });

  it('a granular RED marking on the description drops it, the pattern kept', async () => {
    const o = find(await served('g1'), granular.id)!;
    expect(o.description).toBeUndefined();
    expect(o.pattern).toBe(granular.pattern);
    expect(JSON.stringify(o)).not.toContain(RED);
  });

  it('a granular AMBER marking above a GREEN ceiling drops the field for g2 only', async () => {
    const g2 = find(await served('g2'), granularAmber.id)!;
    expect(g2.description).toBeUndefined();
    expect(g2.pattern).toBe(granularAmber.pattern);
    const g1 = find(await served('g1'), granularAmber.id)!;
    expect(g1.description).toMatch(/Victim-[A-Z2-7]{8}|REDACTED/);
  });

  it('never sends a protected term on the whole collection, every version, both groups', async () => {
    for (const group of ['g1', 'g2'] as const) {
      await partnerGet(group, sharedPath('objects/?match[version]=all'));
      await partnerGet(group, sharedPath('manifest/?match[version]=all'));
      for (const o of planted) {
        await partnerGet(group, sharedPath(`objects/${o.id}/`));
        await partnerGet(group, sharedPath(`objects/${o.id}/versions/`));
      }
    }
  }, 120_000);
});
