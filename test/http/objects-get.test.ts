// TAXII 2.1 §5.4 GET objects: filters (§3.4), sorting (§3.3), paging (§3.5), headers (§3.2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/stix/canonical-json.js';
import {
  at,
  makeEnvelope,
  makeIdentity,
  makeIndicator,
  makeIpv4Addr,
  makeMalware,
  nextVersion,
  type StixObject,
} from '../support/builders.js';
import { collectionPath, startTestServer, type TestServer } from '../support/start-server.js';
import { TAXII, type TaxiiResponse } from '../support/taxii-client.js';

let server: TestServer;
const ind = makeIndicator({ created: at(0) });
const indV2 = nextVersion(ind, at(1000), { name: 'v2' });
const indV3 = nextVersion(ind, at(2000), { name: 'v3' });
const mal = makeMalware();
const ident = makeIdentity();
const ip = makeIpv4Addr();
// Posted one per envelope, in this order, so date_added follows it.
const POSTED = [ind, mal, ident, indV2, ip, indV3];

beforeAll(async () => {
  server = await startTestServer();
  for (const obj of POSTED) {
    const res = await server.client.post(collectionPath('rw', 'objects/'), makeEnvelope(obj));
    expect((res.body as { success_count: number }).success_count).toBe(1);
  }
});
afterAll(async () => {
  await server.close();
});

interface Envelope {
  more?: boolean;
  next?: string;
  objects?: StixObject[];
}

async function get(
  query?: string,
  path = collectionPath('rw', 'objects/'),
): Promise<TaxiiResponse & { envelope: Envelope }> {
  const res = await server.client.get(path, query === undefined ? {} : { query });
  return { ...res, envelope: res.body as Envelope };
}

/** `name@modified` labels of the served objects, in order. */
function labels(envelope: Envelope): string[] {
  return (envelope.objects ?? []).map((o) => `${o.type}@${String(o.modified ?? '-')}`);
}

describe('GET objects without filters', () => {
  it('answers an envelope of the latest versions, ascending by date_added', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TAXII);
    expect(res.envelope.more).toBe(false);
    expect((res.envelope.objects ?? []).map((o) => o.id)).toEqual([
      mal.id,
      ident.id,
      ip.id,
      ind.id,
    ]);
    expect(res.envelope.objects?.[3]).toEqual(indV3);
  });

  it('serves each object as its stored canonical bytes', async () => {
    const res = await get(`match[id]=${mal.id}`);
    expect(res.text).toBe(`{"more":false,"objects":[${canonicalJson(mal)}]}`);
  });

  it('sends X-TAXII-Date-Added-First and -Last with microsecond timestamps', async () => {
    const res = await get();
    const first = res.headers.get('x-taxii-date-added-first');
    const last = res.headers.get('x-taxii-date-added-last');
    expect(first).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(last).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(first! < last!).toBe(true);
  });

  it('answers an empty envelope without X-TAXII-Date-Added headers when nothing matches', async () => {
    const res = await get('match[type]=campaign');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(res.headers.get('x-taxii-date-added-first')).toBeNull();
    expect(res.headers.get('x-taxii-date-added-last')).toBeNull();
  });

  it('answers an empty envelope for an empty collection', async () => {
    const res = await get(undefined, collectionPath('partners', 'objects/'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });
});

describe('match[type] and match[id]', () => {
  it('filters by one type', async () => {
    expect(labels((await get('match[type]=indicator')).envelope)).toEqual([
      `indicator@${at(2000)}`,
    ]);
  });

  it('ORs a comma list of types', async () => {
    expect(
      (await get('match[type]=indicator,malware')).envelope.objects?.map((o) => o.type),
    ).toEqual(['malware', 'indicator']);
  });

  it('never errors on an unknown or custom type', async () => {
    const res = await get('match[type]=x-acme-widget');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });

  it('filters by id', async () => {
    expect((await get(`match[id]=${ident.id}`)).envelope.objects?.map((o) => o.id)).toEqual([
      ident.id,
    ]);
  });

  it('ORs a comma list of ids', async () => {
    expect(
      (await get(`match[id]=${ident.id},${ip.id}`)).envelope.objects?.map((o) => o.id),
    ).toEqual([ident.id, ip.id]);
  });

  it('ANDs different fields', async () => {
    expect((await get(`match[id]=${ident.id}&match[type]=malware`)).body).toEqual({});
    expect(
      (await get(`match[id]=${ident.id},${mal.id}&match[type]=malware`)).envelope.objects?.map(
        (o) => o.id,
      ),
    ).toEqual([mal.id]);
  });
});

describe('match[version]', () => {
  it('defaults to last', async () => {
    expect(labels((await get(`match[id]=${ind.id}`)).envelope)).toEqual([`indicator@${at(2000)}`]);
    expect(labels((await get(`match[id]=${ind.id}&match[version]=last`)).envelope)).toEqual([
      `indicator@${at(2000)}`,
    ]);
  });

  it('selects the first version', async () => {
    expect(labels((await get(`match[id]=${ind.id}&match[version]=first`)).envelope)).toEqual([
      `indicator@${at(0)}`,
    ]);
  });

  it('selects all versions in date_added order', async () => {
    expect(labels((await get(`match[id]=${ind.id}&match[version]=all`)).envelope)).toEqual([
      `indicator@${at(0)}`,
      `indicator@${at(1000)}`,
      `indicator@${at(2000)}`,
    ]);
  });

  it('ORs first and last', async () => {
    expect(labels((await get(`match[id]=${ind.id}&match[version]=first,last`)).envelope)).toEqual([
      `indicator@${at(0)}`,
      `indicator@${at(2000)}`,
    ]);
  });

  it('selects an exact modified timestamp', async () => {
    expect(labels((await get('match[version]=2026-01-01T00:00:01.000Z')).envelope)).toEqual([
      `indicator@${at(1000)}`,
    ]);
  });

  it('matches a timestamp written with microseconds', async () => {
    expect(labels((await get('match[version]=2026-01-01T00:00:01.000000Z')).envelope)).toEqual([
      `indicator@${at(1000)}`,
    ]);
  });

  it('ORs several timestamps', async () => {
    const res = await get(`match[id]=${ind.id}&match[version]=${at(0)},${at(2000)}`);
    expect(labels(res.envelope)).toEqual([`indicator@${at(0)}`, `indicator@${at(2000)}`]);
  });

  it('answers every object whose version equals the timestamp', async () => {
    const ids = (await get(`match[version]=${at(0)}`)).envelope.objects?.map((o) => o.id);
    expect(ids).toEqual([ind.id, mal.id, ident.id]);
  });

  it('answers all versions of every object with match[version]=all', async () => {
    expect((await get('match[version]=all')).envelope.objects).toHaveLength(6);
  });

  it('combines match[type] with match[version]=all', async () => {
    expect((await get('match[type]=indicator&match[version]=all')).envelope.objects).toHaveLength(
      3,
    );
  });
});

describe('match[spec_version]', () => {
  it('serves 2.1 objects for match[spec_version]=2.1', async () => {
    expect((await get('match[spec_version]=2.1')).envelope.objects).toHaveLength(4);
  });

  it('serves nothing for a spec version no object has', async () => {
    expect((await get('match[spec_version]=2.0')).body).toEqual({});
  });

  it('ORs a list of spec versions', async () => {
    expect((await get('match[spec_version]=2.0,2.1')).envelope.objects).toHaveLength(4);
  });
});

describe('added_after', () => {
  it('is strictly after the given date_added', async () => {
    const all = await get();
    const first = all.headers.get('x-taxii-date-added-first')!;
    const after = await get(`added_after=${first}`);
    expect(after.envelope.objects?.map((o) => o.id)).toEqual([ident.id, ip.id, ind.id]);
  });

  it('answers an empty envelope after the last date_added', async () => {
    const last = (await get()).headers.get('x-taxii-date-added-last')!;
    expect((await get(`added_after=${last}`)).body).toEqual({});
  });

  it('applies to versions, not to STIX dates', async () => {
    const res = await get('added_after=2030-01-01T00:00:00Z');
    expect(res.body).toEqual({});
    const early = await get('added_after=2000-01-01T00:00:00Z');
    expect(early.envelope.objects).toHaveLength(4);
  });
});

describe('limit and next', () => {
  it('never answers more than limit objects and says more', async () => {
    const res = await get('limit=2');
    expect(res.envelope.objects?.map((o) => o.id)).toEqual([mal.id, ident.id]);
    expect(res.envelope.more).toBe(true);
    expect(typeof res.envelope.next).toBe('string');
  });

  it('continues with next and ends with more=false and no next', async () => {
    const first = await get('limit=2');
    const second = await get(`limit=2&next=${encodeURIComponent(first.envelope.next!)}`);
    expect(second.envelope.objects?.map((o) => o.id)).toEqual([ip.id, ind.id]);
    expect(second.envelope.more).toBe(false);
    expect(second.envelope.next).toBeUndefined();
  });

  it('keeps the filters of the first page when following next', async () => {
    const first = await get('match[version]=all&limit=4');
    const second = await get(
      `match[version]=all&limit=4&next=${encodeURIComponent(first.envelope.next!)}`,
    );
    expect([...(first.envelope.objects ?? []), ...(second.envelope.objects ?? [])]).toHaveLength(6);
  });

  it('pages with added_after = X-TAXII-Date-Added-Last', async () => {
    const first = await get('limit=3');
    const last = first.headers.get('x-taxii-date-added-last')!;
    const second = await get(`limit=3&added_after=${last}`);
    expect(
      [...(first.envelope.objects ?? []), ...(second.envelope.objects ?? [])].map((o) => o.id),
    ).toEqual([mal.id, ident.id, ip.id, ind.id]);
    expect(second.envelope.more).toBe(false);
  });

  it('returns everything when it fits in limit', async () => {
    const res = await get('limit=4');
    expect(res.envelope.objects).toHaveLength(4);
    expect(res.envelope.more).toBe(false);
  });

  it('refuses a next cursor used with different filters', async () => {
    const first = await get('limit=1');
    const res = await get(
      `match[type]=malware&limit=1&next=${encodeURIComponent(first.envelope.next!)}`,
    );
    expect(res.status).toBe(400);
  });

  it('refuses a next cursor minted for another caller', async () => {
    const first = await get('limit=1');
    const other = await server.as(server.tokens.analyst2).get(collectionPath('rw', 'objects/'), {
      query: `limit=1&next=${encodeURIComponent(first.envelope.next!)}`,
    });
    expect(other.status).toBe(400);
  });

  it('refuses a next cursor minted for another collection', async () => {
    const first = await get('limit=1');
    const res = await get(
      `limit=1&next=${encodeURIComponent(first.envelope.next!)}`,
      collectionPath('ro', 'objects/'),
    );
    expect(res.status).toBe(400);
  });

  it('re-checks authorization when a cursor is used (TAXII 2.1 App. B)', async () => {
    const admin = server.as(server.tokens.admin);
    await admin.post(
      collectionPath('hidden', 'objects/'),
      makeEnvelope(makeIndicator(), makeIndicator()),
    );
    const first = await admin.get(collectionPath('hidden', 'objects/'), { query: 'limit=1' });
    const next = (first.body as Envelope).next!;
    // Same subject, but no longer an admin: the cursor does not carry the old rights.
    const demoted = server.as(server.token({ sub: 'admin-1', role: 'analyst' }));
    const res = await demoted.get(collectionPath('hidden', 'objects/'), {
      query: `limit=1&next=${encodeURIComponent(next)}`,
    });
    expect(res.status).toBe(404);
  });

  it('refuses a tampered next cursor', async () => {
    const next = (await get('limit=1')).envelope.next!;
    const flipped = next.slice(0, 10) + (next[10] === 'A' ? 'B' : 'A') + next.slice(11);
    expect((await get(`limit=1&next=${encodeURIComponent(flipped)}`)).status).toBe(400);
  });
});

describe('server limits', () => {
  beforeAll(async () => {
    for (let i = 0; i < 7; i += 1)
      await server.client.post(collectionPath('small', 'objects/'), makeEnvelope(makeIndicator()));
  });

  it('applies the API root default_limit when no limit is given', async () => {
    const res = await get(undefined, collectionPath('small', 'objects/'));
    expect(res.envelope.objects).toHaveLength(3);
    expect(res.envelope.more).toBe(true);
  });

  it('caps limit at the API root max_limit', async () => {
    const res = await get('limit=100', collectionPath('small', 'objects/'));
    expect(res.envelope.objects).toHaveLength(5);
    expect(res.envelope.more).toBe(true);
  });
});

describe('access', () => {
  it('answers 403 on a collection the caller can write but not read', async () => {
    const res = await get(undefined, collectionPath('wo', 'objects/'));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ http_status: '403' });
  });

  it('answers 404 on a collection the caller can neither read nor write', async () => {
    expect((await get(undefined, collectionPath('hidden', 'objects/'))).status).toBe(404);
  });

  it('answers 404 for an unknown collection', async () => {
    expect(
      (await get(undefined, '/api1/collections/99999999-9999-4999-8999-999999999999/objects/'))
        .status,
    ).toBe(404);
  });

  it('answers 401 without credentials', async () => {
    expect((await server.as(undefined).get(collectionPath('rw', 'objects/'))).status).toBe(401);
  });

  it('lets an admin read any collection', async () => {
    expect(
      (await server.as(server.tokens.admin).get(collectionPath('hidden', 'objects/'))).status,
    ).toBe(200);
  });
});
