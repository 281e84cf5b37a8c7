// Ingest alone: POST objects/ in envelopes of 1,000 (the corpus of the speed benchmark) to the
// real server (production wiring, SQLite in a temporary DATA_DIR) in a child process, against
// the JSON floor (JSON.parse + JSON.stringify of the same bytes) timed in this process in the
// same round. Reports wall objects/s and the server's CPU per object (utime + stime of the
// child, so a neighbour's load moves it less than wall time).
//
//   npx tsx bench/ingest.ts [tree[,node-flag…]…]
//
// Each `tree` is a checkout of stixgate (default: this one); their servers are measured round
// by round, interleaved, on the same envelopes, so a before/after comparison is one run. Node
// flags after a comma go to that server (`.,--max-semi-space-size=64` compares a V8 setting).
// Environment: BENCH_ROUNDS (3), BENCH_ENVELOPES per round and phase (10), BENCH_PROFILE_DIR
// (a CPU profile of each server per phase and round; profiling costs throughput).
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import { corpusObject, registryEntities } from './speed/corpus.js';
import { load, requestBytes } from './speed/load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const trees = process.argv.length > 2 ? process.argv.slice(2) : [path.join(here, '..')];
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const envelopes = Number(process.env.BENCH_ENVELOPES ?? 10);
const profileDir = process.env.BENCH_PROFILE_DIR;
const envelopeSize = 1000;
const TAXII = 'application/taxii+json;version=2.1';
const COLLECTION = '5a1e0000-0000-4000-8000-00000000b3c4';
const secret = `bench-${randomUUID()}-${randomUUID()}`;
const entities = registryEntities(600);
const objectsPath = `/api1/collections/${COLLECTION}/objects/`;
const token = jwt.sign(
  { jti: randomUUID(), iss: 'stixgate', aud: 'stixgate', sub: 'bench', role: 'analyst' },
  secret,
  { algorithm: 'HS256', expiresIn: 3600 },
);

interface Server {
  /** The tree and its flags, as given. */
  name: string;
  tree: string;
  child: ChildProcess;
  port: number;
  dir: string;
}

async function startServer(name: string): Promise<Server> {
  const [tree = '.', ...flags] = name.split(',');
  const dir = mkdtempSync(path.join(tmpdir(), 'stixgate-ingest-'));
  writeFileSync(path.join(dir, 'jwt'), secret, { mode: 0o600 });
  writeFileSync(
    path.join(dir, 'stixgate.json'),
    JSON.stringify({
      api_roots: [{ path: 'api1', title: 'bench', max_content_length: 64 * 1024 * 1024 }],
      limits: { principal_requests_per_minute: 0 },
      collections: [
        {
          id: COLLECTION,
          title: 'ingest bench',
          read: { roles: ['analyst'], groups: [] },
          write: { roles: ['analyst'], groups: [] },
        },
      ],
    }),
  );
  const env = {
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dir,
    STIXGATE_JWT_SECRET_FILE: path.join(dir, 'jwt'),
    STIXGATE_CONFIG: path.join(dir, 'stixgate.json'),
  };
  const child = fork(path.join(tree, 'bench/speed/server-child.ts'), [], {
    cwd: tree,
    execArgv: ['--import', 'tsx', ...flags],
    env: { ...process.env, BENCH_SERVER_ENV: JSON.stringify(env) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server of ${tree} exited with ${code}`)));
    child.once('message', (m: { ready: string }) => resolve(m.ready));
  });
  return { name, tree, child, port: Number(new URL(ready).port), dir };
}

let nextId = 1;
function call(child: ChildProcess, op: string, extra: Record<string, unknown> = {}): Promise<void> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (m: { id?: number; error?: string }): void => {
      if (m.id !== id) return;
      child.off('message', onMessage);
      if (m.error !== undefined) reject(new Error(m.error));
      else resolve();
    };
    child.on('message', onMessage);
    child.send({ id, op, ...extra });
  });
}

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function floorSeconds(bodies: readonly string[]): number {
  const started = performance.now();
  for (const body of bodies) JSON.stringify(JSON.parse(body));
  return (performance.now() - started) / 1000;
}

function envelopeBodies(first: number): string[] {
  const bodies: string[] = [];
  for (let e = 0; e < envelopes; e++) {
    const objects = [];
    const start = (first + e) * envelopeSize;
    for (let i = start; i < start + envelopeSize; i++) objects.push(corpusObject(i, entities));
    bodies.push(JSON.stringify({ objects }));
  }
  return bodies;
}

interface Sample {
  rate: number;
  floorRate: number;
  cpuMicrosPerObject: number;
  floorMicrosPerObject: number;
}

async function post(server: Server, bodies: readonly string[], writers: number): Promise<Sample> {
  const headers = { Accept: TAXII, 'Content-Type': TAXII, Authorization: `Bearer ${token}` };
  const requests = bodies.map((b) => requestBytes('POST', objectsPath, headers, b));
  const count = bodies.length * envelopeSize;
  const floorBefore = floorSeconds(bodies);
  const cpuBefore = cpuSeconds(server.child.pid!);
  let k = 0;
  const result = await load({
    port: server.port,
    connections: writers,
    durationMs: 3_600_000,
    next: () => requests[k++],
    expect: 202,
  });
  const cpu = cpuSeconds(server.child.pid!) - cpuBefore;
  const floor = (floorBefore + floorSeconds(bodies)) / 2;
  return {
    rate: count / result.seconds,
    floorRate: count / floor,
    cpuMicrosPerObject: (cpu / count) * 1e6,
    floorMicrosPerObject: (floor / count) * 1e6,
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const servers: Server[] = [];
try {
  for (const tree of trees) servers.push(await startServer(tree));
  // Warm-up: compiles the hot paths of every server before anything is measured.
  const warm = envelopeBodies(10_000).slice(0, 2);
  for (const server of servers) await post(server, warm, 1);

  const samples = new Map<string, Sample[]>();
  let next = 0;
  for (let r = 0; r < rounds; r++) {
    for (const writers of [1, 4]) {
      const bodies = envelopeBodies(next);
      next += envelopes;
      for (const server of servers) {
        const profile = profileDir !== undefined;
        const file = path.join(
          profileDir ?? '',
          `ingest-${path.basename(server.tree)}-${servers.indexOf(server)}-${writers}w-r${r}.cpuprofile`,
        );
        if (profile) {
          mkdirSync(profileDir, { recursive: true });
          await call(server.child, 'profile-start');
        }
        const sample = await post(server, bodies, writers);
        if (profile) await call(server.child, 'profile-stop', { file });
        const key = `${server.name}|${writers}`;
        samples.set(key, [...(samples.get(key) ?? []), sample]);
      }
    }
  }
  console.log(
    `envelopes of ${envelopeSize}, ${envelopes} per round and phase, ${rounds} rounds (medians)`,
  );
  for (const [key, list] of samples) {
    const [name, writers] = key.split('|');
    const rate = median(list.map((s) => s.rate));
    const ratio = median(list.map((s) => s.floorRate / s.rate));
    const cpu = median(list.map((s) => s.cpuMicrosPerObject));
    const cpuRatio = median(list.map((s) => s.cpuMicrosPerObject / s.floorMicrosPerObject));
    // Totals over all rounds: the CPU clock ticks at 10 ms, so a short round's figure is coarse.
    const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
    const cpuMean = mean(list.map((s) => s.cpuMicrosPerObject));
    const floorMean = mean(list.map((s) => s.floorMicrosPerObject));
    console.log(
      `${name} ${writers}w: ${rate.toFixed(0)} objects/s (${ratio.toFixed(1)}× floor); server CPU ${cpu.toFixed(1)} µs/object (${cpuRatio.toFixed(1)}× floor); over all rounds ${cpuMean.toFixed(1)} µs/object, floor ${floorMean.toFixed(2)} µs/object (${(cpuMean / floorMean).toFixed(1)}×)`,
    );
  }
} finally {
  for (const server of servers) {
    await call(server.child, 'close').catch(() => undefined);
    rmSync(server.dir, { recursive: true, force: true });
  }
}
