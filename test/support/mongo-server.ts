// The MongoDB the tests use: MONGODB_URI when set (a real mongod), otherwise the in-memory,
// MongoDB-wire-compatible jongodb server from @jongodb/memory-server-bin-linux-x64-gnu, started
// once per test run by global-setup.ts and handed to the test workers with vitest's
// provide/inject. Each suite takes its own random database name, so suites never interfere.
//
// jongodb is not mongod. Measured on 0.1.6 (see docs/scaling.md, "Testing without mongod"):
// it ignores projections; has no $push/$pull/$max nor pipeline updates; applies a bulk write
// (ordered or not) all or nothing and reports no per-operation writeErrors; its transactions
// are not isolated (a concurrent update is lost, no WriteConflict); it has no explain,
// listCollections, create, drop or dropDatabase. The MongoDB store uses none of these.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the MongoDB every MongoDB test uses (see global-setup.ts). */
    mongodbUri: string;
    /** 'mongod' when MONGODB_URI was given, 'jongodb' when the harness started its own server. */
    mongodbServer: 'mongod' | 'jongodb';
  }
}

export interface RunningMongo {
  uri: string;
  server: 'mongod' | 'jongodb';
  stop(): Promise<void>;
}

const startTimeoutMs = 30_000;

function jongodbBinary(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@jongodb/memory-server-bin-linux-x64-gnu/package.json');
  return path.join(path.dirname(manifest), 'bin', 'jongodb');
}

// Runs jongodb under a small shell that kills it when the node process that started it dies
// (vitest killed, a crashed bench): no orphaned servers left on a shared machine. $1 is the
// binary, $2 the pid to watch.
const watchdog = `
"$1" --host=127.0.0.1 --port=0 &
child=$!
trap 'kill $child 2>/dev/null; exit 0' TERM INT
while kill -0 "$2" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done
kill $child 2>/dev/null
wait $child
`;

/**
 * Starts jongodb on a free port (`--port=0`: the kernel picks it, so two runs never race for
 * a port) and resolves once it prints `JONGODB_URI=…`.
 */
export async function startJongodb(): Promise<RunningMongo> {
  const child: ChildProcess = spawn(
    '/bin/sh',
    ['-c', watchdog, 'jongodb-watchdog', jongodbBinary(), String(process.pid)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const uri = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`jongodb did not print JONGODB_URI within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /JONGODB_URI=(\S+)/.exec(seen);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `jongodb exited with code ${String(code)} before it was ready: ${seen.slice(0, 500)}`,
        ),
      );
    });
  });
  // Keep draining its output so a full pipe never blocks the server.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    uri,
    server: 'jongodb',
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        // The shell's trap stops jongodb, then the shell exits.
        child.kill('SIGTERM');
      }),
  };
}

/** MONGODB_URI when set, else a fresh jongodb. */
export async function startMongo(env: NodeJS.ProcessEnv = process.env): Promise<RunningMongo> {
  const given = env.MONGODB_URI;
  if (given !== undefined && given !== '') {
    return { uri: given, server: 'mongod', stop: async () => {} };
  }
  return startJongodb();
}

interface SharedMongo {
  running: Promise<RunningMongo>;
  users: number;
}

const sharedKey = Symbol.for('stixgate.test.mongo');

/**
 * One server for the whole run, however many vitest projects call the global setup (each
 * project runs it, in the same process): the first call starts it, the last release stops it.
 */
export async function acquireSharedMongo(): Promise<{
  mongo: RunningMongo;
  release: () => Promise<void>;
}> {
  const holder = globalThis as { [sharedKey]?: SharedMongo };
  let shared = holder[sharedKey];
  if (shared === undefined) {
    shared = { running: startMongo(), users: 0 };
    holder[sharedKey] = shared;
  }
  shared.users++;
  const current = shared;
  const mongo = await current.running;
  let released = false;
  return {
    mongo,
    release: async () => {
      if (released) return;
      released = true;
      current.users--;
      if (current.users > 0) return;
      if (holder[sharedKey] === current) delete holder[sharedKey];
      await mongo.stop();
    },
  };
}

/** The URI provided by global-setup.ts; call inside a test file. */
export function testMongoUri(): string {
  return inject('mongodbUri');
}

export function testMongoServer(): 'mongod' | 'jongodb' {
  return inject('mongodbServer');
}

/** A database name no other suite uses (MongoDB limits names to 63 bytes). */
export function uniqueDbName(prefix = 'stixgate_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}
