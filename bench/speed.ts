// `npm run bench` (the default benchmark): what users feel, against the physical limits
// measured in the same run, interleaved round by round so that a noisy neighbour hits both.
//
//   1. raw GET objects/?limit=100|1000 at 1 and 8 connections vs a bare node:http server
//      answering the same bytes (the ceiling);
//   2. the same page at 90 % depth via `next` and via `added_after` vs the first page;
//   3. partner pages (a 600-entity English/Persian registry) cold and warm vs the raw page;
//   4. a full partner crawl (first and second pass) vs a full analyst crawl, limit=1000;
//   5. ingest in envelopes of 1,000 with 1 and 4 writers vs JSON.parse+stringify of the bytes;
//   6. the server's peak RSS while a partner pages through the collection, RSS after a soak.
//
// Environment: BENCH_OBJECTS (default 100000; 1000000 for the large run), BENCH_SECONDS per
// load round (2), BENCH_ROUNDS (3), BENCH_CRAWL_SECONDS cap per partner crawl (120),
// BENCH_SOAK_SECONDS (30), BENCH_LABEL (results file name), BENCH_PROFILE_DIR (a CPU profile
// of the server per phase), MONGODB_URI (a real mongod; the in-memory test server is not one),
// STIXGATE_SHARING_CACHE_MB (passed to the server, to measure another derived-cache size).
// Results: bench/results/<label>-<objects>.json and .md.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import { corpusObject, OWN_IDENTITY, registryEntities, SECTOR_LADDER } from './speed/corpus.js';
import { load, repeat, requestBytes, type LoadResult } from './speed/load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const objectCount = Number(process.env.BENCH_OBJECTS ?? 100_000);
const roundMs = Number(process.env.BENCH_SECONDS ?? 2) * 1000;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const crawlCapMs = Number(process.env.BENCH_CRAWL_SECONDS ?? 120) * 1000;
const soakMs = Number(process.env.BENCH_SOAK_SECONDS ?? 30) * 1000;
const label = process.env.BENCH_LABEL ?? 'run';
const profileDir = process.env.BENCH_PROFILE_DIR;
const envelopeSize = 1000;
const TAXII = 'application/taxii+json;version=2.1';
const COLLECTION = '5a1e0000-0000-4000-8000-00000000b3c4';
const secret = `bench-${randomUUID()}-${randomUUID()}`;
const entities = registryEntities(600);

// ---- setup ---------------------------------------------------------------------------------
const dir = mkdtempSync(path.join(tmpdir(), 'stixgate-speed-'));
const secretFile = path.join(dir, 'jwt');
writeFileSync(secretFile, secret, { mode: 0o600 });
const keyFile = path.join(dir, 'sharing.key');
writeFileSync(keyFile, `bench-sharing-master-${randomUUID()}`, { mode: 0o600 });
const configFile = path.join(dir, 'stixgate.json');
let policyRevision = 1;
function writeConfig(): void {
  writeFileSync(
    configFile,
    JSON.stringify({
      api_roots: [
        {
          path: 'api1',
          title: 'bench',
          max_limit: 1000,
          max_content_length: 64 * 1024 * 1024,
        },
      ],
      // A bench client is one principal sending thousands of requests a second: the
      // per-principal rate limit, a defence against a flooding client, would measure itself.
      limits: { principal_requests_per_minute: 0 },
      collections: [
        {
          id: COLLECTION,
          alias: 'incident',
          title: 'Incident 2025-041 (internal)',
          partner_title: 'Campaign indicators',
          read: { roles: ['analyst'], groups: ['energy-isac'] },
          write: { roles: ['analyst'], groups: [] },
        },
      ],
      sharing: {
        master_key_file: keyFile,
        own_identity: OWN_IDENTITY,
        policies: [
          {
            id: 'isac',
            revision: policyRevision,
            tlp_ceiling: 'amber',
            k_anonymity: 5,
            time_precision: 'day',
          },
        ],
        groups: [{ id: 'energy-isac', name: 'Energy ISAC', policy: 'isac' }],
        registry: {
          revision: 1,
          allowed_identities: [OWN_IDENTITY.id],
          allowed_terms: [OWN_IDENTITY.name],
          sector_ladder: SECTOR_LADDER,
          entities,
        },
      },
    }),
  );
}
writeConfig();

const serverEnv: Record<string, string> = {
  HOST: '127.0.0.1',
  PORT: '0',
  DATA_DIR: dir,
  STIXGATE_JWT_SECRET_FILE: secretFile,
  STIXGATE_CONFIG: configFile,
  ...(process.env.MONGODB_URI && { MONGODB_URI: process.env.MONGODB_URI }),
  // To measure what another derived-cache size costs or saves.
  ...(process.env.STIXGATE_SHARING_CACHE_MB && {
    STIXGATE_SHARING_CACHE_MB: process.env.STIXGATE_SHARING_CACHE_MB,
  }),
};

function spawn(
  file: string,
  env: Record<string, string> = {},
  nodeFlags: string[] = [],
): Promise<{ child: ChildProcess; ready: string | number }> {
  const child = fork(path.join(here, 'speed', file), [], {
    execArgv: ['--import', 'tsx', ...nodeFlags],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    child.once('message', (m: { ready: string | number }) => resolve({ child, ready: m.ready }));
  });
}

let nextId = 1;
function call(
  child: ChildProcess,
  op: string,
  extra: Record<string, unknown> = {},
): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (m: { id?: number; result?: unknown; error?: string }): void => {
      if (m.id !== id) return;
      child.off('message', onMessage);
      if (m.error !== undefined) reject(new Error(m.error));
      else resolve(m.result);
    };
    child.on('message', onMessage);
    child.send({ id, op, ...extra });
  });
}

// --expose-gc only lets the memory figures tell live heap from garbage, with one forced
// collection after the soak; nothing calls it while a figure is timed.
const server = await spawn('server-child.ts', { BENCH_SERVER_ENV: JSON.stringify(serverEnv) }, [
  '--expose-gc',
]);
const ceiling = await spawn('ceiling-child.ts');
const serverUrl = new URL(String(server.ready));
const serverPort = Number(serverUrl.port);
const ceilingPort = Number(ceiling.ready);
const setCeiling = (body: string, headers: Record<string, string>): Promise<unknown> =>
  new Promise((resolve) => {
    ceiling.child.once('message', resolve);
    ceiling.child.send({ body, headers });
  });

const mint = (claims: Record<string, unknown>): string =>
  jwt.sign({ jti: randomUUID(), iss: 'stixgate', aud: 'stixgate', ...claims }, secret, {
    algorithm: 'HS256',
    expiresIn: 6 * 3600,
  });
const analyst = mint({ sub: 'bench-analyst', role: 'analyst', groups: [] });
const partner = mint({ sub: 'bench-partner', role: 'partner', groups: ['energy-isac'] });
const admin = mint({ sub: 'bench-admin', role: 'admin', groups: [] });
const objectsPath = `/api1/collections/${COLLECTION}/objects/`;
const auth = (token: string) => ({ Accept: TAXII, Authorization: `Bearer ${token}` });

type MemorySample = NodeJS.MemoryUsage & { formsMemo: number };
/**
 * What the server's memory is made of: V8's heap (used of total), external memory (Buffers;
 * arrayBuffers is part of it), what the caches count themselves, and the rest of the RSS
 * (native: SQLite's page cache, code, stacks, malloc's slack).
 */
async function memoryParts(
  op: 'memory' | 'peak' | 'gc' = 'memory',
): Promise<{ m: MemorySample; cache?: { bytes: number; entries: number }; text: string }> {
  const m = (await call(server.child, op)) as MemorySample;
  const res = await fetch(`${serverUrl.origin}/admin/sharing`, {
    headers: { Accept: 'application/json', Authorization: `Bearer ${admin}` },
  });
  const cache = res.ok
    ? ((await res.json()) as { cache?: { bytes: number; entries: number } }).cache
    : undefined;
  const native = m.rss - m.heapTotal - m.external;
  const files = status(server.child.pid!).file;
  const text = [
    `rss ${mb(m.rss)} MB (${files.toFixed(0)} MB of it file-backed): heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB`,
    `external ${mb(m.external)} MB (array buffers ${mb(m.arrayBuffers)})`,
    `other (native) ${mb(native)} MB`,
    `derived cache ${cache === undefined ? '?' : `${mb(cache.bytes)} MB counted, ${cache.entries} entries`} (now)`,
    `forms memo ${mb(m.formsMemo)} MB counted`,
  ].join('; ');
  return { m, ...(cache !== undefined && { cache }), text };
}
const mb = (n: number): string => (n / 2 ** 20).toFixed(0);
const parts = async (op?: 'memory' | 'peak' | 'gc'): Promise<string> =>
  (await memoryParts(op)).text;

/** Peak and current RSS in MB; `file` is the part backed by files (node's own code, mostly). */
function status(pid: number): { hwm: number; rss: number; anon: number; file: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)![1]) / 1024;
  return { hwm: kb('VmHWM'), rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}
/** Resets the peak RSS the kernel reports for the server (Linux clear_refs). */
function resetPeak(): void {
  try {
    writeFileSync(`/proc/${server.child.pid}/clear_refs`, '5');
  } catch {
    // Not permitted here: the peak then covers the whole run, which the report says.
  }
}

async function profiled<T>(phase: string, run: () => Promise<T>): Promise<T> {
  if (profileDir === undefined) return run();
  mkdirSync(profileDir, { recursive: true });
  await call(server.child, 'profile-start');
  try {
    return await run();
  } finally {
    await call(server.child, 'profile-stop', {
      file: path.join(profileDir, `${label}-${objectCount}-${phase}.cpuprofile`),
    });
  }
}

async function get(
  token: string,
  query: string,
): Promise<{ text: string; headers: Record<string, string>; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${serverUrl.origin}${objectsPath}?${query}`, { headers: auth(token) });
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`GET ${query}: ${res.status} ${text.slice(0, 300)}`);
  const headers: Record<string, string> = { 'Content-Type': res.headers.get('content-type')! };
  for (const h of ['x-taxii-date-added-first', 'x-taxii-date-added-last']) {
    const v = res.headers.get(h);
    if (v !== null) headers[h] = v;
  }
  return { text, headers, ms };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

interface Figure {
  figure: string;
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  baselineName?: string;
  ratio?: number;
  target?: string;
  p50?: number;
  p99?: number;
  baselineP50?: number;
  note?: string;
}
const figures: Figure[] = [];
function record(f: Figure): void {
  figures.push(f);
  const ratio = f.ratio === undefined ? '' : ` ratio ${f.ratio.toFixed(3)} (target ${f.target})`;
  const base = f.baseline === undefined ? '' : ` | ${f.baselineName} ${f.baseline.toFixed(0)}`;
  const lat = f.p50 === undefined ? '' : ` p50 ${f.p50.toFixed(2)} ms p99 ${f.p99!.toFixed(2)} ms`;
  console.log(
    `[${f.figure}] ${f.name}: ${f.value.toFixed(f.value < 10 ? 1 : 0)} ${f.unit}${lat}${base}${ratio}`,
  );
  if (f.figure === '6' && f.note !== undefined) console.log(`    ${f.note}`);
}

/** Interleaves load runs of several targets, `rounds` times; medians of each. */
async function interleaved(
  targets: { port: number; request: Buffer; connections: number }[],
): Promise<{ rps: number; p50: number; p99: number }[]> {
  const results: LoadResult[][] = targets.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, t] of targets.entries()) {
      results[i]!.push(
        await load({
          port: t.port,
          connections: t.connections,
          durationMs: roundMs,
          next: repeat(t.request),
        }),
      );
    }
  }
  return results.map((rs) => ({
    rps: median(rs.map((x) => x.rps)),
    p50: median(rs.map((x) => x.p50)),
    p99: median(rs.map((x) => x.p99)),
  }));
}

const startedAt = new Date();
const loadBefore = os.loadavg();
try {
  // ---- 5. ingest (and the collection every other figure reads) ---------------------------------
  const envelopeCount = Math.ceil(objectCount / envelopeSize);
  const phases = [
    { writers: 1, from: 0, to: Math.ceil(envelopeCount / 2) },
    { writers: 4, from: Math.ceil(envelopeCount / 2), to: envelopeCount },
  ];
  for (const phase of phases) {
    const bodies: string[] = [];
    for (let e = phase.from; e < phase.to; e++) {
      const objects = [];
      for (let i = e * envelopeSize; i < Math.min(objectCount, (e + 1) * envelopeSize); i++)
        objects.push(corpusObject(i, entities));
      bodies.push(JSON.stringify({ objects }));
    }
    const count = Math.min(objectCount, phase.to * envelopeSize) - phase.from * envelopeSize;
    // The floor is timed just before and just after the phase (the mean of the two), so that a
    // neighbour's burst during one of them moves it less.
    const timeFloor = (): number => {
      const started = performance.now();
      for (const body of bodies) JSON.stringify(JSON.parse(body));
      return performance.now() - started;
    };
    const floorBefore = timeFloor();
    const headers = { ...auth(analyst), 'Content-Type': TAXII };
    let k = 0;
    const requests = bodies.map((b) => requestBytes('POST', objectsPath, headers, b));
    const result = await profiled(`ingest-${phase.writers}w`, () =>
      load({
        port: serverPort,
        connections: phase.writers,
        durationMs: 3_600_000,
        next: () => requests[k++],
        expect: 202,
      }),
    );
    const floorMs = (floorBefore + timeFloor()) / 2;
    const rate = count / result.seconds;
    const floorRate = count / (floorMs / 1000);
    record({
      figure: '5',
      name: `ingest, envelopes of ${envelopeSize}, ${phase.writers} writer(s)`,
      value: rate,
      unit: 'objects/s',
      baseline: floorRate,
      baselineName: 'JSON.parse+stringify objects/s',
      ratio: floorRate / rate,
      target: '≤ 8 (× the floor)',
      note: `${count} objects${result.resends > 0 ? `; ${result.resends} requests resent after the server dropped the connection unanswered` : ''}`,
    });
  }
  const afterIngest = status(server.child.pid!);
  console.log(
    `server RSS after ingest ${afterIngest.rss.toFixed(0)} MB (peak ${afterIngest.hwm.toFixed(0)} MB); ${await parts()}`,
  );

  // ---- 4 (analyst side) and the cursors/positions at 90 % depth --------------------------------
  let analystRead = 0;
  const positions: { next: string; last: string }[] = [];
  let crawlStart = performance.now();
  {
    let next: string | undefined;
    do {
      const page = await get(
        analyst,
        `limit=1000${next ? `&next=${encodeURIComponent(next)}` : ''}`,
      );
      const body = JSON.parse(page.text) as { objects?: unknown[]; more?: boolean; next?: string };
      analystRead += body.objects?.length ?? 0;
      next = body.more ? body.next : undefined;
      if (next !== undefined)
        positions.push({ next, last: page.headers['x-taxii-date-added-last']! });
    } while (next !== undefined);
  }
  // The page boundary at 90 % of the crawl (only latest versions are listed, so not of N).
  const deep = positions[Math.floor(positions.length * 0.9)];
  const deepNext = deep?.next;
  const deepAddedAfter = deep?.last;
  const analystCrawl = analystRead / ((performance.now() - crawlStart) / 1000);
  record({
    figure: '4',
    name: 'full crawl limit=1000 via next, analyst',
    value: analystCrawl,
    unit: 'objects/s',
    note: `${analystRead} objects`,
  });

  // ---- 1. raw pages vs the ceiling -------------------------------------------------------------
  const rawPages: Record<number, { text: string; headers: Record<string, string> }> = {};
  for (const limit of [100, 1000]) {
    const page = await get(analyst, `limit=${limit}`);
    rawPages[limit] = page;
    await setCeiling(page.text, page.headers);
    for (const connections of [1, 8]) {
      const request = requestBytes('GET', `${objectsPath}?limit=${limit}`, auth(analyst));
      const [base, raw] = await profiled(`raw-${limit}-${connections}c`, () =>
        interleaved([
          { port: ceilingPort, request, connections },
          { port: serverPort, request, connections },
        ]),
      );
      record({
        figure: '1',
        name: `raw GET limit=${limit}, ${connections} conn`,
        value: raw!.rps,
        unit: 'req/s',
        p50: raw!.p50,
        p99: raw!.p99,
        baseline: base!.rps,
        baselineP50: base!.p50,
        baselineName: 'node:http same bytes req/s',
        ratio: raw!.rps / base!.rps,
        target: '≥ 0.5',
        note: `${page.text.length} bytes`,
      });
    }
  }

  // ---- 2. 90 % depth vs the first page ---------------------------------------------------------
  if (deepNext !== undefined && deepAddedAfter !== undefined) {
    for (const connections of [1, 8]) {
      const first = requestBytes('GET', `${objectsPath}?limit=100`, auth(analyst));
      const viaNext = requestBytes(
        'GET',
        `${objectsPath}?limit=100&next=${encodeURIComponent(deepNext)}`,
        auth(analyst),
      );
      const viaAdded = requestBytes(
        'GET',
        `${objectsPath}?limit=100&added_after=${encodeURIComponent(deepAddedAfter)}`,
        auth(analyst),
      );
      const [f, n, a] = await interleaved([
        { port: serverPort, request: first, connections },
        { port: serverPort, request: viaNext, connections },
        { port: serverPort, request: viaAdded, connections },
      ]);
      for (const [name, r] of [
        ['next', n!],
        ['added_after', a!],
      ] as const) {
        record({
          figure: '2',
          name: `raw limit=100 at 90 % depth via ${name}, ${connections} conn`,
          value: r.rps,
          unit: 'req/s',
          p50: r.p50,
          p99: r.p99,
          baseline: f!.rps,
          baselineName: 'first page req/s',
          ratio: r.rps / f!.rps,
          target: '≥ 0.9',
        });
      }
    }
  }

  // ---- 4 (partner side) and 6 (peak RSS while a partner pages through) -------------------------
  const bumpPolicy = async (): Promise<void> => {
    policyRevision += 1;
    writeConfig();
    await call(server.child, 'reload');
  };
  await bumpPolicy();
  const partnerCursors: string[] = [];
  resetPeak();
  await call(server.child, 'peak'); // the parts at the peak also start from here
  for (const pass of ['first', 'second']) {
    let read = 0;
    let next: string | undefined;
    let capped = false;
    crawlStart = performance.now();
    await profiled(`partner-crawl-${pass}`, async () => {
      do {
        const page = await get(
          partner,
          `limit=1000${next ? `&next=${encodeURIComponent(next)}` : ''}`,
        );
        const body = JSON.parse(page.text) as {
          objects?: unknown[];
          more?: boolean;
          next?: string;
        };
        read += body.objects?.length ?? 0;
        next = body.more ? body.next : undefined;
        if (pass === 'first' && next !== undefined && partnerCursors.length < 500)
          partnerCursors.push(next);
        if (performance.now() - crawlStart > crawlCapMs && next !== undefined) {
          capped = true;
          break;
        }
      } while (next !== undefined);
    });
    const rate = read / ((performance.now() - crawlStart) / 1000);
    record({
      figure: '4',
      name: `full crawl limit=1000 via next, partner, ${pass} pass`,
      value: rate,
      unit: 'objects/s',
      baseline: analystCrawl,
      baselineName: 'analyst crawl objects/s',
      ratio: rate / analystCrawl,
      target: '≥ 0.5',
      note: `${read} objects served${capped ? ` (stopped after ${crawlCapMs / 1000} s)` : ''}`,
    });
  }
  const crawlPeak = status(server.child.pid!);
  record({
    figure: '6',
    name: 'server peak RSS while a partner pages through the collection (2 passes)',
    value: crawlPeak.hwm,
    unit: 'MB',
    target: '≤ 250 at 1M',
    note: `RSS after ingest ${afterIngest.rss.toFixed(0)} MB (peak ${afterIngest.hwm.toFixed(0)}); at the peak ${await parts('peak')}`,
  });

  // What the derived-bytes cache really holds: live heap (after a full GC) with the cache as the
  // crawl left it, then again once a reload has emptied it and one partner object was read (the
  // new sharing state builds its matchers on first use; they are not the cache's). Its own
  // count is beside it.
  {
    const full = await memoryParts('gc');
    await bumpPolicy();
    const fresh = await memoryParts('gc');
    await get(partner, 'limit=1');
    const empty = await memoryParts('gc');
    const live = (p: typeof full): number => p.m.heapUsed + p.m.external;
    record({
      figure: '6',
      name: 'derived-bytes cache, live heap it holds (GC before and after a reload empties it)',
      value: (live(full) - live(empty)) / 2 ** 20,
      unit: 'MB',
      note: `its own count ${mb(full.cache?.bytes ?? 0)} MB for ${full.cache?.entries ?? 0} entries; a sharing state's matchers (built on first read) ${mb(live(empty) - live(fresh))} MB; with the cache: ${full.text}; emptied: ${empty.text}`,
    });
  }

  // ---- 3. partner pages, cold and warm, vs the raw page ----------------------------------------
  for (const limit of [100, 1000]) {
    const cold: number[] = [];
    const samples = limit === 100 ? 20 : 8;
    for (let s = 0; s < samples; s++) {
      await bumpPolicy(); // a new policy revision: nothing derived before may be served
      cold.push((await get(partner, `limit=${limit}`)).ms);
    }
    const rawSeq: number[] = [];
    for (let s = 0; s < samples; s++) rawSeq.push((await get(analyst, `limit=${limit}`)).ms);
    const [mc, mr] = [median(cold), median(rawSeq)];
    record({
      figure: '3',
      name: `partner GET limit=${limit} cold (new policy revision), 1 conn`,
      value: 1000 / mc,
      unit: 'req/s',
      p50: mc,
      p99: Math.max(...cold),
      baseline: 1000 / mr,
      baselineName: 'raw page req/s (sequential)',
      ratio: mr / mc,
      target: '≥ 0.4',
    });
    for (const connections of [1, 8]) {
      const rawRequest = requestBytes('GET', `${objectsPath}?limit=${limit}`, auth(analyst));
      const partnerRequest = requestBytes('GET', `${objectsPath}?limit=${limit}`, auth(partner));
      await get(partner, `limit=${limit}`); // warm: the page was derived once before timing
      const [raw, warm] = await profiled(`partner-warm-${limit}-${connections}c`, () =>
        interleaved([
          { port: serverPort, request: rawRequest, connections },
          { port: serverPort, request: partnerRequest, connections },
        ]),
      );
      record({
        figure: '3',
        name: `partner GET limit=${limit} warm, ${connections} conn`,
        value: warm!.rps,
        unit: 'req/s',
        p50: warm!.p50,
        p99: warm!.p99,
        baseline: raw!.rps,
        baselineName: 'raw page req/s',
        ratio: warm!.rps / raw!.rps,
        target: '≥ 0.7',
      });
    }
  }

  // ---- 6. soak: partner pages all over the collection plus raw pages, 8 connections ------------
  {
    const requests = [
      ...partnerCursors.map((c) =>
        requestBytes(
          'GET',
          `${objectsPath}?limit=100&next=${encodeURIComponent(c)}`,
          auth(partner),
        ),
      ),
      requestBytes('GET', `${objectsPath}?limit=100`, auth(analyst)),
      requestBytes('GET', `${objectsPath}?limit=1000`, auth(partner)),
    ];
    let k = 0;
    const result = await load({
      port: serverPort,
      connections: 8,
      durationMs: soakMs,
      next: () => requests[k++ % requests.length],
    });
    const after = status(server.child.pid!);
    record({
      figure: '6',
      name: `server RSS after a ${soakMs / 1000} s soak (${result.requests} mixed requests)`,
      value: after.rss,
      unit: 'MB',
      note: `peak since the partner crawl ${after.hwm.toFixed(0)} MB; ${await parts()}`,
    });
    const collected = await parts('gc');
    record({
      figure: '6',
      name: 'server RSS after the soak and one forced full GC',
      value: status(server.child.pid!).rss,
      unit: 'MB',
      note: collected,
    });
  }
} finally {
  const loadAfter = os.loadavg();
  await call(server.child, 'close').catch(() => undefined);
  ceiling.child.send({ close: true });
  rmSync(dir, { recursive: true, force: true });
  const cpu = os.cpus();
  const machine = {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadBefore,
    loadAfter,
  };
  const result = {
    label,
    objects: objectCount,
    backend: process.env.MONGODB_URI ? 'mongodb' : 'sqlite',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    settings: {
      roundSeconds: roundMs / 1000,
      rounds,
      crawlCapSeconds: crawlCapMs / 1000,
      soakSeconds: soakMs / 1000,
    },
    machine,
    figures,
  };
  const out = path.join(here, 'results');
  mkdirSync(out, { recursive: true });
  const base = path.join(out, `${label}-${objectCount}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const fmt = (n: number | undefined, d = 0): string => (n === undefined ? '' : n.toFixed(d));
  const lines = [
    `# ${label}: ${objectCount} objects, ${result.backend}`,
    '',
    `${result.startedAt} → ${result.finishedAt}; ${machine.cpu} × ${machine.cores}, ${machine.memoryGiB} GiB, Node ${machine.node}; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}.`,
    '',
    '| # | figure | value | p50 / p99 ms | baseline (same run) | ratio | target | note |',
    '|---|---|---|---|---|---|---|---|',
    ...figures.map(
      (f) =>
        `| ${f.figure} | ${f.name} | ${fmt(f.value, f.value < 10 ? 1 : 0)} ${f.unit} | ${f.p50 === undefined ? '' : `${fmt(f.p50, 2)} / ${fmt(f.p99, 2)}`} | ${f.baseline === undefined ? '' : `${f.baselineName}: ${fmt(f.baseline)}`} | ${fmt(f.ratio, 3)} | ${f.target ?? ''} | ${f.note ?? ''} |`,
    ),
    '',
  ];
  writeFileSync(`${base}.md`, lines.join('\n'));
  console.log(`results: ${base}.json, ${base}.md`);
}
