// Benchmark of anonymized partner reads (not a test): the real server (startServer, production
// wiring) on 127.0.0.1 with a temporary DATA_DIR (SQLite, or MongoDB when MONGODB_URI is set).
// One collection of a fictional incident corpus (indicators, malware, relationships, victim
// identities, SCOs; a share of the texts names protected entities in English and Persian) is
// read page by page as an analyst (raw bytes) and as a partner (sharing engine), in the same
// run over the same store:
//   raw            analyst, limit 100
//   partner cold   partner, the derived-bytes cache emptied before every request (a reload)
//   partner warm   partner, the same page again (cache hits; cached bytes re-scanned, R13)
// Reported as medians per page and as ratios to raw. Run: npx tsx bench/sharing.ts [objects=3000]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { createLogger } from '../src/http/logger.js';
import { startServer } from '../src/main.js';

const objectCount = Number(process.argv[2] ?? 3000);
const limit = 100;
const repeats = 25;
const TAXII = 'application/taxii+json;version=2.1';
const secret = 'bench-secret-0123456789abcdef-0123456789abcdef';
const COLLECTION = '77777777-7777-4777-8777-777777777777';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const T0 = Date.UTC(2026, 0, 1);

// 40 fictional constituents: names in English and Persian, a domain and a /16 each.
const entities = Array.from({ length: 40 }, (_, i) => ({
  id: `org-${i}`,
  names: { en: [`Ostan Utility ${i} Company`], fa: [`شرکت آب استان ${i}`] },
  acronyms: [`OU${i}C`],
  domains: [`ostan${i}.ir`],
  cidrs: [`10.${i}.0.0/16`],
  sector: 'electric-utility',
  identity_ids: [`identity--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`],
}));

function sharing(keyFile: string): Record<string, unknown> {
  return {
    master_key_file: keyFile,
    own_identity: {
      id: 'identity--0b3c1d5e-7f2a-4c8b-9d0e-1f2a3b4c5d6e',
      name: 'Example National CERT',
    },
    policies: [{ id: 'isac', revision: 1, tlp_ceiling: 'amber' }],
    groups: [{ id: 'g1', name: 'Energy ISAC', policy: 'isac' }],
    registry: { revision: 1, sector_ladder: { 'electric-utility': 'energy' }, entities },
  };
}

function at(i: number): string {
  return new Date(T0 + i * 1000).toISOString();
}

/** A realistic mix: every 10th object is a victim identity or names one in its text. */
function corpus(n: number): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  let lastMalware: string | undefined;
  for (let i = 0; objects.length < n; i++) {
    const victim = entities[i % entities.length]!;
    const t = at(i);
    const base = { spec_version: '2.1', created: t, modified: t, object_marking_refs: [GREEN] };
    const mentions =
      i % 10 === 0
        ? ` Seen at ${victim.names.en[0]} (${victim.names.fa[0]}), host mail.${victim.domains[0]} 10.${i % 40}.3.4.`
        : '';
    switch (i % 5) {
      case 0:
        objects.push({
          type: 'identity',
          id: victim.identity_ids[0]!.replace(/\d{12}$/, String(i).padStart(12, '0')),
          ...base,
          name: `Vendor ${i}`,
          identity_class: 'organization',
        });
        break;
      case 1: {
        lastMalware = `malware--${randomUUID()}`;
        objects.push({
          type: 'malware',
          id: lastMalware,
          ...base,
          name: `Family ${i}`,
          is_family: true,
          malware_types: ['backdoor'],
          description: `Implant with a modular loader.${mentions}`,
        });
        break;
      }
      case 2:
        objects.push({
          type: 'indicator',
          id: `indicator--${randomUUID()}`,
          ...base,
          name: `C2 ${i}`,
          pattern: `[ipv4-addr:value = '198.51.${(i >> 8) & 255}.${i & 255}']`,
          pattern_type: 'stix',
          valid_from: t,
          indicator_types: ['malicious-activity'],
          description: `Command and control address observed during the campaign.${mentions}`,
        });
        break;
      case 3:
        if (lastMalware !== undefined) {
          objects.push({
            type: 'relationship',
            id: `relationship--${randomUUID()}`,
            ...base,
            relationship_type: 'targets',
            source_ref: lastMalware,
            target_ref: victim.identity_ids[0],
          });
        }
        break;
      default:
        objects.push({
          type: 'domain-name',
          spec_version: '2.1',
          id: `domain-name--${randomUUID()}`,
          value: i % 10 === 4 ? `vpn.${victim.domains[0]}` : `cdn${i}.badactor.net`,
        });
    }
  }
  // The victims' own identities, referenced by the relationships.
  for (const e of entities) {
    objects.push({
      type: 'identity',
      id: e.identity_ids[0],
      spec_version: '2.1',
      created: at(0),
      modified: at(0),
      name: e.names.en[0],
      identity_class: 'organization',
      sectors: ['utilities'],
      object_marking_refs: [GREEN],
    });
  }
  return objects;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const dir = mkdtempSync(path.join(tmpdir(), 'stixgate-bench-sharing-'));
const secretFile = path.join(dir, 'jwt');
writeFileSync(secretFile, secret, { mode: 0o600 });
const keyFile = path.join(dir, 'sharing.key');
writeFileSync(keyFile, 'bench-sharing-master-secret-0123456789abcdef', { mode: 0o600 });
const configFile = path.join(dir, 'stixgate.json');
writeFileSync(
  configFile,
  JSON.stringify({
    api_roots: [{ path: 'api1', title: 'bench', max_limit: 1000 }],
    collections: [
      {
        id: COLLECTION,
        alias: 'incident',
        title: 'bench incident',
        read: { roles: ['analyst'], groups: ['g1'] },
        write: { roles: ['analyst'], groups: [] },
      },
    ],
    sharing: sharing(keyFile),
  }),
);
const running = await startServer(
  {
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dir,
    STIXGATE_JWT_SECRET_FILE: secretFile,
    STIXGATE_CONFIG: configFile,
    ...(process.env.MONGODB_URI && { MONGODB_URI: process.env.MONGODB_URI }),
  },
  { log: createLogger('silent'), print: () => {} },
);
try {
  const mint = (claims: Record<string, unknown>): string =>
    jwt.sign({ jti: randomUUID(), iss: 'stixgate', aud: 'stixgate', ...claims }, secret, {
      algorithm: 'HS256',
      expiresIn: 3600,
    });
  const analyst = mint({ sub: 'bench-analyst', role: 'analyst', groups: [] });
  const partner = mint({ sub: 'bench-partner', role: 'partner', groups: ['g1'] });
  const url = `${running.url}/api1/collections/${COLLECTION}/objects/`;
  const get = async (
    token: string,
    query: string,
  ): Promise<{ ms: number; bytes: number; count: number; next?: string }> => {
    const start = performance.now();
    const res = await fetch(`${url}?${query}`, {
      headers: { Accept: TAXII, Authorization: `Bearer ${token}` },
    });
    const text = await res.text();
    const ms = performance.now() - start;
    if (res.status !== 200) throw new Error(`GET ${query}: ${res.status} ${text}`);
    const body = JSON.parse(text) as { objects?: unknown[]; next?: string };
    return {
      ms,
      bytes: text.length,
      count: body.objects?.length ?? 0,
      ...(body.next !== undefined && { next: body.next }),
    };
  };

  const objects = corpus(objectCount);
  for (let i = 0; i < objects.length; i += 100) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: `Bearer ${analyst}` },
      body: JSON.stringify({ objects: objects.slice(i, i + 100) }),
    });
    if (res.status !== 202) throw new Error(`POST: ${res.status} ${await res.text()}`);
  }

  // The first page and one in the middle of the collection.
  const pages: { name: string; query: (token: string) => Promise<string> }[] = [
    { name: 'first page', query: async () => `limit=${limit}` },
    {
      name: 'middle page',
      // `next` is bound to the caller: each reader gets its own cursor to the middle.
      query: async (token) =>
        `limit=${limit}&next=${encodeURIComponent((await get(token, `limit=${Math.floor(objects.length / 2)}`)).next!)}`,
    },
  ];

  console.log(
    `stixgate sharing bench: ${objects.length} objects, backend ${running.store.backend}, limit ${limit}, ${repeats} repeats (medians)`,
  );
  for (const page of pages) {
    const rawQuery = await page.query(analyst);
    const partnerQuery = await page.query(partner);
    const raw: number[] = [];
    const cold: number[] = [];
    const warm: number[] = [];
    let partnerCount = 0;
    let rawCount = 0;
    for (let r = 0; r < repeats; r++) {
      raw.push((await get(analyst, rawQuery)).ms);
      await running.reload(); // empties the derived-bytes cache (not timed)
      const c = await get(partner, partnerQuery);
      cold.push(c.ms);
      warm.push((await get(partner, partnerQuery)).ms);
      partnerCount = c.count;
      rawCount = (await get(analyst, rawQuery)).count;
    }
    const [mr, mc, mw] = [median(raw), median(cold), median(warm)];
    console.log(
      `${page.name.padEnd(12)} raw ${mr.toFixed(2)} ms (${rawCount} obj) | partner cold ${mc.toFixed(2)} ms (${partnerCount} obj) ×${(mc / mr).toFixed(1)}` +
        ` | partner warm ${mw.toFixed(2)} ms ×${(mw / mr).toFixed(1)} | cold/warm ×${(mc / mw).toFixed(1)}`,
    );
  }
} finally {
  await running.close();
  rmSync(dir, { recursive: true, force: true });
}
