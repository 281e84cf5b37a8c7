// Far-future and far-past versions: a version a stored double would round is refused per
// object before anything is stored (no 500 after a commit), one it holds is stored and listed
// exactly, and the collection's reads keep working whatever was posted.
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
  success_count: number;
  failure_count: number;
  failures: { id: string; version: string; message?: string }[];
}

async function expectReadsWork(id: string): Promise<string[]> {
  for (const path of [
    'objects/',
    'objects/?match[version]=all',
    'manifest/?match[version]=all',
    `objects/${id}/?match[version]=all`,
  ]) {
    const res = await server.client.get(collectionPath('rw', path));
    expect(res.status, path).toBe(200);
  }
  const versions = await server.client.get(collectionPath('rw', `objects/${id}/versions/`));
  expect(versions.status).toBe(200);
  return (versions.body as { versions: string[] }).versions;
}

describe('version timestamps at the edges', () => {
  it('refuses 9999-12-31T23:59:59.999991Z per object, stores its neighbour, and every read still answers', async () => {
    const base = makeIndicator();
    const far = nextVersion(base, '9999-12-31T23:59:59.999991Z');
    const other = makeIndicator();
    const res = await server.client.post(
      collectionPath('rw', 'objects/'),
      makeEnvelope(base, far, other),
    );
    expect(res.status).toBe(202);
    const status = res.body as StatusBody;
    expect(status.success_count).toBe(2);
    expect(status.failures).toEqual([
      {
        id: base.id,
        version: '9999-12-31T23:59:59.999991Z',
        message: expect.stringContaining('cannot be stored exactly') as unknown,
      },
    ]);
    expect(await expectReadsWork(base.id as string)).toEqual([
      `${String(base.modified).slice(0, 23)}000Z`,
    ]);
  });

  it('refuses two versions 1 µs apart in the year 3000 instead of listing them rounded', async () => {
    const base = makeIndicator();
    const a = nextVersion(base, '3000-01-01T00:00:00.000001Z');
    const b = nextVersion(base, '3000-01-01T00:00:00.000003Z');
    const res = await server.client.post(
      collectionPath('rw', 'objects/'),
      makeEnvelope(base, a, b),
    );
    expect((res.body as StatusBody).failure_count).toBe(2);
    expect(await expectReadsWork(base.id as string)).toHaveLength(1);
  });

  it('stores and lists exactly the versions a double holds: whole seconds in 9999, milliseconds in 4000, year 0001', async () => {
    const base = makeIndicator({
      created: '0001-01-01T00:00:00Z',
      modified: '0001-01-01T00:00:00Z',
    });
    const versions = ['4000-06-15T12:30:45.125Z', '9999-12-31T23:59:59Z'];
    const res = await server.client.post(
      collectionPath('rw', 'objects/'),
      makeEnvelope(base, ...versions.map((v) => nextVersion(base, v))),
    );
    expect((res.body as StatusBody).success_count).toBe(3);
    expect(await expectReadsWork(base.id as string)).toEqual([
      '0001-01-01T00:00:00.000000Z',
      '4000-06-15T12:30:45.125000Z',
      '9999-12-31T23:59:59.000000Z',
    ]);
    const latest = await server.client.get(collectionPath('rw', `objects/${base.id as string}/`));
    expect((latest.body as { objects: { modified: string }[] }).objects[0]!.modified).toBe(
      '9999-12-31T23:59:59Z',
    );
  });
});
