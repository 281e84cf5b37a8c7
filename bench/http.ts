// Benchmark of the whole HTTP path (not a test): the real server (startServer) on
// 127.0.0.1 with a temporary DATA_DIR (SQLite, or MongoDB when MONGODB_URI is set).
// Ingest: envelopes of 100 indicators POSTed one after another (validation + store + status),
// reported as objects/s and against a JSON.parse+stringify baseline of the same bytes.
// Read: the collection paged with `next` at limit 1000, then the first and the deepest page
// of limit 100 timed repeatedly: a page must cost the same at any depth.
// Run: npx tsx bench/http.ts [objects=20000]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { createLogger } from '../src/http/logger.js';
import { startServer } from '../src/main.js';

const objectCount = Number(process.argv[2] ?? 20_000);
const envelopeSize = 100;
const pageRepeats = 50;
const TAXII = 'application/taxii+json;version=2.1';
const secret = 'bench-secret-0123456789abcdef-0123456789abcdef';

function indicator(i: number): Record<string, unknown> {
  const t = new Date(Date.UTC(2026, 0, 1) + i).toISOString();
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: t,
    modified: t,
    name: `bench indicator ${i}`,
    description: 'A moderately sized description so that objects have a realistic weight. '.repeat(
      3,
    ),
    pattern: `[ipv4-addr:value = '198.51.${(i >> 8) & 255}.${i & 255}']`,
    pattern_type: 'stix',
    valid_from: t,
    indicator_types: ['malicious-activity'],
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const dir = mkdtempSync(path.join(tmpdir(), 'stixgate-bench-'));
const secretFile = path.join(dir, 'jwt');
writeFileSync(secretFile, secret, { mode: 0o600 });
const running = await startServer(
  {
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dir,
    STIXGATE_JWT_SECRET_FILE: secretFile,
    ...(process.env.MONGODB_URI && { MONGODB_URI: process.env.MONGODB_URI }),
  },
  { log: createLogger('silent'), print: () => {} },
);
try {
  const token = jwt.sign(
    {
      sub: 'bench',
      role: 'analyst',
      groups: [],
      jti: randomUUID(),
      iss: 'stixgate',
      aud: 'stixgate',
    },
    secret,
    { algorithm: 'HS256', expiresIn: 3600 },
  );
  const headers = { Accept: TAXII, 'Content-Type': TAXII, Authorization: `Bearer ${token}` };
  const objectsUrl = `${running.url}/api1/collections/default/objects/`;

  // Ingest.
  const envelopes: string[] = [];
  for (let i = 0; i < objectCount; i += envelopeSize) {
    envelopes.push(
      JSON.stringify({
        objects: Array.from({ length: Math.min(envelopeSize, objectCount - i) }, (_, j) =>
          indicator(i + j),
        ),
      }),
    );
  }
  let started = performance.now();
  for (const body of envelopes) JSON.stringify(JSON.parse(body));
  const baselineMs = performance.now() - started;
  started = performance.now();
  for (const body of envelopes) {
    const res = await fetch(objectsUrl, { method: 'POST', headers, body });
    const status = (await res.json()) as { success_count: number };
    if (res.status !== 202 || status.success_count === 0)
      throw new Error(`POST failed: ${res.status}`);
  }
  const ingestMs = performance.now() - started;
  console.log(
    `ingest: ${objectCount} objects in ${ingestMs.toFixed(0)} ms = ${((objectCount / ingestMs) * 1000).toFixed(0)} objects/s over HTTP (${(ingestMs / baselineMs).toFixed(1)}x JSON parse+stringify of the same bytes)`,
  );

  // Full read with next.
  started = performance.now();
  let next: string | undefined;
  let read = 0;
  let lastPageQuery = '';
  do {
    const query = `limit=1000${next ? `&next=${encodeURIComponent(next)}` : ''}`;
    const res = await fetch(`${objectsUrl}?${query}`, { headers });
    const body = (await res.json()) as { objects?: unknown[]; more?: boolean; next?: string };
    read += body.objects?.length ?? 0;
    if (body.more) lastPageQuery = `limit=100&next=${encodeURIComponent(body.next!)}`;
    next = body.more ? body.next : undefined;
  } while (next !== undefined);
  const readMs = performance.now() - started;
  console.log(
    `read:   ${read} objects in ${readMs.toFixed(0)} ms = ${((read / readMs) * 1000).toFixed(0)} objects/s (pages of 1000 via next)`,
  );

  // First vs deepest page of 100 (the cursor of the last full page is reused).
  const time = async (query: string): Promise<number> => {
    const samples: number[] = [];
    for (let i = 0; i < pageRepeats; i += 1) {
      const t0 = performance.now();
      const res = await fetch(`${objectsUrl}?${query}`, { headers });
      await res.arrayBuffer();
      samples.push(performance.now() - t0);
    }
    return median(samples);
  };
  // A limit-100 cursor must be minted for a limit-independent query: cursors ignore limit.
  const first = await time('limit=100');
  const deep = lastPageQuery === '' ? first : await time(lastPageQuery);
  console.log(
    `page:   first ${first.toFixed(2)} ms, deepest ${deep.toFixed(2)} ms (median of ${pageRepeats}; ratio ${(deep / first).toFixed(2)})`,
  );
} finally {
  await running.close();
  rmSync(dir, { recursive: true, force: true });
}
