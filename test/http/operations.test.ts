// Operations endpoints over real HTTP: /readyz (no auth, no data, names the failing
// dependency), /metrics (off by default, token or dedicated listener, counts that match the
// traffic sent), audit records of state changes.
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnvelope, makeIndicator } from '../support/builders.js';
import { checkedFetch } from '../support/checked-fetch.js';
import { parsePrometheus, sampleSum, type Sample } from '../support/prometheus.js';
import {
  COLLECTIONS,
  TEST_CONFIG,
  startTestServer,
  type TestServer,
} from '../support/start-server.js';
import {
  buildIncident,
  postingOrder,
  sharedPath,
  sharingConfig,
  writeMasterKey,
} from './sharing-incident.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const OBJECTS_ROUTE = '/:root/collections/:collection/objects/';
const rw = (rest: string) => `/api1/collections/${COLLECTIONS.rw.id}/${rest}`;

async function scrape(
  url: string,
  token?: string,
): Promise<{ status: number; samples: Sample[]; text: string }> {
  const res = await checkedFetch(`${url}/metrics`, {
    ...(token !== undefined && { headers: { Authorization: `Bearer ${token}` } }),
  });
  const text = await res.text();
  return { status: res.status, text, samples: res.status === 200 ? parsePrometheus(text) : [] };
}

describe('/readyz', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 200 without authentication, naming each check and nothing else', async () => {
    const res = await checkedFetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: { store: 'ok', config: 'ok', sharing: 'ok', keys: 'ok' },
    });
  });

  it('answers 503 and names the check when a key file becomes unreadable', async () => {
    await unlink(path.join(server.dataDir, 'cursor-secret'));
    const res = await checkedFetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe('not_ready');
    expect(body.checks.keys).toBe('failing');
    expect(body.checks.store).toBe('ok');
    expect(JSON.stringify(body)).not.toContain('cursor-secret');
  });
});

describe('/metrics exposure', () => {
  it('does not exist unless configured', async () => {
    const server = await startTestServer();
    try {
      expect((await scrape(server.url)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('with STIXGATE_METRICS_PORT: served on its own listener only', async () => {
    const server = await startTestServer({
      env: { STIXGATE_METRICS_PORT: '0', STIXGATE_METRICS_HOST: '127.0.0.1' },
    });
    try {
      expect(server.running.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.running.metricsUrl).not.toBe(server.url);
      expect((await scrape(server.url)).status).toBe(404);
      const metrics = await scrape(server.running.metricsUrl!);
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('# TYPE stixgate_http_requests_total counter');
      // The metrics listener serves nothing else.
      expect((await fetch(`${server.running.metricsUrl}/taxii2/`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('/metrics counts after known traffic', () => {
  let server: TestServer;
  let dir: string;
  let keyDir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'stixgate-metrics-'));
    const tokenFile = path.join(dir, 'metrics-token');
    await writeFile(tokenFile, `${METRICS_TOKEN}\n`, { mode: 0o600 });
    const key = await writeMasterKey();
    keyDir = key.dir;
    const config = sharingConfig(TEST_CONFIG, key.file) as Record<string, unknown>;
    config.auth = { rate_limit: { failures: 2, window_seconds: 3600 } };
    server = await startTestServer({ config, env: { STIXGATE_METRICS_TOKEN_FILE: tokenFile } });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    if (keyDir) await rm(keyDir, { recursive: true, force: true });
  });

  it('refuses a scrape without the token or with a wrong one', async () => {
    expect((await scrape(server.url)).status).toBe(401);
    expect((await scrape(server.url, `${METRICS_TOKEN}x`)).status).toBe(401);
    expect((await scrape(server.url, METRICS_TOKEN)).status).toBe(200);
  });

  it('counts requests by route template and status, with latency histograms', async () => {
    const before = (await scrape(server.url, METRICS_TOKEN)).samples;
    for (let i = 0; i < 3; i += 1)
      expect((await server.client.get(rw('objects/'))).status).toBe(200);
    expect(
      (await server.client.get(rw('objects/indicator--00000000-0000-4000-8000-000000000000/')))
        .status,
    ).toBe(404);
    const after = (await scrape(server.url, METRICS_TOKEN)).samples;
    const delta = (name: string, labels: Record<string, string>) =>
      sampleSum(after, name, labels) - sampleSum(before, name, labels);
    const get200 = { route: OBJECTS_ROUTE, method: 'GET', status: '200' };
    expect(delta('stixgate_http_requests_total', get200)).toBe(3);
    expect(delta('stixgate_http_request_duration_seconds_count', get200)).toBe(3);
    expect(delta('stixgate_http_request_duration_seconds_bucket', { ...get200, le: '+Inf' })).toBe(
      3,
    );
    expect(
      delta('stixgate_http_requests_total', {
        route: '/:root/collections/:collection/objects/:object/',
        method: 'GET',
        status: '404',
      }),
    ).toBe(1);
    // No concrete id ever becomes a label value.
    expect(after.some((s) => Object.values(s.labels).some((v) => v.includes('--')))).toBe(false);
    // Each read asks the store at least once; every operation is timed under its method name.
    expect(
      delta('stixgate_store_operation_duration_seconds_count', { result: 'ok' }),
    ).toBeGreaterThanOrEqual(4);
  });

  it('counts objects added, duplicated and rejected by reason', async () => {
    const before = (await scrape(server.url, METRICS_TOKEN)).samples;
    const a = makeIndicator();
    const b = makeIndicator({ name: 'second' });
    const { pattern: _dropped, ...invalid } = makeIndicator({ name: 'no pattern' });
    const first = await server.client.post(rw('objects/'), makeEnvelope(a, b, invalid));
    expect(first.status).toBe(202);
    expect((first.body as { success_count: number; failure_count: number }).failure_count).toBe(1);
    const again = await server.client.post(rw('objects/'), makeEnvelope(a, b));
    expect(again.status).toBe(202);
    const after = (await scrape(server.url, METRICS_TOKEN)).samples;
    const delta = (name: string, labels: Record<string, string>) =>
      sampleSum(after, name, labels) - sampleSum(before, name, labels);
    expect(delta('stixgate_objects_ingested_total', { source: 'http', outcome: 'added' })).toBe(2);
    expect(delta('stixgate_objects_ingested_total', { source: 'http', outcome: 'duplicate' })).toBe(
      2,
    );
    expect(delta('stixgate_objects_rejected_total', { source: 'http' })).toBe(1);
    expect(
      delta('stixgate_objects_rejected_total', {
        source: 'http',
        reason: 'invalid_stix:required-property-missing',
      }),
    ).toBe(1);
    expect(
      delta('stixgate_store_operation_duration_seconds_count', { operation: 'addObjects' }),
    ).toBe(2);
  });

  it('counts partner objects served, rewritten and withheld by rule, and the cache hit ratio', async () => {
    const incident = buildIncident();
    for (const batch of postingOrder(incident)) {
      const res = await server.client.post(sharedPath('objects/'), makeEnvelope(...batch));
      expect(res.status).toBe(202);
    }
    const latest = new Map<string, unknown>(
      postingOrder(incident)
        .flat()
        .map((o) => [o.id, o]),
    );
    const partner = server.as(server.token({ sub: 'soc-g2', role: 'partner', groups: ['g2'] }));
    const before = (await scrape(server.url, METRICS_TOKEN)).samples;
    const first = await partner.get(sharedPath('objects/'));
    expect(first.status).toBe(200);
    const objects = (first.body as { objects?: { id: string }[] }).objects ?? [];
    // The oracle for "rewritten": a served object that is not byte-for-byte what was posted.
    const rewritten = objects.filter((o) => !isDeepStrictEqual(o, latest.get(o.id))).length;
    expect(objects.length).toBeGreaterThan(0);
    const second = await partner.get(sharedPath('objects/'));
    expect(second.text).toBe(first.text);
    const after = (await scrape(server.url, METRICS_TOKEN)).samples;
    const delta = (name: string, labels: Record<string, string> = {}) =>
      sampleSum(after, name, labels) - sampleSum(before, name, labels);
    const served = objects.length;
    expect(delta('stixgate_partner_objects_total', { surface: 'objects', outcome: 'served' })).toBe(
      2 * served,
    );
    expect(
      delta('stixgate_partner_objects_total', { surface: 'objects', outcome: 'rewritten' }),
    ).toBe(2 * rewritten);
    // The Sigma indicator names a protected domain in a pattern the engine cannot rewrite: R7
    // withholds it on each read. (RED objects never reach the view: TLP is pushed into the query.)
    expect(
      delta('stixgate_partner_objects_withheld_total', {
        rule: 'R7',
        reason: 'R7: non-STIX pattern with a protected term',
      }),
    ).toBe(2);
    expect(
      delta('stixgate_partner_objects_total', { surface: 'objects', outcome: 'withheld' }),
    ).toBe(2);
    expect(delta('stixgate_partner_rule_hits_total', { rule: 'R7' })).toBe(2);
    // The first read derives each object (served and withheld): misses. The second is the
    // same page of the same content: every derived page it needs is remembered whole, so no
    // object is even looked up again.
    expect(delta('stixgate_derived_cache_misses')).toBe(served + 1);
    expect(delta('stixgate_derived_cache_hits')).toBe(0);
    const pageMisses = delta('stixgate_page_cache_misses', { cache: 'partner_pages' });
    expect(pageMisses).toBeGreaterThan(0);
    expect(delta('stixgate_page_cache_hits', { cache: 'partner_pages' })).toBe(pageMisses);
    expect(delta('stixgate_page_cache_hits', { cache: 'store_pages' })).toBeGreaterThan(0);
    expect(
      sampleSum(after, 'stixgate_page_cache_bytes', { cache: 'partner_pages' }),
    ).toBeGreaterThan(0);
  });

  it('counts failure-limiter refusals', async () => {
    const before = (await scrape(server.url, METRICS_TOKEN)).samples;
    const bad = server.as('not-a-token');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await bad.get('/api1/')).status);
    expect(statuses).toEqual([401, 401, 429, 429]);
    const after = (await scrape(server.url, METRICS_TOKEN)).samples;
    expect(
      sampleSum(after, 'stixgate_auth_failure_limiter_refusals_total') -
        sampleSum(before, 'stixgate_auth_failure_limiter_refusals_total'),
    ).toBe(2);
    expect(
      sampleSum(after, 'stixgate_auth_failures_total') -
        sampleSum(before, 'stixgate_auth_failures_total'),
    ).toBe(2);
  });
});

describe('audit records of state changes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('records additions (ids and counts, no content), revokes and deletions with principal and source', async () => {
    const a = makeIndicator({ description: 'secret analyst text' });
    const b = makeIndicator({ name: 'second' });
    const { pattern: _dropped, ...invalid } = makeIndicator({ name: 'no pattern' });
    expect((await server.client.post(rw('objects/'), makeEnvelope(a, b, invalid))).status).toBe(
      202,
    );
    expect((await server.client.post(rw('objects/'), makeEnvelope(a))).status).toBe(202);
    expect((await server.client.post(rw(`objects/${a.id}/revoke/`), {})).status).toBe(202);
    expect((await server.client.delete(rw(`objects/${b.id}/`))).status).toBe(200);

    const records = (await server.store.queryAudit({ limit: 100 })).filter((r) =>
      r.action.startsWith('object'),
    );
    expect(records.map((r) => r.action)).toEqual([
      'objects.add',
      'objects.add',
      'object.revoke',
      'object.delete',
    ]);
    for (const r of records)
      expect(r).toMatchObject({
        actor: 'analyst-1',
        role: 'analyst',
        apiRoot: 'api1',
        collectionId: COLLECTIONS.rw.id,
        details: expect.objectContaining({ source: 'http' }) as unknown,
      });
    expect(records[0]!.details).toEqual({
      source: 'http',
      ids: [a.id, b.id],
      added: 2,
      duplicates: 0,
      failed: 1,
      total: 3,
    });
    expect(records[1]!.details).toMatchObject({ ids: [], added: 0, duplicates: 1 });
    expect(records[2]!.details).toMatchObject({ ids: [a.id] });
    expect(records[3]!.details).toMatchObject({ ids: [b.id], versionsDeleted: 1 });
    expect(JSON.stringify(records)).not.toContain('secret analyst text');
  });
});
