// Versions over the whole STIX range, years 0001 to 9999: stored, compared, listed and filtered
// to the microsecond on both backends, and no write answers an error after it committed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnvelope, makeIndicator, nextVersion } from '../support/builders.js';
import { collectionPath, startTestServer, type TestServer } from '../support/start-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface StatusBody {
  id: string;
  status: string;
  success_count: number;
  failure_count: number;
  successes: { id: string; version: string; message?: string }[];
}

async function post(...objects: unknown[]): Promise<StatusBody> {
  const res = await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(...objects));
  expect(res.status).toBe(202);
  return res.body as StatusBody;
}

async function versionsOf(id: string): Promise<string[]> {
  const res = await server.client.get(collectionPath('rw', `objects/${id}/versions/`));
  expect(res.status).toBe(200);
  return (res.body as { versions: string[] }).versions;
}

async function manifestVersionsOf(id: string): Promise<string[]> {
  const res = await server.client.get(collectionPath('rw', 'manifest/'), {
    query: `match[id]=${id}&match[version]=all`,
  });
  expect(res.status).toBe(200);
  return (res.body as { objects: { id: string; version: string }[] }).objects.map((o) => o.version);
}

async function objectsOf(id: string, query: string): Promise<{ modified: string }[]> {
  const res = await server.client.get(collectionPath('rw', `objects/${id}/`), { query });
  expect(res.status).toBe(200);
  return (res.body as { objects?: { modified: string }[] }).objects ?? [];
}

describe('version timestamps to the microsecond, years 0001 to 9999', () => {
  it('stores and lists 9999-12-31T23:59:59.999999Z and …999998Z exactly in versions and manifest', async () => {
    const base = makeIndicator();
    const last = '9999-12-31T23:59:59.999999Z';
    const before = '9999-12-31T23:59:59.999998Z';
    const status = await post(base, nextVersion(base, last), nextVersion(base, before));
    expect(status.success_count).toBe(3);
    expect(status.successes.map((s) => s.version).slice(1)).toEqual([last, before]);
    const baseVersion = `${String(base.modified).slice(0, 23)}000Z`;
    // versions/ and the manifest list in date_added order, which is posting order here.
    expect(await versionsOf(base.id as string)).toEqual([baseVersion, last, before]);
    expect(await manifestVersionsOf(base.id as string)).toEqual([baseVersion, last, before]);
    expect((await objectsOf(base.id as string, '')).map((o) => o.modified)).toEqual([last]);
    expect(
      (await objectsOf(base.id as string, `match[version]=${before}`)).map((o) => o.modified),
    ).toEqual([before]);
    // The status resource of that write reads back too.
    const read = await server.client.get(`/api1/status/${status.id}/`);
    expect(read.status).toBe(200);
    expect((read.body as StatusBody).success_count).toBe(3);
  });

  it('keeps 3000-01-01T00:00:00.000001Z and …003Z apart (a double rounds them to …000Z and …004Z)', async () => {
    const base = makeIndicator();
    const a = '3000-01-01T00:00:00.000001Z';
    const b = '3000-01-01T00:00:00.000003Z';
    const status = await post(base, nextVersion(base, b), nextVersion(base, a));
    expect(status.success_count).toBe(3);
    expect((await versionsOf(base.id as string)).slice(1)).toEqual([b, a]);
    expect((await manifestVersionsOf(base.id as string)).slice(1)).toEqual([b, a]);
    expect(
      (await objectsOf(base.id as string, `match[version]=${a}`)).map((o) => o.modified),
    ).toEqual([a]);
    expect(
      (await objectsOf(base.id as string, 'match[version]=first')).map((o) => o.modified),
    ).toEqual([base.modified]);
    expect(
      (await objectsOf(base.id as string, 'match[version]=last')).map((o) => o.modified),
    ).toEqual([b]);
    // The rounded neighbour does not exist (the object endpoint answers 404 for no match).
    const rounded = await server.client.get(collectionPath('rw', `objects/${base.id as string}/`), {
      query: 'match[version]=3000-01-01T00:00:00.000004Z',
    });
    expect(rounded.status).toBe(404);
    // The same version again is a duplicate of itself, not of a neighbour.
    const again = await post(nextVersion(base, a));
    expect(again.successes).toEqual([
      { id: base.id, version: a, message: expect.stringContaining('duplicate') as unknown },
    ]);
  });

  it('stores year 0001 and digits past the microsecond (truncated) exactly', async () => {
    const base = makeIndicator({
      created: '0001-01-01T00:00:00Z',
      modified: '0001-01-01T00:00:00Z',
    });
    const status = await post(
      base,
      nextVersion(base, '0001-01-01T00:00:00.000001Z'),
      nextVersion(base, '9999-12-31T23:59:59.9999999Z'),
    );
    expect(status.success_count).toBe(3);
    expect(await versionsOf(base.id as string)).toEqual([
      '0001-01-01T00:00:00.000000Z',
      '0001-01-01T00:00:00.000001Z',
      '9999-12-31T23:59:59.999999Z',
    ]);
    // The object is served with the bytes it was posted with.
    expect((await objectsOf(base.id as string, '')).map((o) => o.modified)).toEqual([
      '9999-12-31T23:59:59.9999999Z',
    ]);
  });

  it('compares added_after exactly at both ends of the range', async () => {
    const base = makeIndicator();
    await post(base);
    const after = async (value: string): Promise<number> => {
      const res = await server.client.get(collectionPath('rw', 'objects/'), {
        query: `added_after=${value}&match[id]=${base.id as string}`,
      });
      expect(res.status).toBe(200);
      return ((res.body as { objects?: unknown[] }).objects ?? []).length;
    };
    expect(await after('9999-12-31T23:59:59.999999Z')).toBe(0);
    expect(await after('3000-01-01T00:00:00.000001Z')).toBe(0);
    expect(await after('0001-01-01T00:00:00Z')).toBe(1);
    expect(await after('1600-01-01T00:00:00.000001Z')).toBe(1);
  });

  it('revokes a far-future version with an exact later one, and refuses when none fits before 9999 ends', async () => {
    const far = makeIndicator({ modified: '3000-01-01T00:00:00.000001Z' });
    await post(far);
    const revoked = await server.client.post(
      collectionPath('rw', `objects/${far.id as string}/revoke/`),
      undefined,
    );
    expect(revoked.status).toBe(202);
    // One millisecond later, to the microsecond.
    expect(await versionsOf(far.id as string)).toEqual([
      '3000-01-01T00:00:00.000001Z',
      '3000-01-01T00:00:00.001001Z',
    ]);
    const last = makeIndicator({ modified: '9999-12-31T23:59:59.9995Z' });
    await post(last);
    const refused = await server.client.post(
      collectionPath('rw', `objects/${last.id as string}/revoke/`),
      undefined,
    );
    expect(refused.status).toBe(422);
    expect(await versionsOf(last.id as string)).toEqual(['9999-12-31T23:59:59.999500Z']);
  });
});
