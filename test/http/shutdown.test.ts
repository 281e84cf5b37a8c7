// SIGTERM drain: a request in flight when the signal arrives completes within the drain; what
// is still running when the drain is over is cut off and logged; new connections are refused.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request, type IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.js';
import { makeEnvelope, makeIndicator } from '../support/builders.js';
import { COLLECTIONS, backendEnv, startTestServer } from '../support/start-server.js';
import { TAXII } from '../support/taxii-client.js';
import { mintToken, TEST_JWT_SECRET } from '../support/tokens.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Starts a POST whose body is sent in two halves; `finish()` sends the second. */
function slowPost(url: string, token: string) {
  const body = Buffer.from(JSON.stringify(makeEnvelope(makeIndicator())));
  const half = Math.floor(body.length / 2);
  const target = new URL(`/api1/collections/${COLLECTIONS.rw.id}/objects/`, url);
  let resolveResponse!: (res: { status: number; text: string }) => void;
  let rejectResponse!: (error: Error) => void;
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    resolveResponse = resolve;
    rejectResponse = reject;
  });
  const req = request(
    target,
    {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: TAXII,
        'Content-Type': TAXII,
        'Content-Length': String(body.length),
      },
    },
    (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, text }));
      res.on('error', rejectResponse);
    },
  );
  req.on('error', rejectResponse);
  req.write(body.subarray(0, half));
  return { response, finish: () => req.end(body.subarray(half)) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SIGTERM drain', () => {
  it('a real SIGTERM: the upload in flight completes, the process exits 0 and logs the drain', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'stixgate-sigterm-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const secretFile = path.join(dir, 'jwt');
    await writeFile(secretFile, TEST_JWT_SECRET, { mode: 0o600 });
    const configFile = path.join(dir, 'stixgate.json');
    await writeFile(
      configFile,
      JSON.stringify({
        collections: [
          {
            id: COLLECTIONS.rw.id,
            title: 'rw',
            read: { roles: ['analyst'] },
            write: { roles: ['analyst'] },
          },
        ],
      }),
    );
    const child = spawn(process.execPath, [path.join(REPO, 'bin/stixgate.js'), 'serve'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dir,
        STIXGATE_CONFIG: configFile,
        STIXGATE_JWT_SECRET_FILE: secretFile,
        STIXGATE_SHUTDOWN_DRAIN_SECONDS: '20',
        ...backendEnv(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const deadline = Date.now() + 60_000;
    let url: string | undefined;
    while (url === undefined && Date.now() < deadline && child.exitCode === null) {
      const line = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg?: string; url?: string })
        .find((l) => l.msg === 'listening');
      url = line?.url;
      if (url === undefined) await sleep(50);
    }
    expect(url, stderr).toBeDefined();
    // Every start-up line is one JSON log record: no plain text mixed in.
    for (const line of stdout.split('\n').filter((l) => l !== ''))
      expect(() => JSON.parse(line) as unknown).not.toThrow();

    const upload = slowPost(url!, mintToken({ role: 'analyst' }));
    await sleep(300);
    child.kill('SIGTERM');
    await sleep(500);
    // Draining: the listener is closed to new connections.
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    upload.finish();
    const res = await upload.response;
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toMatchObject({ success_count: 1, failure_count: 0 });
    expect(await exited).toBe(0);
    const records = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toContainEqual(
      expect.objectContaining({ signal: 'SIGTERM', inFlight: 1, drainSeconds: 20 }),
    );
    expect(records).toContainEqual(expect.objectContaining({ msg: 'stopped', cutOff: 0 }));
  }, 90_000);

  it('cuts off and logs what is still in flight when the drain is over', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(
          ...chunk
            .toString()
            .split('\n')
            .filter((l) => l !== ''),
        );
        done();
      },
    });
    const server = await startTestServer({
      env: { STIXGATE_SHUTDOWN_DRAIN_SECONDS: '1' },
      start: { log: createLogger('info', sink) },
    });
    cleanups.push(() => server.close());
    const upload = slowPost(server.url, server.tokens.analyst);
    const settled = upload.response.then(
      () => 'answered',
      () => 'cut off',
    );
    await sleep(300);
    const started = Date.now();
    const outcome = await server.running.shutdown('SIGTERM');
    const took = Date.now() - started;
    expect(outcome).toEqual({ cutOff: 1 });
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(10_000);
    expect(await settled).toBe('cut off');
    const cut = lines
      .map((l) => JSON.parse(l) as { msg?: string; cutOff?: unknown })
      .find((l) => typeof l.msg === 'string' && l.msg.includes('cutting off 1 request'));
    expect(cut?.cutOff).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/api1/collections/${COLLECTIONS.rw.id}/objects/`,
      }),
    ]);
  });
});
