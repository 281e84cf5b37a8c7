// The sharing model's admin surface over real HTTP: GET /admin/audit (R14), GET
// /admin/preview (R14), POST /admin/sharing/reload and SIGHUP-style reloads (audited, a broken
// file keeps the running model), and the live groups in /admin/groups/.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnvelope } from '../support/builders.js';
import { TEST_CONFIG, startTestServer, type TestServer } from '../support/start-server.js';
import type { TaxiiClient } from '../support/taxii-client.js';
import {
  PROTECTED_TERMS,
  SHARED,
  VICTIM_ID,
  buildIncident,
  postingOrder,
  sharedPath,
  sharingConfig,
  writeMasterKey,
  type SharingChanges,
} from './sharing-incident.js';

let server: TestServer;
let keyDir: string;
let keyFile: string;
const incident = buildIncident();

type AuditBody = { more: boolean; next?: string; records: Record<string, unknown>[] };
type PreviewBody = {
  group: string;
  policy: { id: string; revision: number };
  objects: {
    original_id: string;
    original: Record<string, unknown>;
    derived_id?: string;
    derived?: Record<string, unknown>;
    withheld?: string;
    changes: { rule: string; path: string; operator: string }[];
  }[];
};

beforeAll(async () => {
  const key = await writeMasterKey();
  keyDir = key.dir;
  keyFile = key.file;
  server = await startTestServer({ config: sharingConfig(TEST_CONFIG, keyFile) });
  for (const batch of postingOrder(incident)) {
    expect((await server.client.post(sharedPath('objects/'), makeEnvelope(...batch))).status).toBe(
      202,
    );
  }
});

afterAll(async () => {
  await server?.close();
  if (keyDir) await rm(keyDir, { recursive: true, force: true });
});

const admin = (): TaxiiClient => server.as(server.tokens.admin);
const json = { accept: 'application/json' };
const g1 = (): TaxiiClient =>
  server.as(server.token({ sub: 'soc-audit', role: 'partner', groups: ['g1'] }));

async function victimIdSeenByG1(): Promise<string> {
  const res = await g1().get(sharedPath('objects/?match[type]=identity'));
  return (res.body as { objects: { id: string }[] }).objects[0]!.id;
}

async function rewriteConfig(changes: SharingChanges): Promise<void> {
  await writeFile(
    path.join(server.dataDir, 'stixgate.json'),
    JSON.stringify(sharingConfig(TEST_CONFIG, keyFile, changes)),
  );
}

describe('GET /admin/audit', () => {
  it('records every partner read with ids served and rule hits, never the matched text', async () => {
    await g1().get(sharedPath('objects/'));
    const res = await admin().get('/admin/audit?actor=soc-audit&action=objects.read', json);
    expect(res.status).toBe(200);
    const body = res.body as AuditBody;
    expect(body.records.length).toBeGreaterThan(0);
    const last = body.records.at(-1)!;
    expect(last).toMatchObject({
      actor: 'soc-audit',
      role: 'partner',
      group: 'g1',
      collection: SHARED,
      policy_revision: 1,
    });
    const served = last.served as { original: string; derived: string }[];
    expect(served.some((s) => s.original === VICTIM_ID && s.derived !== VICTIM_ID)).toBe(true);
    expect(
      (last.rule_hits as { rule: string; path: string }[]).some(
        (h) => h.rule === 'R6' && h.path === 'description',
      ),
    ).toBe(true);
    expect(last.withheld).toBeGreaterThanOrEqual(1);
    for (const term of PROTECTED_TERMS.filter((t) => t !== VICTIM_ID))
      expect(res.text).not.toContain(term);
  });

  it('audits a page served from the derived-page cache again, for each caller who read it', async () => {
    const reader = (sub: string): TaxiiClient =>
      server.as(server.token({ sub, role: 'partner', groups: ['g1'] }));
    const first = await reader('soc-page-a').get(sharedPath('objects/?limit=5'));
    const pagesBefore = (
      (await admin().get('/admin/sharing/', json)).body as { page_cache: { hits: number } }
    ).page_cache.hits;
    const second = await reader('soc-page-b').get(sharedPath('objects/?limit=5'));
    // The same objects; `next` differs, since a cursor is bound to its caller.
    expect((second.body as { objects: unknown[] }).objects).toEqual(
      (first.body as { objects: unknown[] }).objects,
    );
    const pagesAfter = (
      (await admin().get('/admin/sharing/', json)).body as { page_cache: { hits: number } }
    ).page_cache.hits;
    expect(pagesAfter).toBeGreaterThan(pagesBefore);
    const auditOf = async (actor: string) =>
      (
        (await admin().get(`/admin/audit?actor=${actor}&action=objects.read`, json))
          .body as AuditBody
      ).records;
    const [a, b] = [await auditOf('soc-page-a'), await auditOf('soc-page-b')];
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    for (const field of ['served', 'rule_hits', 'withheld', 'group', 'collection'])
      expect(b[0]![field]).toEqual(a[0]![field]);
    expect((b[0]!.served as unknown[]).length).toBeGreaterThan(0);
  });

  it('filters by group, collection and time, and pages with after', async () => {
    await g1().get(sharedPath('manifest/'));
    await g1().get(sharedPath('manifest/'));
    const byGroup = (await admin().get(`/admin/audit?group=g1&collection=${SHARED}`, json))
      .body as AuditBody;
    expect(byGroup.records.every((r) => r.group === 'g1' && r.collection === SHARED)).toBe(true);
    const future = (await admin().get('/admin/audit?since=2999-01-01T00:00:00Z', json))
      .body as AuditBody;
    expect(future.records).toEqual([]);
    const first = (await admin().get('/admin/audit?group=g1&limit=1', json)).body as AuditBody;
    expect(first.records).toHaveLength(1);
    expect(first.more).toBe(true);
    const second = (await admin().get(`/admin/audit?group=g1&limit=1&after=${first.next!}`, json))
      .body as AuditBody;
    expect(second.records[0]!.seq).toBeGreaterThan(first.records[0]!.seq as number);
  });

  it('is for admins only and refuses unknown parameters', async () => {
    expect((await server.client.get('/admin/audit', json)).status).toBe(403);
    expect((await g1().get('/admin/audit', json)).status).toBe(403);
    expect((await admin().get('/admin/audit?colour=red', json)).status).toBe(400);
    expect((await admin().get('/admin/audit?since=yesterday', json)).status).toBe(400);
  });
});

describe('GET /admin/preview', () => {
  it('shows each object beside its derived form with the changes annotated', async () => {
    const res = await admin().get(`/admin/preview?group=g1&collection=shared`, json);
    expect(res.status).toBe(200);
    const body = res.body as PreviewBody;
    expect(body.group).toBe('g1');
    expect(body.policy).toEqual({ id: 'isac', revision: 1 });
    const victim = body.objects.find((o) => o.original_id === VICTIM_ID)!;
    expect(victim.original.name).toBe('Kian Power Company');
    expect(victim.derived_id).not.toBe(VICTIM_ID);
    expect(victim.derived!.name).toMatch(/^Victim-/);
    expect(victim.changes).toContainEqual(expect.objectContaining({ rule: 'R3' }));
    const c2 = body.objects.find((o) => o.original_id === incident.c2.id)!;
    expect(c2.changes).toContainEqual({ rule: 'R6', path: 'description', operator: 'R' });
    const red = body.objects.find((o) => o.original_id === incident.red.id)!;
    expect(red.derived).toBeUndefined();
    expect(red.withheld).toMatch(/^R2/);
    const sigma = body.objects.find((o) => o.original_id === incident.sigma.id)!;
    expect(sigma.withheld).toMatch(/^R7/);
  });

  it('previews chosen objects, and answers 404 for an unknown group or collection', async () => {
    const one = (
      await admin().get(`/admin/preview?group=g2&collection=${SHARED}&id=${incident.c2.id}`, json)
    ).body as PreviewBody;
    expect(one.objects.map((o) => o.original_id)).toEqual([incident.c2.id]);
    expect((await admin().get(`/admin/preview?group=nobody&collection=shared`, json)).status).toBe(
      404,
    );
    expect((await admin().get(`/admin/preview?group=g1&collection=nothing`, json)).status).toBe(
      404,
    );
    expect(
      (await server.client.get(`/admin/preview?group=g1&collection=shared`, json)).status,
    ).toBe(403);
  });
});

describe('reloading the sharing model', () => {
  it('lists the live groups in /admin/groups/', async () => {
    const res = await admin().get('/admin/groups/', json);
    expect((res.body as { groups: { id: string }[] }).groups.map((g) => g.id)).toEqual([
      'g1',
      'g2',
    ]);
  });

  it('POST /admin/sharing/reload applies a new key epoch and audits old and new revisions', async () => {
    const before = await victimIdSeenByG1();
    await rewriteConfig({ epoch: 2, revision: 2 });
    const res = await admin().post(
      '/admin/sharing/reload',
      {},
      { contentType: 'application/json', accept: 'application/json' },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      reloaded: true,
      previous: { policies: { isac: 1 } },
      current: { policies: { isac: 2 }, keyEpochs: { isac: 2 } },
    });
    const after = await victimIdSeenByG1();
    expect(after).not.toBe(before);
    expect(after).not.toBe(VICTIM_ID);
    const audit = (await admin().get('/admin/audit?action=policy.reload', json)).body as AuditBody;
    expect(audit.records.at(-1)).toMatchObject({
      actor: 'admin-1',
      details: { previous: { policies: { isac: 1 } }, current: { policies: { isac: 2 } } },
    });
    const read = (await admin().get('/admin/audit?actor=soc-audit&action=objects.read', json))
      .body as AuditBody;
    expect(read.records.at(-1)!.policy_revision).toBe(2);
  });

  it('keeps the running model when the file is broken, and says why', async () => {
    const before = await victimIdSeenByG1();
    const file = path.join(server.dataDir, 'stixgate.json');
    const good = await readFile(file, 'utf8');
    const broken = JSON.parse(good) as { sharing: { policies: Record<string, unknown>[] } };
    broken.sharing.policies[0]!.tlp_ceiling = 'red';
    await writeFile(file, JSON.stringify(broken));
    const res = await admin().post(
      '/admin/sharing/reload',
      {},
      { contentType: 'application/json', accept: 'application/json' },
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('tlp_ceiling');
    const failed = (await admin().get('/admin/audit?action=policy.reload_failed', json))
      .body as AuditBody;
    expect(failed.records.at(-1)).toMatchObject({
      actor: 'admin-1',
      details: { key: 'sharing.policies[0].tlp_ceiling' },
    });
    // SIGHUP reads the same file: refused, and audited like the admin reload.
    await expect(server.running.reload()).rejects.toThrow(/tlp_ceiling/);
    const afterSignal = (await admin().get('/admin/audit?action=policy.reload_failed', json))
      .body as AuditBody;
    expect(afterSignal.records.at(-1)).toMatchObject({
      actor: 'system:reload',
      details: { key: 'sharing.policies[0].tlp_ceiling' },
    });
    expect(await victimIdSeenByG1()).toBe(before);
    await writeFile(file, good);
  });

  it('empties the cache on reload, even when the registry changed without a new revision', async () => {
    const description = async (): Promise<string> => {
      const res = await g1().get(sharedPath(`objects/${incident.malware.id}/`));
      return (res.body as { objects: { description: string }[] }).objects[0]!.description;
    };
    await rewriteConfig({ epoch: 2, revision: 2 });
    await server.running.reload();
    expect(await description()).toContain('rebuilt the gateway');
    expect(await description()).toContain('rebuilt the gateway');
    await rewriteConfig({ epoch: 2, revision: 2, alias: 'rebuilt the gateway' });
    await server.running.reload();
    expect(await description()).not.toContain('rebuilt the gateway');
  });

  it('reloads on SIGHUP (running.reload) and audits it', async () => {
    await rewriteConfig({ epoch: 3, revision: 3 });
    await server.running.reload();
    const audit = (await admin().get('/admin/audit?action=policy.reload', json)).body as AuditBody;
    expect(audit.records.at(-1)).toMatchObject({
      actor: 'system:reload',
      details: { current: { policies: { isac: 3 } } },
    });
    const sharing = (await admin().get('/admin/sharing/', json)).body as {
      revisions: { policies: Record<string, number> };
      key_configured: boolean;
    };
    expect(sharing.revisions.policies.isac).toBe(3);
    expect(sharing.key_configured).toBe(true);
    expect(JSON.stringify(sharing)).not.toContain('thirty-two');
  });
});
