// The real `curl` binary against the server, as README.md and docs/api.md tell people to use
// it (and as MISP and taxii2-client authenticate: Basic with `user:<token>`): discovery,
// a POST of an envelope file, and paging with `next`. Skipped when curl is not installed.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnvelope, makeIndicator, makeMalware, type StixObject } from '../support/builders.js';
import { checkCurlResponse } from '../support/checked-fetch.js';
import { COLLECTIONS, startTestServer, type TestServer } from '../support/start-server.js';

const TAXII = 'application/taxii+json;version=2.1';
const HAS_CURL = spawnSync('curl', ['--version']).status === 0;

interface CurlResult {
  code: number;
  status: number;
  contentType: string;
  headers: string;
  body: string;
  json: Record<string, unknown> | undefined;
}

/** Runs curl with `args`, capturing the response headers (-D -) and the status (-w). */
async function curl(args: string[]): Promise<CurlResult> {
  const result = await runCurl(args);
  checkCurlResponse(args, result);
  return result;
}

function runCurl(args: string[]): Promise<CurlResult> {
  const marker = '\n--qa-curl-status--';
  return new Promise((resolve) => {
    execFile(
      'curl',
      ['-s', '-S', '-D', '-', '-w', `${marker}%{http_code} %{content_type}`, ...args],
      { maxBuffer: 32 * 1024 * 1024 },
      (error, stdout) => {
        const at = stdout.lastIndexOf(marker);
        let rest = at === -1 ? stdout : stdout.slice(0, at);
        let headers = '';
        // Header blocks (an interim 100 Continue first, if any), then the body.
        while (rest.startsWith('HTTP/')) {
          const end = rest.indexOf('\r\n\r\n');
          headers = end === -1 ? rest : rest.slice(0, end);
          rest = end === -1 ? '' : rest.slice(end + 4);
        }
        const [status = '0', contentType = ''] = (
          at === -1 ? '' : stdout.slice(at + marker.length)
        ).split(' ');
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(rest) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        resolve({
          code: error ? Number((error as { code?: unknown }).code ?? 1) : 0,
          status: Number(status),
          contentType,
          headers,
          body: rest,
          json,
        });
      },
    );
  });
}

function header(result: CurlResult, name: string): string | undefined {
  const line = result.headers
    .split(/\r?\n/)
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(line.indexOf(':') + 1).trim();
}

describe.skipIf(!HAS_CURL)(HAS_CURL ? 'curl' : 'curl (SKIPPED: no curl binary on PATH)', () => {
  let server: TestServer;
  let dir: string;
  let base: string;
  const collection = `/api1/collections/${COLLECTIONS.rw.id}/`;

  beforeAll(async () => {
    server = await startTestServer();
    base = server.url;
    dir = await mkdtemp(path.join(os.tmpdir(), 'stixgate-curl-'));
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const accept = ['-H', `Accept: ${TAXII}`];
  const bearer = () => ['-H', `Authorization: Bearer ${server.tokens.analyst}`];

  describe('discovery', () => {
    it('answers Basic user:<token> (-u), the way MISP and taxii2-client authenticate', async () => {
      const res = await curl([...accept, '-u', `misp:${server.tokens.analyst}`, `${base}/taxii2/`]);
      expect(res.code).toBe(0);
      expect(res.status).toBe(200);
      expect(res.contentType).toBe(TAXII);
      expect(res.json).toMatchObject({
        title: 'stixgate test server',
        default: '/api1/',
        api_roots: ['/api1/', '/small/'],
      });
    });

    it('answers a Bearer token', async () => {
      const res = await curl([...accept, ...bearer(), `${base}/taxii2/`]);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ api_roots: ['/api1/', '/small/'] });
    });

    it('answers 401 with the challenge and a TAXII error body without credentials', async () => {
      const res = await curl([...accept, `${base}/taxii2/`]);
      expect(res.status).toBe(401);
      expect(header(res, 'WWW-Authenticate')).toBe(
        'Bearer realm="stixgate", Basic realm="stixgate"',
      );
      expect(res.json).toMatchObject({ http_status: '401' });
    });

    it('answers 406 to a bare curl (Accept: */*)', async () => {
      const res = await curl([...bearer(), `${base}/taxii2/`]);
      expect(res.status).toBe(406);
      expect(res.contentType).toBe(TAXII);
    });
  });

  describe('POST an envelope from a file', () => {
    async function envelopeFile(
      name: string,
      objects: StixObject[],
      pretty: boolean,
    ): Promise<string> {
      const file = path.join(dir, name);
      await writeFile(
        file,
        pretty
          ? JSON.stringify(makeEnvelope(...objects), null, 2)
          : JSON.stringify(makeEnvelope(...objects)),
      );
      return file;
    }

    it('stores it with --data-binary @file and answers 202 with a complete status', async () => {
      const objects = [makeIndicator(), makeMalware()];
      const file = await envelopeFile('binary.json', objects, true);
      const res = await curl([
        ...accept,
        ...bearer(),
        '-H',
        `Content-Type: ${TAXII}`,
        '--data-binary',
        `@${file}`,
        `${base}${collection}objects/`,
      ]);
      expect(res.status).toBe(202);
      expect(res.contentType).toBe(TAXII);
      expect(res.json).toMatchObject({
        status: 'complete',
        total_count: 2,
        success_count: 2,
        failure_count: 0,
      });
      const statusId = String(res.json!.id);
      const status = await curl([...accept, ...bearer(), `${base}/api1/status/${statusId}/`]);
      expect(status.status).toBe(200);
      expect(status.json).toEqual(res.json);
    });

    it('stores a pretty-printed file sent with --data @file (curl strips its newlines), as README shows', async () => {
      const objects = [makeIndicator({ description: 'line one' })];
      const file = await envelopeFile('data.json', objects, true);
      const res = await curl([
        ...accept,
        ...bearer(),
        '-H',
        `Content-Type: ${TAXII}`,
        '--data',
        `@${file}`,
        `${base}${collection}objects/`,
      ]);
      expect(res.status).toBe(202);
      expect(res.json).toMatchObject({ success_count: 1 });
    });

    it('answers 415 when curl sends its default form Content-Type', async () => {
      const file = await envelopeFile('form.json', [makeIndicator()], false);
      const res = await curl([
        ...accept,
        ...bearer(),
        '--data-binary',
        `@${file}`,
        `${base}${collection}objects/`,
      ]);
      expect(res.status).toBe(415);
      expect(res.json).toMatchObject({ http_status: '415' });
    });

    it('stores a body over 1 MB, which curl sends after Expect: 100-continue', async () => {
      const objects = Array.from({ length: 1500 }, (_, i) =>
        makeIndicator({ description: `${i} ${'d'.repeat(800)}` }),
      );
      const file = await envelopeFile('large.json', objects, false);
      const res = await curl([
        ...accept,
        ...bearer(),
        '-H',
        `Content-Type: ${TAXII}`,
        '--data-binary',
        `@${file}`,
        `${base}${collection}objects/`,
      ]);
      expect(res.code).toBe(0);
      expect(res.status).toBe(202);
      expect(res.json).toMatchObject({ success_count: objects.length });
    });

    it('answers a readable 413 to curl uploading more than max_content_length with Expect: 100-continue', async () => {
      const objects = Array.from({ length: 1500 }, () =>
        makeIndicator({ description: 'e'.repeat(800) }),
      );
      const file = await envelopeFile('too-large.json', objects, false);
      const res = await curl([
        ...accept,
        ...bearer(),
        '-H',
        `Content-Type: ${TAXII}`,
        '--data-binary',
        `@${file}`,
        `${base}/small/collections/${COLLECTIONS.small.id}/objects/`,
      ]);
      expect(res.status).toBe(413);
      expect(res.json).toMatchObject({ http_status: '413' });
    });

    it('uploads with Basic user:<token> too', async () => {
      const file = await envelopeFile('basic.json', [makeIndicator()], false);
      const res = await curl([
        ...accept,
        '-u',
        `taxii:${server.tokens.analyst}`,
        '-H',
        `Content-Type: ${TAXII}`,
        '--data-binary',
        `@${file}`,
        `${base}${collection}objects/`,
      ]);
      expect(res.status).toBe(202);
    });
  });

  describe('paging', () => {
    const paged = `/api1/collections/${COLLECTIONS.partners.id}/objects/`;
    let ids: string[];
    beforeAll(async () => {
      ids = [];
      for (let i = 0; i < 7; i += 1) {
        const obj = i % 2 === 0 ? makeIndicator() : makeMalware();
        ids.push(obj.id);
        await server.client.post(paged, makeEnvelope(obj));
      }
    });

    it('walks every page with -G --data-urlencode next=…, seeing each object once', async () => {
      const seen: string[] = [];
      let next: string | undefined;
      for (let request = 0; request < 20; request += 1) {
        const args = [
          ...accept,
          ...bearer(),
          '-G',
          '--data-urlencode',
          'limit=3',
          ...(next ? ['--data-urlencode', `next=${next}`] : []),
          `${base}${paged}`,
        ];
        const res = await curl(args);
        expect(res.status, res.body).toBe(200);
        const body = res.json as { more: boolean; next?: string; objects: { id: string }[] };
        seen.push(...body.objects.map((o) => o.id));
        expect(header(res, 'X-TAXII-Date-Added-Last')).toMatch(
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/,
        );
        if (!body.more) break;
        next = body.next;
        expect(next).toBeTruthy();
      }
      expect(seen).toEqual(ids);
    });

    it('accepts the next value pasted raw into the URL', async () => {
      const first = await curl([...accept, ...bearer(), `${base}${paged}?limit=2`]);
      const next = String(first.json!.next);
      const second = await curl([...accept, ...bearer(), `${base}${paged}?limit=2&next=${next}`]);
      expect(second.status).toBe(200);
      expect((second.json!.objects as { id: string }[]).map((o) => o.id)).toEqual(ids.slice(2, 4));
    });

    it('walks the pages with added_after = X-TAXII-Date-Added-Last', async () => {
      const seen: string[] = [];
      let after: string | undefined;
      for (let request = 0; request < 20; request += 1) {
        const res = await curl([
          ...accept,
          ...bearer(),
          `${base}${paged}?limit=3${after ? `&added_after=${after}` : ''}`,
        ]);
        expect(res.status).toBe(200);
        const body = res.json as { more?: boolean; objects?: { id: string }[] };
        seen.push(...(body.objects ?? []).map((o) => o.id));
        if (!body.more) break;
        after = header(res, 'X-TAXII-Date-Added-Last');
      }
      expect(seen).toEqual(ids);
    });

    it('needs -g (--globoff) for match[…] in a URL: without it curl itself refuses the URL', async () => {
      const url = `${base}${paged}?match[type]=malware`;
      expect((await curl([...accept, ...bearer(), url])).code).toBe(3);
      const res = await curl([...accept, ...bearer(), '-g', url]);
      expect(res.status).toBe(200);
      expect((res.json!.objects as { type: string }[]).every((o) => o.type === 'malware')).toBe(
        true,
      );
    });
  });
});
