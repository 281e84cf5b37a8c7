// Partner reads of a fictional incident over real HTTP, through the production wiring
// (startServer without a partnerReadView): per-group pseudonyms, no protected term in any
// byte, attacker indicators intact, withheld objects indistinguishable from missing ones on
// every surface, older versions derived, TLP pushed down (full pages), the cache per group.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnvelope, makeIndicator, makeMalware, relate } from '../support/builders.js';
import { TEST_CONFIG, startTestServer, type TestServer } from '../support/start-server.js';
import type { TaxiiClient, TaxiiResponse } from '../support/taxii-client.js';
import {
  GREEN,
  PROTECTED_TERMS,
  VICTIM_ID,
  buildIncident,
  postingOrder,
  sharedPath,
  sharingConfig,
  writeMasterKey,
} from './sharing-incident.js';

type Envelope = { objects?: Record<string, unknown>[]; more?: boolean; next?: string };
type Manifest = { objects?: { id: string; date_added: string; version: string }[]; more?: boolean };

let server: TestServer;
let keyDir: string;
const incident = buildIncident();
const MISSING_MALWARE = 'malware--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
const MISSING_INDICATOR = 'indicator--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
/** Every partner response body, checked for protected terms at the end. */
const partnerBodies: string[] = [];

beforeAll(async () => {
  const key = await writeMasterKey();
  keyDir = key.dir;
  server = await startTestServer({ config: sharingConfig(TEST_CONFIG, key.file) });
  for (const batch of postingOrder(incident)) {
    const res = await server.client.post(sharedPath('objects/'), makeEnvelope(...batch));
    expect(res.status).toBe(202);
    expect((res.body as { failure_count: number }).failure_count).toBe(0);
  }
});

afterAll(async () => {
  await server?.close();
  if (keyDir) await rm(keyDir, { recursive: true, force: true });
});

const asGroup = (group: 'g1' | 'g2', sub = `soc-${group}`): TaxiiClient =>
  server.as(server.token({ sub, role: 'partner', groups: [group] }));

async function read(client: TaxiiClient, rest: string): Promise<TaxiiResponse> {
  const res = await client.get(sharedPath(rest));
  partnerBodies.push(res.text);
  return res;
}

async function objectsOf(client: TaxiiClient, query = ''): Promise<Record<string, unknown>[]> {
  const res = await read(client, `objects/${query}`);
  expect(res.status).toBe(200);
  return (res.body as Envelope).objects ?? [];
}

const byType = (objects: Record<string, unknown>[], type: string) =>
  objects.filter((o) => o.type === type);

describe('pseudonyms per group', () => {
  it('gives each group its own stable pseudonym for the victim, used by every reference to it', async () => {
    const first = await objectsOf(asGroup('g1'));
    const again = await objectsOf(asGroup('g1', 'another-g1-member'));
    const other = await objectsOf(asGroup('g2'));
    const victimOf = (objects: Record<string, unknown>[]) =>
      byType(objects, 'identity').map((o) => o.id as string);
    expect(victimOf(first)).toHaveLength(1);
    expect(victimOf(again)).toEqual(victimOf(first));
    expect(victimOf(other)).toHaveLength(1);
    expect(victimOf(other)[0]).not.toBe(victimOf(first)[0]);
    expect(victimOf(first)[0]).not.toBe(VICTIM_ID);
    for (const objects of [first, other]) {
      const targets = byType(objects, 'relationship').find(
        (r) => r.relationship_type === 'targets',
      )!;
      expect(targets.target_ref).toBe(victimOf(objects)[0]);
    }
  });

  it('uses the same victim label in the identity and in redacted text, different across groups', async () => {
    const labelIn = (objects: Record<string, unknown>[]): string => {
      const name = byType(objects, 'identity')[0]!.name as string;
      expect(name).toMatch(/^Victim-[A-Z2-7]{8}$/);
      const c2 = objects.find((o) => o.id === incident.c2.id)!;
      expect(c2.description).toContain(name);
      return name;
    };
    expect(labelIn(await objectsOf(asGroup('g1')))).not.toBe(
      labelIn(await objectsOf(asGroup('g2'))),
    );
  });
});

describe('what partners receive', () => {
  it('keeps attacker indicators intact', async () => {
    for (const group of ['g1', 'g2'] as const) {
      const objects = await objectsOf(asGroup(group));
      expect(objects.find((o) => o.id === incident.c2.id)!.pattern).toBe(incident.c2.pattern);
      expect(objects.find((o) => o.id === incident.domain.id)!.pattern).toBe(
        incident.domain.pattern,
      );
      expect(objects.find((o) => o.id === incident.c2.id)!.description).toContain('203.0.113.50');
    }
  });

  it('pushes the TLP ceiling down: GREEN partners page through full pages of GREEN objects only', async () => {
    const client = asGroup('g2');
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const res = await read(
        client,
        `objects/`.concat(
          next === undefined ? '?limit=2' : `?limit=2&next=${encodeURIComponent(next)}`,
        ),
      );
      const body = res.body as Envelope;
      const objects = body.objects ?? [];
      if (body.more === true) expect(objects).toHaveLength(2);
      seen.push(...objects.map((o) => o.id as string));
      next = body.more === true ? body.next : undefined;
      pages += 1;
    } while (next !== undefined && pages < 20);
    expect(seen).not.toContain(incident.amberNote.id);
    expect(seen).not.toContain(incident.red.id);
    expect(seen).toContain(incident.c2.id);
    expect(new Set(seen).size).toBe(seen.length);
    // AMBER partners do see the AMBER object.
    expect((await objectsOf(asGroup('g1'))).map((o) => o.id)).toContain(incident.amberNote.id);
  });

  it('derives older versions like the latest, never raw', async () => {
    const client = asGroup('g1');
    const all = await read(client, `objects/${incident.malware.id}/?match[version]=all`);
    const versions = (all.body as Envelope).objects!;
    expect(versions.map((v) => v.modified)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
    ]);
    const first = await read(client, `objects/${incident.malware.id}/?match[version]=first`);
    expect((first.body as Envelope).objects![0]!.description).not.toContain('KPC');
    const listed = await read(client, `objects/${incident.malware.id}/versions/`);
    expect((listed.body as { versions: string[] }).versions).toHaveLength(2);
  });

  it('never sends a protected term in any byte of any partner response', async () => {
    for (const group of ['g1', 'g2'] as const) {
      const client = asGroup(group);
      await read(client, 'objects/?match[version]=all');
      await read(client, 'manifest/?match[version]=all');
      for (const o of Object.values(incident)) {
        await read(client, `objects/${o.id}/`);
        await read(client, `objects/${o.id}/versions/`);
      }
    }
    expect(partnerBodies.length).toBeGreaterThan(20);
    for (const body of partnerBodies) {
      for (const term of PROTECTED_TERMS)
        expect(body, `a partner response holds "${term}"`).not.toContain(term);
    }
  });
});

describe('a withheld object answers exactly like a missing one', () => {
  const cases = [
    { name: 'TLP:RED (pushed down)', id: () => incident.red.id, missing: MISSING_MALWARE },
    { name: 'withheld by content (R7)', id: () => incident.sigma.id, missing: MISSING_INDICATOR },
  ];
  for (const c of cases) {
    it(`${c.name}: object and versions endpoints`, async () => {
      const client = asGroup('g1');
      for (const rest of [
        `objects/${c.id()}/`,
        `objects/${c.id()}/versions/`,
        `objects/${c.id()}/?match[version]=all`,
      ]) {
        const withheld = await read(client, rest);
        const absent = await read(client, rest.replace(c.id(), c.missing));
        expect(withheld.status).toBe(404);
        expect(withheld.text.replace(c.id(), c.missing)).toBe(absent.text);
      }
    });

    it(`${c.name}: absent from objects, manifest and match[id]`, async () => {
      const client = asGroup('g1');
      expect((await read(client, 'objects/?match[version]=all')).text).not.toContain(c.id());
      expect((await read(client, 'manifest/?match[version]=all')).text).not.toContain(c.id());
      const named = await read(client, `objects/?match[id]=${c.id()}`);
      const missing = await read(client, `objects/?match[id]=${c.missing}`);
      expect(named.status).toBe(200);
      expect(named.text).toBe(missing.text);
      expect(named.headers.get('x-taxii-date-added-last')).toBeNull();
    });
  }

  it('ends the listing (more, next, headers) where the last served object ends', async () => {
    const client = asGroup('g1');
    const manifest = (await read(client, 'manifest/')).body as Manifest;
    const served = manifest.objects!;
    // The content-withheld object is the last one stored: a page holding exactly the served
    // objects must say there is nothing more, and its last date is the last served object's.
    const page = await read(client, `objects/?limit=${served.length}`);
    const body = page.body as Envelope;
    expect(body.objects).toHaveLength(served.length);
    expect(body.more).toBe(false);
    expect(body.next).toBeUndefined();
    expect(page.headers.get('x-taxii-date-added-last')).toBe(served.at(-1)!.date_added);
    const after = await read(client, `objects/?added_after=${served.at(-1)!.date_added}`);
    expect(after.body).toEqual({});
  });

  it('answers for the original id of a pseudonymized object like for a missing one', async () => {
    const client = asGroup('g1');
    const missing = 'identity--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
    const named = await read(client, `objects/${VICTIM_ID}/`);
    const absent = await read(client, `objects/${missing}/`);
    expect(named.status).toBe(404);
    expect(named.text.replace(VICTIM_ID, missing)).toBe(absent.text);
    expect((await read(client, `objects/?match[id]=${VICTIM_ID}`)).body).toEqual({});
  });
});

describe('markings', () => {
  it('serves objects carrying a statement marking (its TLP decided by the engine), and withholds unknown markings', async () => {
    const statement = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: 'marking-definition--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      created: '2026-01-01T00:00:00.000Z',
      definition_type: 'statement',
      definition: { statement: 'Copyright Example National CERT' },
    };
    const copyrighted = makeIndicator({
      pattern: "[ipv4-addr:value = '198.51.100.77']",
      object_marking_refs: [statement.id, GREEN],
    });
    const custom = makeIndicator({
      pattern: "[ipv4-addr:value = '198.51.100.78']",
      object_marking_refs: ['marking-definition--9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'],
    });
    expect(
      (
        await server.client.post(
          sharedPath('objects/'),
          makeEnvelope(statement, copyrighted, custom),
        )
      ).status,
    ).toBe(202);
    // The statement marking itself is unmarked (collection default AMBER): g1 receives it and
    // the reference to it; g2 (GREEN) receives the indicator without that reference.
    const forG1 = await objectsOf(asGroup('g1'));
    expect(forG1.find((o) => o.id === copyrighted.id)?.object_marking_refs).toEqual([
      statement.id,
      GREEN,
    ]);
    expect(forG1.map((o) => o.id)).toContain(statement.id);
    const forG2 = await objectsOf(asGroup('g2'));
    expect(forG2.find((o) => o.id === copyrighted.id)?.object_marking_refs).toEqual([GREEN]);
    expect(forG2.map((o) => o.id)).not.toContain(statement.id);
    for (const objects of [forG1, forG2]) expect(objects.map((o) => o.id)).not.toContain(custom.id);
    expect((await read(asGroup('g2'), `objects/${custom.id}/`)).status).toBe(404);
  });
});

describe('references across pages (R10)', () => {
  it('keeps references to objects served on other pages, under their served ids, and prunes the rest', async () => {
    for (const group of ['g1', 'g2'] as const) {
      const client = asGroup(group);
      const all = await objectsOf(client);
      const served = new Set(all.map((o) => o.id as string));
      const victim = byType(all, 'identity')[0]!.id as string;
      // The report alone on its page: its references point outside the page.
      const alone = await read(client, `objects/${incident.report.id}/`);
      const report = (alone.body as Envelope).objects![0]!;
      const refs = report.object_refs as string[];
      expect(refs).toEqual(
        expect.arrayContaining([incident.c2.id, incident.malware.id, incident.targets.id, victim]),
      );
      expect(refs).not.toContain(incident.red.id);
      expect(refs).not.toContain(VICTIM_ID);
      expect(refs.includes(incident.amberNote.id)).toBe(group === 'g1');
      for (const ref of refs) expect(served.has(ref)).toBe(true);
    }
  });
});

describe('pseudonymous ids', () => {
  it('serves a pseudonymized identity under its pseudonym, on every endpoint that names ids', async () => {
    const client = asGroup('g1');
    const victim = byType(await objectsOf(client), 'identity')[0]!;
    const id = victim.id as string;
    const one = await read(client, `objects/${id}/`);
    expect(one.status).toBe(200);
    expect((one.body as Envelope).objects).toEqual([victim]);
    const versions = await read(client, `objects/${id}/versions/`);
    expect((versions.body as { versions: string[] }).versions).toEqual([
      '2026-01-01T00:00:00.000000Z',
    ]);
    expect(((await read(client, `objects/?match[id]=${id}`)).body as Envelope).objects).toEqual([
      victim,
    ]);
  });

  it("answers for another group's pseudonym like for a missing object", async () => {
    const g2Victim = byType(await objectsOf(asGroup('g2')), 'identity')[0]!.id as string;
    const missing = 'identity--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
    const other = await read(asGroup('g1'), `objects/${g2Victim}/`);
    const absent = await read(asGroup('g1'), `objects/${missing}/`);
    expect(other.status).toBe(404);
    expect(other.text.replace(g2Victim, missing)).toBe(absent.text);
  });
});

describe('a principal in several groups (R1)', () => {
  it('reads as the strictest combination of its groups, under pseudonyms of its own', async () => {
    const both = server.as(
      server.token({ sub: 'soc-both', role: 'partner', groups: ['g1', 'g2'] }),
    );
    const objects = await objectsOf(both);
    // g2's GREEN ceiling wins over g1's AMBER.
    expect(objects.map((o) => o.id)).not.toContain(incident.amberNote.id);
    const victim = byType(objects, 'identity')[0]!.id;
    expect(victim).not.toBe(byType(await objectsOf(asGroup('g1')), 'identity')[0]!.id);
    expect(victim).not.toBe(byType(await objectsOf(asGroup('g2')), 'identity')[0]!.id);
  });

  it('serves nothing to a partner whose group has no sharing policy (fail closed)', async () => {
    const unconfigured = server.as(
      server.token({ sub: 'soc-g3', role: 'partner', groups: ['g3'] }),
    );
    const objects = await read(unconfigured, 'objects/');
    expect(objects.status).toBe(200);
    expect(objects.body).toEqual({});
    expect((await read(unconfigured, 'manifest/')).body).toEqual({});
    expect((await read(unconfigured, `objects/${incident.c2.id}/`)).status).toBe(404);
  });
});

describe('cache', () => {
  it('never serves one group what was derived for another', async () => {
    const stats = async () =>
      (await server.as(server.tokens.admin).get('/admin/sharing/', { accept: 'application/json' }))
        .body as {
        cache: { misses: number; hits: number };
        page_cache: { misses: number; hits: number };
      };
    await objectsOf(asGroup('g1'));
    const warm = await stats();
    await objectsOf(asGroup('g1'));
    const afterSame = await stats();
    // The same page again: the whole derived page is remembered, no object is derived.
    expect(afterSame.cache.misses).toBe(warm.cache.misses);
    expect(afterSame.page_cache.misses).toBe(warm.page_cache.misses);
    expect(afterSame.page_cache.hits).toBeGreaterThan(warm.page_cache.hits);
    // A fresh group member of g2 after g1 read: g2's own entries (already warm from earlier
    // tests) or misses, never g1's bytes: the victim id differs.
    const g1Victim = byType(await objectsOf(asGroup('g1')), 'identity')[0]!.id;
    const g2Victim = byType(await objectsOf(asGroup('g2', 'new-g2-member')), 'identity')[0]!.id;
    expect(g2Victim).not.toBe(g1Victim);
  });
});

describe('derived output follows the stored neighbourhood', () => {
  it('serves a relationship once its target arrives (no stale cached withhold)', async () => {
    const later = makeMalware({ name: 'LateLoader', object_marking_refs: [GREEN] });
    const rel = relate(incident.c2, later, {
      relationship_type: 'indicates',
      object_marking_refs: [GREEN],
    });
    expect((await server.client.post(sharedPath('objects/'), makeEnvelope(rel))).status).toBe(202);
    const before = await objectsOf(asGroup('g1'));
    expect(before.map((o) => o.id)).not.toContain(rel.id);
    expect((await read(asGroup('g1'), `objects/${rel.id}/`)).status).toBe(404);
    expect((await server.client.post(sharedPath('objects/'), makeEnvelope(later))).status).toBe(
      202,
    );
    const after = await objectsOf(asGroup('g1'));
    expect(after.find((o) => o.id === rel.id)?.target_ref).toBe(later.id);
    expect((await read(asGroup('g1'), `objects/${rel.id}/`)).status).toBe(200);
  });
});

describe('remembered pages follow the collection', () => {
  it('withholds a relationship on the next read of the same page once its target is deleted', async () => {
    const target = makeMalware({ name: 'ShortLived', object_marking_refs: [GREEN] });
    const rel = relate(incident.c2, target, {
      relationship_type: 'indicates',
      object_marking_refs: [GREEN],
    });
    expect(
      (await server.client.post(sharedPath('objects/'), makeEnvelope(target, rel))).status,
    ).toBe(202);
    // The same request before and after: the page of one relationship version, same positions.
    const page = `objects/${rel.id}/`;
    const served = await read(asGroup('g1'), page);
    expect(served.status).toBe(200);
    expect(((served.body as Envelope).objects ?? [])[0]?.target_ref).toBe(target.id);
    expect((await read(asGroup('g1'), page)).status).toBe(200);
    expect((await server.client.delete(sharedPath(`objects/${target.id}/`))).status).toBe(200);
    expect((await read(asGroup('g1'), page)).status).toBe(404);
  });
});

describe('partners writing back', () => {
  it('reads the status of its own POST, naming only its own objects', async () => {
    const client = asGroup('g1');
    const mine = makeIndicator({
      pattern: "[ipv4-addr:value = '198.51.100.99']",
      object_marking_refs: [],
    });
    delete (mine as Record<string, unknown>).object_marking_refs;
    const posted = await client.post(sharedPath('objects/'), makeEnvelope(mine));
    expect(posted.status).toBe(202);
    const status = posted.body as { id: string; successes: { id: string }[] };
    const again = await client.get(`/api1/status/${status.id}/`);
    expect(again.status).toBe(200);
    expect((again.body as { successes: { id: string }[] }).successes.map((s) => s.id)).toEqual([
      mine.id,
    ]);
    expect((await asGroup('g2').get(`/api1/status/${status.id}/`)).status).toBe(404);
  });
});
