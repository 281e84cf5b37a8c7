// The review console over real HTTP: the built files at /console/ with a CSP that allows
// only this origin (no inline script, no external origin), and the admin endpoints the
// console reads (collection counts, the sharing policy with the file's validation errors),
// admin role only, answering other roles exactly like the other admin routes.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { CONSOLE_CSP } from '../../src/http/console-static.js';
import { makeEnvelope } from '../support/builders.js';
import {
  COLLECTIONS,
  TEST_CONFIG,
  startTestServer,
  type TestServer,
} from '../support/start-server.js';
import {
  SHARED,
  buildIncident,
  postingOrder,
  sharedPath,
  sharingConfig,
  writeMasterKey,
} from './sharing-incident.js';

let server: TestServer;
let keyDir: string;
let keyFile: string;
let consoleDir: string;
const INDEX =
  '<!doctype html><html><head><script type="module" src="/console/assets/app-1a2b.js"></script></head><body></body></html>';
const SCRIPT = 'document.body.textContent = "console";';

beforeAll(async () => {
  const key = await writeMasterKey();
  keyDir = key.dir;
  keyFile = key.file;
  consoleDir = await mkdtemp(path.join(os.tmpdir(), 'stixgate-console-'));
  await mkdir(path.join(consoleDir, 'assets'));
  await writeFile(path.join(consoleDir, 'index.html'), INDEX);
  await writeFile(path.join(consoleDir, 'assets', 'app-1a2b.js'), SCRIPT);
  await writeFile(path.join(consoleDir, 'secret.txt'), 'not served');
  server = await startTestServer({
    config: sharingConfig(TEST_CONFIG, keyFile),
    start: { consoleDir },
  });
  for (const batch of postingOrder(buildIncident()))
    expect((await server.client.post(sharedPath('objects/'), makeEnvelope(...batch))).status).toBe(
      202,
    );
});

afterAll(async () => {
  await server?.close();
  if (keyDir) await rm(keyDir, { recursive: true, force: true });
  if (consoleDir) await rm(consoleDir, { recursive: true, force: true });
});

const get = (p: string, init: RequestInit = {}) =>
  fetch(`${server.url}${p}`, { redirect: 'manual', ...init });

describe('GET /console/', () => {
  it('serves the page without a token, under a CSP that allows only this origin', async () => {
    const res = await get('/console/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe(INDEX);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toBe(CONSOLE_CSP);
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe|https?:|data:|\*/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('redirects /console to /console/', async () => {
    const res = await get('/console');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/console/');
  });

  it('serves hashed assets for good, under the same CSP', async () => {
    const res = await get('/console/assets/app-1a2b.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(await res.text()).toBe(SCRIPT);
  });

  it('answers 404 with the TAXII error body for anything else, and never leaves its folder', async () => {
    for (const p of [
      '/console/assets/missing.js',
      '/console/secret.txt',
      '/console/index.html',
      '/console/assets/../secret.txt',
      '/console/assets/%2e%2e/secret.txt',
      '/console/assets/..%2fsecret.txt',
    ]) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
      const text = await res.text();
      expect(text, p).not.toContain('not served');
      expect(JSON.parse(text), p).toMatchObject({ http_status: '404' });
    }
  });

  it('answers 404 while the console is not built', async () => {
    const bare = await startTestServer({ start: { consoleDir: path.join(consoleDir, 'nothing') } });
    try {
      const res = await fetch(`${bare.url}/console/`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { title: string }).title).toBeTruthy();
    } finally {
      await bare.close();
    }
  });
});

describe('admin endpoints of the console', () => {
  const json = { accept: 'application/json' };

  it('GET /admin/collection-counts/ counts the objects of every collection', async () => {
    const res = await server.as(server.tokens.admin).get('/admin/collection-counts/', json);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const rows = (res.body as { collections: { api_root: string; id: string; objects: number }[] })
      .collections;
    const count = (id: string) => rows.find((r) => r.id === id)?.objects;
    expect(count(SHARED)).toBe(await server.store.countObjects(SHARED));
    expect(count(SHARED)).toBeGreaterThanOrEqual(10);
    expect(count(COLLECTIONS.rw.id)).toBe(0);
    expect(rows.map((r) => r.id).sort()).toEqual(
      (await server.store.listCollections()).map((c) => c.id).sort(),
    );
    const small = await server
      .as(server.tokens.admin)
      .get('/admin/collection-counts/?api_root=small', json);
    expect((small.body as { collections: { id: string }[] }).collections.map((c) => c.id)).toEqual([
      COLLECTIONS.small.id,
    ]);
    expect(
      (await server.as(server.tokens.admin).get('/admin/collection-counts/?api_root=nope', json))
        .status,
    ).toBe(404);
    expect(
      (await server.as(server.tokens.admin).get('/admin/collection-counts/?x=1', json)).status,
    ).toBe(400);
  });

  it('GET /admin/sharing/policy shows the model in force without the key, and a valid file', async () => {
    const res = await server.as(server.tokens.admin).get('/admin/sharing/policy', json);
    expect(res.status).toBe(200);
    const body = res.body as {
      running: Record<string, unknown> & {
        groups: { id: string }[];
        policies: { id: string; tlpCeiling: string }[];
        registry: { revision: number; entities: { id: string; names: { fa: string[] } }[] };
      };
      file: { checked: boolean; valid: boolean; errors: string[] };
    };
    expect(body.running.groups.map((g) => g.id)).toEqual(['g1', 'g2']);
    expect(body.running.policies.map((p) => [p.id, p.tlpCeiling])).toEqual([
      ['isac', 'amber'],
      ['vendors', 'green'],
    ]);
    expect(body.running.registry.entities[0]).toMatchObject({
      id: 'kian-power',
      names: { fa: ['شرکت برق کیان'] },
    });
    expect(body.file).toEqual({ checked: true, valid: true, errors: [] });
    expect(body.running).not.toHaveProperty('masterKeyFile');
    const key = await readFile(keyFile, 'utf8');
    expect(res.text).not.toContain(key.trim());
    expect(res.text).not.toContain(keyFile);
  });

  it('GET /admin/sharing/policy shows a broken file as `stixgate policy check` does, and keeps the model', async () => {
    const file = path.join(server.dataDir, 'stixgate.json');
    const good = await readFile(file, 'utf8');
    const broken = JSON.parse(good) as {
      sharing: { registry: { entities: { cidrs: string[] }[] } };
    };
    broken.sharing.registry.entities[0]!.cidrs = ['10.20.0.0/99'];
    await writeFile(file, JSON.stringify(broken));
    try {
      const res = await server.as(server.tokens.admin).get('/admin/sharing/policy', json);
      expect(res.status).toBe(200);
      const body = res.body as {
        running: { registry: { entities: { cidrs: string[] }[] } };
        file: { valid: boolean; errors: string[] };
      };
      expect(body.file.valid).toBe(false);
      expect(body.file.errors).toHaveLength(1);
      expect(body.file.errors[0]).toMatch(/^sharing\.registry\.entities\[0\]\.cidrs\[0\]: /);
      expect(body.running.registry.entities[0]!.cidrs).toEqual(['10.20.0.0/16']);
      const cli = await policyCheck({ STIXGATE_CONFIG: file });
      expect(cli.code).not.toBe(0);
      expect(cli.stderr).toBe(`stixgate policy: ${body.file.errors[0]}\n`);
    } finally {
      await writeFile(file, good);
    }
  });

  it('refuses analysts and partners like every admin route, and asks for a token without one', async () => {
    for (const token of [
      server.tokens.analyst,
      server.tokens.partner,
      server.tokens.partnerOther,
    ]) {
      const reference = await server.as(token).get('/admin/groups/', json);
      expect(reference.status).toBe(403);
      for (const p of ['/admin/collection-counts/', '/admin/sharing/policy']) {
        const res = await server.as(token).get(p, json);
        expect(res.status, p).toBe(403);
        expect(res.body, p).toEqual(reference.body);
        expect(res.text, p).not.toContain('kian');
      }
    }
    for (const p of ['/admin/collection-counts/', '/admin/sharing/policy']) {
      const res = await server.as(undefined).get(p, json);
      expect(res.status, p).toBe(401);
      expect(res.headers.get('www-authenticate'), p).toMatch(/^Bearer/);
    }
  });
});

async function policyCheck(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const err: Buffer[] = [];
  stdout.resume();
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runCli(['policy', 'check'], { env, stdout, stderr, cwd: server.dataDir });
  return { code, stderr: Buffer.concat(err).toString('utf8') };
}
