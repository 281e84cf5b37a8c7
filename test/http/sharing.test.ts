// Partner reads through the sharing engine over real HTTP: consistent per-group pseudonyms,
// withheld objects answering like missing ones on every surface, older versions derived like
// the latest, audit events without matched text, analysts still reading raw.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeEnvelope,
  makeIdentity,
  makeIndicator,
  makeMalware,
  relate,
} from '../support/builders.js';
import { TEST_CONFIG, startTestServer, type TestServer } from '../support/start-server.js';

const SHARED = '77777777-7777-4777-8777-777777777777';
const VICTIM_ID = 'identity--5a0e8c1f-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
const CERT_ID = 'identity--0b3c1d5e-7f2a-4c8b-9d0e-1f2a3b4c5d6e';
const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const path_ = (rest: string): string => `/api1/collections/${SHARED}/${rest}`;

let server: TestServer;
let keyDir: string;

const victim = makeIdentity({
  id: VICTIM_ID,
  name: 'Kian Power Company',
  description: 'contact Dariush Karimi',
});
const indicator = makeIndicator({
  pattern: "[ipv4-addr:value = '203.0.113.50']",
  description: 'C2 seen at Kian Power',
});
const malware = makeMalware({
  description: 'Implant on the SCADA gateway of KPC',
  modified: '2026-01-01T00:00:00.000Z',
});
const malwareV2 = {
  ...malware,
  modified: '2026-02-01T00:00:00.000Z',
  description: 'Updated: Kian Power Company rebuilt the gateway',
};
const targets = relate(malware, victim, { relationship_type: 'targets' });
const secret = makeMalware({ name: 'Red only', object_marking_refs: [RED] });

function sharingSection(keyFile: string): Record<string, unknown> {
  return {
    master_key_file: keyFile,
    own_identity: { id: CERT_ID, name: 'Example National CERT' },
    policies: [{ id: 'p1', revision: 1, tlp_ceiling: 'amber' }],
    groups: [
      { id: 'g1', name: 'Energy ISAC', policy: 'p1' },
      { id: 'g2', name: 'Vendors', policy: 'p1' },
    ],
    registry: {
      revision: 1,
      sector_ladder: { 'electric-utility': 'energy' },
      entities: [
        {
          id: 'kian-power',
          names: { en: ['Kian Power Company', 'Kian Power'], fa: ['شرکت برق کیان'] },
          acronyms: ['KPC'],
          persons: ['Dariush Karimi'],
          domains: ['kianpower.ir'],
          cidrs: ['10.20.0.0/16'],
          sector: 'electric-utility',
          identity_ids: [VICTIM_ID],
        },
      ],
    },
  };
}

beforeAll(async () => {
  keyDir = await mkdtemp(path.join(os.tmpdir(), 'stixgate-sharing-'));
  const keyFile = path.join(keyDir, 'master.key');
  await writeFile(keyFile, 'a-test-master-secret-of-at-least-thirty-two-bytes', { mode: 0o600 });
  // The production wiring (main.ts): no partnerReadView given.
  server = await startTestServer({
    config: {
      ...TEST_CONFIG,
      collections: [
        ...TEST_CONFIG.collections,
        {
          id: SHARED,
          alias: 'shared',
          title: 'Kian Power incident (internal)',
          partner_title: 'Energy sector indicators',
          read: { roles: ['analyst'], groups: ['g1', 'g2'] },
          write: { roles: ['analyst'], groups: [] },
        },
      ],
      sharing: sharingSection(keyFile),
    },
  });
  const posted = await server.client.post(
    path_('objects/'),
    makeEnvelope(victim, indicator, malware, targets),
  );
  expect(posted.status).toBe(202);
  expect((await server.client.post(path_('objects/'), makeEnvelope(malwareV2))).status).toBe(202);
  expect((await server.client.post(path_('objects/'), makeEnvelope(secret))).status).toBe(202);
});

afterAll(async () => {
  await server?.close();
  await rm(keyDir, { recursive: true, force: true });
});

const g1 = (): ReturnType<TestServer['as']> =>
  server.as(server.token({ sub: 'soc-1', role: 'partner', groups: ['g1'] }));
const g2 = (): ReturnType<TestServer['as']> =>
  server.as(server.token({ sub: 'soc-2', role: 'partner', groups: ['g2'] }));

type Envelope = { objects?: Record<string, unknown>[]; more?: boolean };

describe('partner reads through the sharing engine', () => {
  it('serves the attacker side intact and no victim name', async () => {
    const res = await g1().get(path_('objects/'));
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/Kian|Karimi|KPC/);
    const objects = (res.body as Envelope).objects!;
    const served = objects.find((o) => o.id === indicator.id)!;
    expect(served.pattern).toBe(indicator.pattern);
  });

  it('gives each group its own consistent pseudonyms', async () => {
    const idsOf = async (client: ReturnType<TestServer['as']>): Promise<string[]> =>
      ((await client.get(path_('objects/'))).body as Envelope)
        .objects!.filter((o) => o.type === 'identity')
        .map((o) => o.id as string);
    const [a1, a2, b] = [await idsOf(g1()), await idsOf(g1()), await idsOf(g2())];
    expect(a1).toHaveLength(1);
    expect(a1).toEqual(a2);
    expect(b).toHaveLength(1);
    expect(a1[0]).not.toBe(b[0]);
    expect(a1[0]).not.toBe(VICTIM_ID);
    const rel = ((await g1().get(path_('objects/'))).body as Envelope).objects!.find(
      (o) => o.type === 'relationship',
    )!;
    expect(rel.target_ref).toBe(a1[0]);
  });

  it('answers for a withheld object exactly like for a missing one', async () => {
    const missing = 'malware--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
    for (const rest of [`objects/${secret.id}/`, `objects/${secret.id}/versions/`]) {
      const withheld = await g1().get(path_(rest));
      const absent = await g1().get(path_(rest.replace(secret.id, missing)));
      expect(withheld.status).toBe(404);
      expect(withheld.status).toBe(absent.status);
      expect(withheld.text.replace(secret.id, missing)).toBe(absent.text);
    }
  });

  it('never lists a withheld object in objects, manifest or headers', async () => {
    const objects = await g1().get(path_('objects/'));
    const manifest = await g1().get(path_('manifest/'));
    expect(objects.text).not.toContain(secret.id);
    expect(manifest.text).not.toContain(secret.id);
    const raw = await server.client.get(path_('objects/'));
    // The analyst's last object is the RED one; the partner's header stops before it.
    expect(objects.headers.get('x-taxii-date-added-last')).not.toBe(
      raw.headers.get('x-taxii-date-added-last'),
    );
  });

  it('derives older versions like the latest', async () => {
    const all = await g1().get(path_(`objects/${malware.id}/?match[version]=all`));
    const versions = (all.body as Envelope).objects!;
    expect(versions.map((v) => v.modified)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
    ]);
    expect(all.text).not.toMatch(/Kian|KPC/);
    const listed = await g1().get(path_(`objects/${malware.id}/versions/`));
    expect((listed.body as { versions: string[] }).versions).toHaveLength(2);
  });

  it('audits each partner read with ids and rule hits, never the matched text', async () => {
    await g1().get(path_('objects/'));
    // Partner reads are audited in batches; the admin endpoint flushes them before reading.
    expect(
      (
        await server
          .as(server.tokens.admin)
          .get('/admin/audit?limit=1', { accept: 'application/json' })
      ).status,
    ).toBe(200);
    const records = await server.store.queryAudit({
      action: 'objects.read',
      collectionId: SHARED,
      limit: 100,
    });
    expect(records.length).toBeGreaterThan(0);
    const last = records.at(-1)!;
    expect(last.actor).toBe('soc-1');
    expect(last.groupId).toBe('g1');
    expect(last.policyRevision).toBe(1);
    expect(last.served?.some((s) => s.original === VICTIM_ID && s.derived !== VICTIM_ID)).toBe(
      true,
    );
    expect(last.ruleHits?.some((h) => h.rule === 'R6' && h.path === 'description')).toBe(true);
    expect(JSON.stringify(records)).not.toMatch(/Kian|Karimi|KPC/);
  });

  it('still serves analysts raw', async () => {
    const res = await server.client.get(path_(`objects/${VICTIM_ID}/`));
    expect((res.body as Envelope).objects![0]!.name).toBe('Kian Power Company');
  });
});

describe('configuration reload', () => {
  it("rotates a group's pseudonyms when its key epoch changes", async () => {
    const victimId = async (): Promise<string> =>
      ((await g1().get(path_('objects/'))).body as Envelope).objects!.find(
        (o) => o.type === 'identity',
      )!.id as string;
    const before = await victimId();
    const file = path.join(server.dataDir, 'stixgate.json');
    const config = JSON.parse(await readFile(file, 'utf8')) as {
      sharing: { policies: Record<string, unknown>[] };
    };
    config.sharing.policies[0]!.key_epoch = 2;
    config.sharing.policies[0]!.revision = 2;
    await writeFile(file, JSON.stringify(config));
    await server.running.reload();
    const after = await victimId();
    expect(after).not.toBe(before);
    expect(after).not.toBe(VICTIM_ID);
  });
});
