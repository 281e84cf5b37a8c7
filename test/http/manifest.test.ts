// TAXII 2.1 §5.3 manifest: the objects filters, one record per object version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, makeEnvelope, makeIndicator, makeMalware, nextVersion } from '../support/builders.js';
import { collectionPath, startTestServer, type TestServer } from '../support/start-server.js';
import { TAXII } from '../support/taxii-client.js';

let server: TestServer;
const ind = makeIndicator({ created: at(0) });
const indV2 = nextVersion(ind, at(1000));
const mal = makeMalware();

beforeAll(async () => {
  server = await startTestServer();
  for (const obj of [ind, mal, indV2])
    await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(obj));
});
afterAll(async () => {
  await server.close();
});

interface Manifest {
  more?: boolean;
  next?: string;
  objects?: { id: string; date_added: string; version: string; media_type?: string }[];
}

const manifest = async (query?: string, name: 'rw' | 'wo' | 'hidden' = 'rw') =>
  server.client.get(collectionPath(name, 'manifest/'), query === undefined ? {} : { query });

describe('GET manifest', () => {
  it('lists id, date_added, version and media_type of the latest versions', async () => {
    const res = await manifest();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TAXII);
    const body = res.body as Manifest;
    expect(body.more).toBe(false);
    expect(body.objects?.map((o) => [o.id, o.version, o.media_type])).toEqual([
      [mal.id, '2026-01-01T00:00:00.000000Z', 'application/stix+json;version=2.1'],
      [ind.id, '2026-01-01T00:00:01.000000Z', 'application/stix+json;version=2.1'],
    ]);
  });

  it('sends date headers equal to the first and last date_added', async () => {
    const res = await manifest();
    const objects = (res.body as Manifest).objects!;
    expect(res.headers.get('x-taxii-date-added-first')).toBe(objects[0]!.date_added);
    expect(res.headers.get('x-taxii-date-added-last')).toBe(objects.at(-1)!.date_added);
    for (const o of objects)
      expect(o.date_added).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });

  it('applies match[version]=all to the objects', async () => {
    expect(
      (((await manifest('match[version]=all')).body as Manifest).objects ?? []).map(
        (o) => o.version,
      ),
    ).toEqual([
      '2026-01-01T00:00:00.000000Z',
      '2026-01-01T00:00:00.000000Z',
      '2026-01-01T00:00:01.000000Z',
    ]);
  });

  it('applies match[type] and match[id]', async () => {
    expect(
      ((await manifest('match[type]=malware')).body as Manifest).objects?.map((o) => o.id),
    ).toEqual([mal.id]);
    expect(
      ((await manifest(`match[id]=${ind.id}`)).body as Manifest).objects?.map((o) => o.id),
    ).toEqual([ind.id]);
  });

  it('has more and a next cursor when limited', async () => {
    const first = (await manifest('limit=1')).body as Manifest;
    expect(first.more).toBe(true);
    expect(first.objects).toHaveLength(1);
    const second = (await manifest(`limit=1&next=${encodeURIComponent(first.next!)}`))
      .body as Manifest;
    expect(second.objects?.map((o) => o.id)).toEqual([ind.id]);
    expect(second.more).toBe(false);
  });

  it('answers an empty manifest without date headers when nothing matches', async () => {
    const res = await manifest('match[type]=campaign');
    expect(res.body).toEqual({});
    expect(res.headers.get('x-taxii-date-added-first')).toBeNull();
  });

  it('answers 400 for a malformed filter', async () => {
    expect((await manifest('match[version]=yesterday')).status).toBe(400);
  });

  it('answers 403 on a write-only collection and 404 on an invisible one', async () => {
    expect((await manifest(undefined, 'wo')).status).toBe(403);
    expect((await manifest(undefined, 'hidden')).status).toBe(404);
  });
});
