// Who may do what, over real HTTP: every role (admin, analyst, partner in the group, partner
// outside it, anonymous) against every TAXII endpoint, with the access rules of docs/auth.md: 401 without
// credentials; a collection the caller can neither read nor write is 404; 403 only where the
// caller can see the collection; status resources only for their submitter and admins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnvelope, makeIndicator, type StixObject } from '../support/builders.js';
import {
  COLLECTIONS,
  collectionPath,
  startTestServer,
  type TestServer,
} from '../support/start-server.js';
import type { TaxiiClient, TaxiiResponse } from '../support/taxii-client.js';

type Who = 'admin' | 'analyst' | 'partnerIn' | 'partnerOut' | 'anonymous';
type Name = 'rw' | 'ro' | 'wo' | 'hidden' | 'partners';

const WHO: Who[] = ['admin', 'analyst', 'partnerIn', 'partnerOut', 'anonymous'];
const NAMES: Name[] = ['rw', 'ro', 'wo', 'hidden', 'partners'];

/** The rights TEST_CONFIG gives (start-server.ts): [read, write]. */
const RIGHTS: Record<Exclude<Who, 'anonymous'>, Record<Name, [boolean, boolean]>> = {
  admin: {
    rw: [true, true],
    ro: [true, true],
    wo: [true, true],
    hidden: [true, true],
    partners: [true, true],
  },
  analyst: {
    rw: [true, true],
    ro: [true, false],
    wo: [false, true],
    hidden: [false, false],
    partners: [true, true],
  },
  partnerIn: {
    rw: [false, false],
    ro: [false, false],
    wo: [false, false],
    hidden: [false, false],
    partners: [true, false],
  },
  partnerOut: {
    rw: [false, false],
    ro: [false, false],
    wo: [false, false],
    hidden: [false, false],
    partners: [false, false],
  },
};

let server: TestServer;
/** One indicator stored in each collection (posted by the admin). */
const stored = {} as Record<Name, StixObject>;
let adminStatusId: string;
let analystStatusId: string;

function client(who: Who): TaxiiClient {
  const t = server.tokens;
  const token = {
    admin: t.admin,
    analyst: t.analyst,
    partnerIn: t.partner,
    partnerOut: t.partnerOther,
    anonymous: undefined,
  }[who];
  return server.as(token);
}

async function post(who: Who, name: Name, obj: StixObject): Promise<TaxiiResponse> {
  return client(who).post(collectionPath(name, 'objects/'), makeEnvelope(obj));
}

beforeAll(async () => {
  // Partners read through a fail-closed view here (no sharing engine): they see nothing raw.
  server = await startTestServer({ start: { partnerReadView: () => undefined } });
  for (const name of NAMES) {
    stored[name] = makeIndicator({ name: `in ${name}` });
    const res = await post('admin', name, stored[name]);
    expect(res.status).toBe(202);
    if (name === 'rw') adminStatusId = (res.body as { id: string }).id;
  }
  const res = await post('analyst', 'rw', makeIndicator({ name: 'by analyst' }));
  expect(res.status).toBe(202);
  analystStatusId = (res.body as { id: string }).id;
});
afterAll(async () => {
  await server?.close();
});

function expected(
  who: Who,
  name: Name,
  need: 'read' | 'write' | 'both',
  partnerWithheld = false,
): number {
  if (who === 'anonymous') return 401;
  const [r, w] = RIGHTS[who][name];
  if (!r && !w) return 404;
  const ok = need === 'read' ? r : need === 'write' ? w : r && w;
  if (!ok) return 403;
  // With no sharing engine, a partner is served nothing: a single object is then "not found".
  if (partnerWithheld && who.startsWith('partner')) return 404;
  return 200;
}

const cells = WHO.flatMap((who) => NAMES.map((name) => [who, name] as const));

describe('server-level endpoints', () => {
  it.each(WHO)('discovery for %s', async (who) => {
    expect((await client(who).get('/taxii2/')).status).toBe(who === 'anonymous' ? 401 : 200);
  });

  it.each(WHO)('api root for %s', async (who) => {
    expect((await client(who).get('/api1/')).status).toBe(who === 'anonymous' ? 401 : 200);
  });

  it.each(WHO)('collections list for %s holds exactly the visible collections', async (who) => {
    const res = await client(who).get('/api1/collections/');
    if (who === 'anonymous') return expect(res.status).toBe(401);
    expect(res.status).toBe(200);
    const ids = ((res.body as { collections?: { id: string }[] }).collections ?? [])
      .map((c) => c.id)
      .sort();
    const visible = NAMES.filter((n) => RIGHTS[who][n].some(Boolean))
      .map((n) => COLLECTIONS[n].id)
      .sort();
    expect(ids).toEqual(visible);
  });
});

describe('collection endpoints', () => {
  it.each(cells)('GET collection: %s on %s', async (who, name) => {
    const status = expected(who, name, 'read');
    const res = await client(who).get(collectionPath(name));
    expect(res.status).toBe(status === 403 ? 200 : status); // the collection resource needs either right
  });

  it.each(cells)('GET objects: %s on %s', async (who, name) => {
    expect((await client(who).get(collectionPath(name, 'objects/'))).status).toBe(
      expected(who, name, 'read'),
    );
  });

  it.each(cells)('GET manifest: %s on %s', async (who, name) => {
    expect((await client(who).get(collectionPath(name, 'manifest/'))).status).toBe(
      expected(who, name, 'read'),
    );
  });

  it.each(cells)('POST objects: %s on %s', async (who, name) => {
    const status = expected(who, name, 'write');
    expect((await post(who, name, makeIndicator())).status).toBe(status === 200 ? 202 : status);
  });

  it.each(cells)('GET object: %s on %s', async (who, name) => {
    const res = await client(who).get(collectionPath(name, `objects/${stored[name].id}/`));
    expect(res.status).toBe(expected(who, name, 'read', true));
  });

  it.each(cells)('GET versions: %s on %s', async (who, name) => {
    const res = await client(who).get(collectionPath(name, `objects/${stored[name].id}/versions/`));
    expect(res.status).toBe(expected(who, name, 'read', true));
  });

  it.each(cells)('DELETE object: %s on %s', async (who, name) => {
    const victim = makeIndicator({ name: 'to delete' });
    expect((await post('admin', name, victim)).status).toBe(202);
    const res = await client(who).delete(collectionPath(name, `objects/${victim.id}/`));
    expect(res.status).toBe(expected(who, name, 'both'));
    const after = await client('admin').get(collectionPath(name, `objects/${victim.id}/`));
    expect(after.status).toBe(res.status === 200 ? 404 : 200);
  });
});

describe('status resources', () => {
  it.each([
    ['admin', 200, 200],
    ['analyst', 404, 200],
    ['partnerIn', 404, 404],
    ['partnerOut', 404, 404],
    ['anonymous', 401, 401],
  ] as const)(
    '%s reads the admin status: %i, the analyst status: %i',
    async (who, ofAdmin, ofAnalyst) => {
      expect((await client(who).get(`/api1/status/${adminStatusId}/`)).status).toBe(ofAdmin);
      expect((await client(who).get(`/api1/status/${analystStatusId}/`)).status).toBe(ofAnalyst);
    },
  );

  it('hides a status from another analyst', async () => {
    expect(
      (await server.as(server.tokens.analyst2).get(`/api1/status/${analystStatusId}/`)).status,
    ).toBe(404);
  });
});

describe('401 answers', () => {
  it.each([
    '/taxii2/',
    '/api1/',
    '/api1/collections/',
    collectionPath('rw'),
    collectionPath('rw', 'objects/'),
    collectionPath('hidden', 'manifest/'),
    '/api1/status/00000000-0000-4000-8000-000000000000/',
  ])('%s without credentials offers Bearer and Basic', async (path) => {
    const res = await client('anonymous').get(path);
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/Bearer realm="stixgate"/);
    expect(challenge).toMatch(/Basic realm="stixgate"/);
    expect(res.body).toMatchObject({ http_status: '401' });
  });

  it('answers 401 for POST without credentials, before reading the body', async () => {
    const res = await post('anonymous', 'rw', makeIndicator());
    expect(res.status).toBe(401);
  });
});
