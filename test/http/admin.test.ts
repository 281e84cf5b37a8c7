// The admin API over real HTTP: admin role only, collections CRUD with rights (validated,
// audited, conflicts refused), partner groups read-only, token revocations.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminMount, createAdminRouter } from '../../src/http/routes/admin.js';
import { makeEnvelope, makeIndicator } from '../support/builders.js';
import {
  COLLECTIONS,
  TEST_CONFIG,
  startTestServer,
  type TestServer,
} from '../support/start-server.js';
import { TAXII } from '../support/taxii-client.js';
import { mintToken } from '../support/tokens.js';
import { checkedFetch } from '../support/checked-fetch.js';

let server: TestServer;
const GROUPS = [
  { id: 'g1', name: 'Financial sector', policyId: 'fin-policy', singleOrganization: false },
  { id: 'g2', name: 'Energy', policyId: 'energy-policy', singleOrganization: true },
  { id: 'g3', name: 'Researchers' },
];

beforeAll(async () => {
  server = await startTestServer({
    start: {
      extraRouters: ({ config, store }) => [
        { path: '/admin', router: createAdminRouter({ config, store, listGroups: () => GROUPS }) },
      ],
    },
  });
});
afterAll(async () => {
  await server?.close();
});

interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

async function admin(
  method: string,
  path: string,
  body?: unknown,
  token: string | null = server.tokens.admin,
  contentType = 'application/json',
): Promise<JsonResponse> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = contentType;
  const res = await checkedFetch(`${server.url}/admin${path}`, {
    method,
    headers,
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

function newCollection(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    api_root: 'api1',
    title: 'Energy sector feed',
    read: { roles: ['analyst'], groups: ['g2'] },
    write: { roles: ['analyst'], groups: [] },
    ...overrides,
  };
}

async function auditActions(action: string): Promise<unknown[]> {
  return server.store.queryAudit({ action, limit: 100 });
}

describe('access to the admin API', () => {
  it('answers 401 without credentials, with the challenge', async () => {
    const res = await admin('GET', '/collections/', undefined, null);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/Bearer.*Basic/);
  });

  it.each(['analyst', 'partner'] as const)('answers 403 to an %s', async (role) => {
    const res = await admin('GET', '/collections/', undefined, server.tokens[role]);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ http_status: '403' });
  });

  it('refuses a partner token that claims admin groups', async () => {
    const token = mintToken({ role: 'partner', groups: ['admin'] });
    expect((await admin('GET', '/groups/', undefined, token)).status).toBe(403);
  });

  it('answers 404 in the error envelope for an unknown admin path', async () => {
    const res = await admin('GET', '/nothing-here/');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe(TAXII);
  });
});

describe('collections', () => {
  it('lists every collection with its rights and where it is defined', async () => {
    const res = await admin('GET', '/collections/?api_root=api1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const list = (res.body as { collections: Record<string, unknown>[] }).collections;
    const hidden = list.find((c) => c.id === COLLECTIONS.hidden.id);
    expect(hidden).toMatchObject({
      api_root: 'api1',
      alias: 'hidden',
      read: { roles: [], groups: [] },
      source: 'config',
    });
  });

  it('creates a collection that TAXII serves at once, with the rights given, and audits it', async () => {
    const res = await admin(
      'POST',
      '/collections/',
      newCollection({ alias: 'energy', partner_title: 'Energy IOCs' }),
    );
    expect(res.status).toBe(201);
    const created = res.body as { id: string; source: string; created: string };
    expect(created).toMatchObject({
      api_root: 'api1',
      alias: 'energy',
      source: 'api',
      validation: 'permissive',
    });
    expect(res.headers.get('location')).toBe(`/admin/collections/api1/${created.id}/`);

    const partnerIn = server.as(mintToken({ sub: 'energy-co', role: 'partner', groups: ['g2'] }));
    const seen = await partnerIn.get(`/api1/collections/${created.id}/`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ title: 'Energy IOCs', can_read: true, can_write: false });
    expect(
      (await server.as(server.tokens.partner).get(`/api1/collections/${created.id}/`)).status,
    ).toBe(404);
    expect(
      (await server.client.post(`/api1/collections/energy/objects/`, makeEnvelope(makeIndicator())))
        .status,
    ).toBe(202);

    const records = (await auditActions('collection.create')) as {
      actor: string;
      collectionId: string;
    }[];
    expect(records.some((r) => r.actor === 'admin-1' && r.collectionId === created.id)).toBe(true);
  });

  it('creates with a given id', async () => {
    const id = randomUUID();
    const res = await admin('POST', '/collections/', newCollection({ id }));
    expect(res.status).toBe(201);
    expect((await admin('GET', `/collections/api1/${id}/`)).body).toMatchObject({
      id,
      title: 'Energy sector feed',
    });
  });

  it('refuses an alias already used in the API root (409)', async () => {
    const res = await admin('POST', '/collections/', newCollection({ alias: 'rw' }));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ http_status: '409' });
  });

  it('refuses an existing id (409)', async () => {
    expect(
      (await admin('POST', '/collections/', newCollection({ id: COLLECTIONS.rw.id }))).status,
    ).toBe(409);
  });

  it.each([
    ['a missing title', { title: undefined }],
    ['an unknown field', { colour: 'red' }],
    ['an unknown role', { read: { roles: ['root'], groups: [] } }],
    ['an unknown API root', { api_root: 'nope' }],
    ['an undeclared partner group', { read: { roles: [], groups: ['g9'] } }],
    ['an alias shaped like an id', { alias: randomUUID() }],
    ['a bad id', { id: 'not-a-uuid' }],
    ['a bad TLP', { default_tlp: 'purple' }],
  ])('answers 400 for %s', async (_name, change) => {
    const res = await admin('POST', '/collections/', newCollection(change));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ title: 'Bad request', http_status: '400' });
  });

  it('answers 400 for a body that is not JSON', async () => {
    expect((await admin('POST', '/collections/', '{"title":')).status).toBe(400);
  });

  it('answers 415 for a body that is not application/json', async () => {
    expect(
      (await admin('POST', '/collections/', newCollection(), server.tokens.admin, 'text/plain'))
        .status,
    ).toBe(415);
  });

  it('updates the rights of an API-defined collection, keeping its id and creation time', async () => {
    const created = (await admin('POST', '/collections/', newCollection())).body as {
      id: string;
      created: string;
    };
    const res = await admin(
      'PUT',
      `/collections/api1/${created.id}/`,
      newCollection({ read: { roles: ['analyst'], groups: ['g1'] } }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      created: created.created,
      read: { groups: ['g1'] },
    });
    expect(
      (await server.as(server.tokens.partner).get(`/api1/collections/${created.id}/`)).status,
    ).toBe(200);
    const updates = (await auditActions('collection.update')) as { collectionId: string }[];
    expect(updates.filter((r) => r.collectionId === created.id)).toHaveLength(1);
  });

  it('takes back what GET gave (read-only fields included)', async () => {
    const created = (await admin('POST', '/collections/', newCollection())).body as Record<
      string,
      unknown
    >;
    const edited = { ...created, title: 'Renamed' };
    const res = await admin('PUT', `/collections/api1/${String(created.id)}/`, edited);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(edited);
  });

  it('refuses to change the id through PUT', async () => {
    const created = (await admin('POST', '/collections/', newCollection())).body as { id: string };
    expect(
      (await admin('PUT', `/collections/api1/${created.id}/`, newCollection({ id: randomUUID() })))
        .status,
    ).toBe(400);
  });

  it('refuses to change or delete a collection declared in the configuration file (409)', async () => {
    expect(
      (await admin('PUT', `/collections/api1/${COLLECTIONS.rw.id}/`, newCollection())).status,
    ).toBe(409);
    expect((await admin('DELETE', `/collections/api1/${COLLECTIONS.rw.id}/`)).status).toBe(409);
  });

  it('deletes an API-defined collection with its objects, and audits it', async () => {
    const created = (await admin('POST', '/collections/', newCollection())).body as { id: string };
    await server.client.post(
      `/api1/collections/${created.id}/objects/`,
      makeEnvelope(makeIndicator()),
    );
    const res = await admin('DELETE', `/collections/api1/${created.id}/`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deleted: created.id, objects: 1 });
    expect((await admin('GET', `/collections/api1/${created.id}/`)).status).toBe(404);
    expect((await server.client.get(`/api1/collections/${created.id}/`)).status).toBe(404);
    const deletes = (await auditActions('collection.delete')) as { collectionId: string }[];
    expect(deletes.filter((r) => r.collectionId === created.id)).toHaveLength(1);
  });

  it('answers 404 for a collection that does not exist, and by alias', async () => {
    expect((await admin('GET', `/collections/api1/${randomUUID()}/`)).status).toBe(404);
    expect((await admin('GET', '/collections/api1/rw/')).status).toBe(404);
  });
});

describe('partner groups', () => {
  it('lists the declared groups with the collections they may read and write', async () => {
    const res = await admin('GET', '/groups/');
    expect(res.status).toBe(200);
    const groups = (res.body as { groups: { id: string; can_read: { id: string }[] }[] }).groups;
    expect(groups.map((g) => g.id)).toEqual(['g1', 'g2', 'g3']);
    expect(groups[0]).toMatchObject({
      name: 'Financial sector',
      policy: 'fin-policy',
      single_organization: false,
    });
    expect(groups[0]!.can_read.map((c) => c.id)).toContain(COLLECTIONS.partners.id);
  });

  it('offers no way to change groups (they are declared in the configuration)', async () => {
    expect((await admin('POST', '/groups/', { id: 'g4' })).status).toBe(404);
  });
});

describe('token revocation', () => {
  it('revokes a token: refused from the next request, listed, audited', async () => {
    const token = mintToken({
      sub: 'partner-x',
      role: 'partner',
      groups: ['g1'],
      jti: 'jti-admin-api',
    });
    expect((await server.as(token).get('/api1/collections/')).status).toBe(200);
    const res = await admin('POST', '/tokens/revoked/', {
      jti: 'jti-admin-api',
      reason: 'contract ended',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ jti: 'jti-admin-api', reason: 'contract ended' });
    expect((await server.as(token).get('/api1/collections/')).status).toBe(401);
    const list = (await admin('GET', '/tokens/revoked/')).body as { revoked: { jti: string }[] };
    expect(list.revoked.map((r) => r.jti)).toContain('jti-admin-api');
    const records = (await auditActions('token.revoke')) as { actor: string; details: unknown }[];
    expect(records).toContainEqual(
      expect.objectContaining({
        actor: 'admin-1',
        details: { jti: 'jti-admin-api', reason: 'contract ended' },
      }),
    );
  });

  it('answers 400 without a jti', async () => {
    expect((await admin('POST', '/tokens/revoked/', { reason: 'x' })).status).toBe(400);
  });

  it('never records the token itself in the audit', async () => {
    const all = JSON.stringify(await server.store.queryAudit({ limit: 1000 }));
    expect(all).not.toContain(server.tokens.admin);
    expect(all).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });
});

describe('adminMount (the production wiring)', () => {
  let wired: TestServer;
  beforeAll(async () => {
    wired = await startTestServer({
      config: {
        ...TEST_CONFIG,
        sharing: {
          master_key_file: 'sharing-master-key',
          own_identity: { id: 'identity--11111111-1111-4111-8111-111111111111', name: 'CERT' },
          policies: [{ id: 'p1', revision: 1, tlp_ceiling: 'green' }],
          groups: [{ id: 'g1', name: 'Financial sector', policy: 'p1' }],
        },
      },
      start: { extraRouters: (ctx) => [adminMount(ctx)] },
    });
  });
  afterAll(async () => {
    await wired?.close();
  });

  it('serves /admin/ with the groups declared in the sharing section', async () => {
    const res = await checkedFetch(`${wired.url}/admin/groups/`, {
      headers: { Authorization: `Bearer ${wired.tokens.admin}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { groups: { id: string; name: string; policy: string }[] };
    expect(body.groups).toEqual([
      expect.objectContaining({
        id: 'g1',
        name: 'Financial sector',
        policy: 'p1',
        single_organization: false,
      }),
    ]);
  });
});

describe('admin paths', () => {
  it('answer with or without the trailing slash', async () => {
    expect((await admin('GET', '/collections')).status).toBe(200);
    expect((await admin('GET', '/tokens/revoked')).status).toBe(200);
    expect((await admin('GET', `/collections/api1/${COLLECTIONS.rw.id}`)).status).toBe(200);
  });
});
