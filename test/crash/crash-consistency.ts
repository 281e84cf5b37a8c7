// Crash consistency, both backends: a stream of POSTs (new objects and new versions of earlier
// ones) while the server is SIGKILLed at random moments and restarted on the same data; at the
// end every acknowledged version must be stored exactly once, every acknowledged status
// readable, and the first/last markers consistent with the stored versions. `npm run
// test:crash`; exits non-zero on any loss, duplicate, unreadable status or marker defect.
//
// STIXGATE_CRASH_SECONDS sets the time per backend (default 50); MONGODB_URI a real mongod.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeIndicator } from '../support/builders.js';
import { startMongo } from '../support/mongo-server.js';
import { TEST_JWT_SECRET, mintToken } from '../support/tokens.js';

const TAXII = 'application/taxii+json;version=2.1';
const COLLECTION = '77777777-7777-4777-8777-777777777777';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECONDS = Number(process.env.STIXGATE_CRASH_SECONDS ?? '50');

interface Server {
  child: ChildProcess;
  url: string;
  /** Reservations the store repaired and released when it opened (MongoDB). */
  abandoned: number;
}

interface Figures {
  backend: string;
  kills: number;
  postsAcknowledged: number;
  versionsAcknowledged: number;
  found: number;
  lost: number;
  duplicated: number;
  statusesUnreadable: number;
  idsChecked: number;
  markerDefects: number;
  reservationsRepairedAtStart: number;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/stixgate.js'), 'serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let abandoned = 0;
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const reservations = /"abandonedReservations":(\d+)/.exec(out);
      if (reservations) abandoned = Number(reservations[1]);
      const match = /stixgate listening on (http:\/\/[^\s]+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${String(code)}):\n${out}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return { child, url, abandoned };
}

function kill(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

function indicator(id: string, modified: string): Record<string, unknown> {
  return makeIndicator({
    id,
    modified,
    name: `crash ${modified}`,
    valid_from: '2026-01-01T00:00:00Z',
  });
}

async function request(
  url: string,
  token: string,
  method: string,
  body?: string,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method,
    headers: {
      Accept: TAXII,
      Authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'Content-Type': TAXII }),
    },
    ...(body !== undefined && { body }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

async function runBackend(backend: 'sqlite' | 'mongodb'): Promise<Figures> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `stixgate-crash-${backend}-`));
  const mongo = backend === 'mongodb' ? await startMongo() : undefined;
  try {
    const secretFile = path.join(dataDir, 'jwt-secret');
    await writeFile(secretFile, TEST_JWT_SECRET, { mode: 0o600 });
    const configFile = path.join(dataDir, 'stixgate.json');
    const access = { roles: ['analyst'], groups: [] };
    await writeFile(
      configFile,
      JSON.stringify({
        discovery: { title: 'crash test', default: 'api1' },
        api_roots: [{ path: 'api1', title: 'crash' }],
        collections: [
          { id: COLLECTION, alias: 'crash', title: 'Crash', read: access, write: access },
        ],
        // One principal posts and then reads back thousands of statuses: the per-principal
        // rate limit would answer 429 to the check itself, and it is not what is under test.
        limits: { principal_requests_per_minute: 0 },
      }),
    );
    const env: Record<string, string> = {
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      STIXGATE_JWT_SECRET_FILE: secretFile,
      STIXGATE_CONFIG: configFile,
      STIXGATE_LOG_LEVEL: 'info',
    };
    if (mongo) {
      const uri = new URL(mongo.uri);
      uri.pathname = `/stixgate_crash_${randomUUID().slice(0, 8)}`;
      env.MONGODB_URI = uri.toString();
    }
    const token = mintToken({ sub: 'crash-writer', role: 'analyst' });

    const acknowledged = new Map<string, number>(); // `${id}@${version}` → times acknowledged
    const statuses: string[] = [];
    const ids: string[] = [];
    let step = 0;
    let kills = 0;
    let reservationsRepaired = 0;
    const deadline = Date.now() + SECONDS * 1000;

    while (Date.now() < deadline) {
      const server = await startServer(env);
      reservationsRepaired += server.abandoned;
      const objectsUrl = `${server.url}/api1/collections/${COLLECTION}/objects/`;
      let killed = false;
      const killAt = 200 + Math.random() * 2_500;
      const killer = setTimeout(() => {
        killed = true;
        void kill(server);
      }, killAt);
      // Two writers, so that a kill can land between the writes of two requests too.
      const writer = async (): Promise<void> => {
        while (!killed) {
          const batch: Record<string, unknown>[] = [];
          for (let i = 0; i < 10; i++) {
            step++;
            const modified = new Date(Date.UTC(2026, 0, 1) + step).toISOString();
            // Half new objects, half new versions of earlier ones (markers move).
            const reuse = ids.length > 0 && Math.random() < 0.5;
            const id = reuse
              ? ids[Math.floor(Math.random() * ids.length)]!
              : `indicator--${randomUUID()}`;
            if (!reuse) ids.push(id);
            batch.push(indicator(id, modified));
          }
          try {
            const res = await request(
              objectsUrl,
              token,
              'POST',
              JSON.stringify({ objects: batch }),
            );
            if (res.status !== 202) throw new Error(`POST answered ${res.status}`);
            const status = res.json as {
              id: string;
              successes?: { id: string; version: string }[];
            };
            statuses.push(status.id);
            for (const s of status.successes ?? []) {
              const key = `${s.id}@${s.version}`;
              acknowledged.set(key, (acknowledged.get(key) ?? 0) + 1);
            }
          } catch (error) {
            if (!killed) throw error;
          }
        }
      };
      await Promise.all([writer(), writer()]);
      clearTimeout(killer);
      await kill(server);
      kills++;
    }

    // Verification on a restarted server.
    const server = await startServer(env);
    reservationsRepaired += server.abandoned;
    const base = `${server.url}/api1/collections/${COLLECTION}`;
    const listAll = async (query: string): Promise<{ id: string; version: string }[]> => {
      const out: { id: string; version: string }[] = [];
      let next: string | undefined;
      do {
        const q = `${query}&limit=1000${next ? `&next=${encodeURIComponent(next)}` : ''}`;
        const res = await request(`${base}/manifest/?${q}`, token, 'GET');
        if (res.status !== 200) throw new Error(`manifest answered ${res.status}`);
        const body = res.json as {
          objects?: { id: string; version: string }[];
          more?: boolean;
          next?: string;
        };
        out.push(...(body.objects ?? []));
        next = body.more === true ? body.next : undefined;
      } while (next !== undefined);
      return out;
    };
    const all = await listAll('match[version]=all');
    const stored = new Map<string, number>();
    for (const o of all)
      stored.set(`${o.id}@${o.version}`, (stored.get(`${o.id}@${o.version}`) ?? 0) + 1);
    let lost = 0;
    let found = 0;
    for (const key of acknowledged.keys()) {
      if (stored.has(key)) found++;
      else lost++;
    }
    const duplicated = [...stored.values()].filter((n) => n > 1).length;

    // Markers: last and first list each id once, at its newest and oldest stored version.
    const byId = new Map<string, string[]>();
    for (const o of all) byId.set(o.id, [...(byId.get(o.id) ?? []), o.version]);
    let markerDefects = 0;
    for (const [which, pick] of [
      ['last', (v: string[]) => v.reduce((a, b) => (a > b ? a : b))],
      ['first', (v: string[]) => v.reduce((a, b) => (a < b ? a : b))],
    ] as const) {
      const listed = await listAll(`match[version]=${which}`);
      const seen = new Map<string, string[]>();
      for (const o of listed) seen.set(o.id, [...(seen.get(o.id) ?? []), o.version]);
      for (const [id, versions] of byId) {
        const got = seen.get(id) ?? [];
        if (got.length !== 1 || got[0] !== pick(versions)) markerDefects++;
      }
    }

    let statusesUnreadable = 0;
    for (const id of statuses) {
      const res = await request(`${server.url}/api1/status/${id}/`, token, 'GET');
      if (res.status !== 200) {
        statusesUnreadable++;
        if (statusesUnreadable <= 3) console.error(`status ${id} answered ${res.status}`);
      }
    }
    await stop(server);
    return {
      backend,
      kills,
      postsAcknowledged: statuses.length,
      versionsAcknowledged: acknowledged.size,
      found,
      lost,
      duplicated,
      statusesUnreadable,
      idsChecked: byId.size,
      markerDefects,
      reservationsRepairedAtStart: reservationsRepaired,
    };
  } finally {
    await mongo?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const results: Figures[] = [];
for (const backend of ['sqlite', 'mongodb'] as const) {
  const figures = await runBackend(backend);
  results.push(figures);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
const failed = results.filter(
  (r) =>
    r.kills === 0 ||
    r.versionsAcknowledged === 0 ||
    r.lost > 0 ||
    r.duplicated > 0 ||
    r.statusesUnreadable > 0 ||
    r.markerDefects > 0,
);
if (failed.length > 0) {
  process.stderr.write(`crash consistency FAILED on ${failed.map((r) => r.backend).join(', ')}\n`);
  process.exit(1);
}
process.stdout.write('crash consistency: every acknowledged version present exactly once\n');
process.exit(0);
