// The composition root (src/main.ts startServer): first start without any configuration,
// generated secrets, cursors shared by instances, seeding, reload, TLS, configuration errors.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import os from 'node:os';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { ConfigError } from '../../src/errors.js';
import { createLogger } from '../../src/http/logger.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { makeEnvelope, makeIndicator } from '../support/builders.js';
import { backendEnv, TEST_CONFIG } from '../support/start-server.js';
import { TAXII, TaxiiClient } from '../support/taxii-client.js';
import { mintToken, TEST_JWT_SECRET } from '../support/tokens.js';
import { checkedNodeResponse } from '../support/checked-fetch.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'stixgate-start-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(env: Record<string, string>, lines: string[] = []): Promise<RunningServer> {
  const running = await startServer(
    { HOST: '127.0.0.1', PORT: '0', ...env },
    { log: createLogger('silent'), print: (l) => lines.push(l) },
  );
  cleanups.push(() => running.close());
  return running;
}

describe('first start without configuration', () => {
  it('serves the default root, prints the URLs and how to get an admin token', async () => {
    const dataDir = await tempDir();
    const lines: string[] = [];
    const running = await start({ DATA_DIR: dataDir, ...backendEnv() }, lines);
    const output = lines.join('\n');
    expect(output).toContain(`${running.url}/taxii2/`);
    expect(output).toContain(`${running.url}/api1/`);
    expect(output).toContain('stixgate token issue');
    expect(output).not.toContain(await readFile(path.join(dataDir, 'jwt-secret'), 'utf8'));
  });

  it('creates jwt-secret and cursor-secret with mode 0600, once', async () => {
    const dataDir = await tempDir();
    const env = { DATA_DIR: dataDir, ...backendEnv() };
    const first = await start(env);
    const jwtSecret = await readFile(path.join(dataDir, 'jwt-secret'), 'utf8');
    const cursorSecret = await readFile(path.join(dataDir, 'cursor-secret'), 'utf8');
    expect((await stat(path.join(dataDir, 'jwt-secret'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dataDir, 'cursor-secret'))).mode & 0o777).toBe(0o600);
    await first.close();
    const lines: string[] = [];
    await start(env, lines);
    expect(await readFile(path.join(dataDir, 'jwt-secret'), 'utf8')).toBe(jwtSecret);
    expect(await readFile(path.join(dataDir, 'cursor-secret'), 'utf8')).toBe(cursorSecret);
    expect(lines.join('\n')).not.toContain('stixgate token issue');
  });

  it('accepts tokens signed with the generated secret', async () => {
    const dataDir = await tempDir();
    const running = await start({ DATA_DIR: dataDir, ...backendEnv() });
    const secret = (await readFile(path.join(dataDir, 'jwt-secret'), 'utf8')).trim();
    const client = new TaxiiClient(running.url, mintToken({ role: 'analyst' }, { secret }));
    expect((await client.get('/api1/')).status).toBe(200);
  });
});

describe('several instances on one store', () => {
  it('accept each other’s next cursors when they share the cursor secret file', async () => {
    const dataDir = await tempDir();
    const shared = await tempDir();
    const secretFile = path.join(shared, 'jwt');
    const cursorFile = path.join(shared, 'cursor');
    const configFile = path.join(shared, 'config.json');
    await writeFile(secretFile, TEST_JWT_SECRET, { mode: 0o600 });
    await writeFile(cursorFile, 'a-cursor-secret-shared-by-all-instances-0123456789', {
      mode: 0o600,
    });
    await writeFile(configFile, JSON.stringify(TEST_CONFIG));
    const env = {
      DATA_DIR: dataDir,
      STIXGATE_JWT_SECRET_FILE: secretFile,
      STIXGATE_CURSOR_SECRET_FILE: cursorFile,
      STIXGATE_CONFIG: configFile,
      ...backendEnv(),
    };
    const a = await start(env);
    const b = await start(env);
    const token = mintToken({ sub: 'analyst-1', role: 'analyst' });
    const objects = '/api1/collections/rw/objects/';
    await new TaxiiClient(a.url, token).post(
      objects,
      makeEnvelope(makeIndicator(), makeIndicator(), makeIndicator()),
    );
    const first = await new TaxiiClient(a.url, token).get(objects, { query: 'limit=1' });
    const next = (first.body as { next: string }).next;
    const second = await new TaxiiClient(b.url, token).get(objects, {
      query: `limit=1&next=${encodeURIComponent(next)}`,
    });
    expect(second.status).toBe(200);
    expect((second.body as { objects: unknown[] }).objects).toHaveLength(1);
  });
});

describe('configuration', () => {
  it('refuses to start with an invalid file and names the key', async () => {
    const dir = await tempDir();
    const configFile = path.join(dir, 'bad.yaml');
    await writeFile(configFile, 'api_roots:\n  - path: api1\n    title: x\n    max_limit: 0\n');
    await expect(start({ DATA_DIR: dir, STIXGATE_CONFIG: configFile })).rejects.toThrow(
      ConfigError,
    );
    await expect(start({ DATA_DIR: dir, STIXGATE_CONFIG: configFile })).rejects.toThrow(
      'api_roots[0].max_limit',
    );
  });

  it('refuses a missing configuration file', async () => {
    const dir = await tempDir();
    await expect(
      start({ DATA_DIR: dir, STIXGATE_CONFIG: path.join(dir, 'missing.yaml') }),
    ).rejects.toThrow('STIXGATE_CONFIG');
  });

  it('updates declared collections on restart and keeps their order', async () => {
    const dir = await tempDir();
    const configFile = path.join(dir, 'config.json');
    const secretFile = path.join(dir, 'jwt');
    await writeFile(secretFile, TEST_JWT_SECRET);
    await writeFile(configFile, JSON.stringify(TEST_CONFIG));
    const env = {
      DATA_DIR: dir,
      STIXGATE_CONFIG: configFile,
      STIXGATE_JWT_SECRET_FILE: secretFile,
      ...backendEnv(),
    };
    const first = await start(env);
    const before = await first.store.listCollections('api1');
    await first.close();
    const renamed = {
      ...TEST_CONFIG,
      collections: TEST_CONFIG.collections.map((c) =>
        c.alias === 'rw' ? { ...c, title: 'Renamed' } : c,
      ),
    };
    await writeFile(configFile, JSON.stringify(renamed));
    const second = await start(env);
    const after = await second.store.listCollections('api1');
    expect(after.map((c) => c.id)).toEqual(before.map((c) => c.id));
    expect(after.find((c) => c.alias === 'rw')?.title).toBe('Renamed');
    expect(after.find((c) => c.alias === 'rw')?.createdAt).toBe(
      before.find((c) => c.alias === 'rw')?.createdAt,
    );
  });

  it('re-reads the file on reload and hands it to the listeners', async () => {
    const dir = await tempDir();
    const configFile = path.join(dir, 'config.json');
    await writeFile(configFile, JSON.stringify({ discovery: { title: 'one' } }));
    const running = await start({ DATA_DIR: dir, STIXGATE_CONFIG: configFile, ...backendEnv() });
    const seen: string[] = [];
    running.onReload((config) => {
      seen.push(config.discovery.title);
    });
    await writeFile(configFile, JSON.stringify({ discovery: { title: 'two' } }));
    await running.reload();
    expect(seen).toEqual(['two']);
  });
});

describe('TLS', () => {
  function get(
    url: string,
    options: { ca: Buffer; maxVersion?: 'TLSv1.1' | 'TLSv1.3'; token: string },
  ): Promise<{ status: number; protocol: string }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          ca: options.ca,
          ...(options.maxVersion && { maxVersion: options.maxVersion, minVersion: 'TLSv1' }),
          headers: { Accept: TAXII, Authorization: `Bearer ${options.token}` },
        },
        (res) => {
          const protocol = (res.socket as TLSSocket).getProtocol() ?? '';
          checkedNodeResponse('GET', url, res).then(
            () => resolve({ status: res.statusCode ?? 0, protocol }),
            reject,
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('serves HTTPS with TLS 1.3 and refuses TLS 1.1', async () => {
    const dir = await tempDir();
    const secretFile = path.join(dir, 'jwt');
    await writeFile(secretFile, TEST_JWT_SECRET);
    const running = await start({
      DATA_DIR: dir,
      STIXGATE_JWT_SECRET_FILE: secretFile,
      STIXGATE_TLS_CERT_FILE: path.join(FIXTURES, 'tls-cert.pem'),
      STIXGATE_TLS_KEY_FILE: path.join(FIXTURES, 'tls-key.pem'),
      ...backendEnv(),
    });
    expect(running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = await readFile(path.join(FIXTURES, 'tls-cert.pem'));
    const token = mintToken({ role: 'analyst' });
    const ok = await get(`${running.url}/api1/`, { ca, token });
    expect(ok).toEqual({ status: 200, protocol: 'TLSv1.3' });
    await expect(
      get(`${running.url}/api1/`, { ca, token, maxVersion: 'TLSv1.1' }),
    ).rejects.toThrow();
  });

  it('the container HEALTHCHECK (stixgate healthcheck) speaks TLS when TLS is on', async () => {
    const dir = await tempDir();
    const secretFile = path.join(dir, 'jwt');
    await writeFile(secretFile, TEST_JWT_SECRET);
    const env = {
      DATA_DIR: dir,
      STIXGATE_JWT_SECRET_FILE: secretFile,
      STIXGATE_TLS_CERT_FILE: path.join(FIXTURES, 'tls-cert.pem'),
      STIXGATE_TLS_KEY_FILE: path.join(FIXTURES, 'tls-key.pem'),
      ...backendEnv(),
    };
    const running = await start(env);
    const port = new URL(running.url).port;
    const probe = async (extra: Record<string, string>) => {
      const out: string[] = [];
      const sink = { write: (s: string) => out.push(s) !== 0 } as unknown as NodeJS.WritableStream;
      const code = await runCli(['healthcheck'], {
        env: { ...env, HOST: '0.0.0.0', PORT: port, ...extra },
        stdout: sink,
        stderr: sink,
        cwd: dir,
      });
      return { code, out: out.join('') };
    };
    expect(await probe({})).toEqual({ code: 0, out: 'healthy\n' });
    // Without TLS settings the probe speaks plain HTTP to a TLS port and must fail.
    const plain = await probe({ STIXGATE_TLS_CERT_FILE: '', STIXGATE_TLS_KEY_FILE: '' });
    expect(plain.code).toBe(1);
    expect(plain.out).toMatch(/^stixgate healthcheck: \/healthz /);
  });
});
