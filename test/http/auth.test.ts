// Authentication over real HTTP: Bearer and Basic-with-token, each token defect, an RS256/
// ES256 identity provider (JWKS by kid), revocation through the CLI and the failed-auth rate
// limit; and the no-existence-oracle rule: what the caller may not see answers byte for byte
// like what does not exist.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToken } from '../../src/cli/commands/token.js';
import { createLogger } from '../../src/http/logger.js';
import { makeEnvelope, makeIndicator, type StixObject } from '../support/builders.js';
import {
  TEST_CONFIG,
  collectionPath,
  startTestServer,
  type TestServer,
} from '../support/start-server.js';
import { TAXII, taxiiRequest, type TaxiiResponse } from '../support/taxii-client.js';
import {
  basicHeader,
  forgedHs256Token,
  generateEcKeys,
  generateRsaKeys,
  mintToken,
  nowSeconds,
  unsignedToken,
} from '../support/tokens.js';

function get(
  server: TestServer,
  urlPath: string,
  headers: Record<string, string> = {},
): Promise<TaxiiResponse> {
  return taxiiRequest('GET', `${server.url}${urlPath}`, undefined, { headers });
}

function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** Status, body and every header except the ones that differ per response anyway. */
function fingerprint(res: TaxiiResponse): unknown {
  const headers = [...res.headers.entries()].filter(
    ([name]) => !['date', 'x-request-id'].includes(name),
  );
  return { status: res.status, headers, text: res.text };
}

describe('credentials', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Many failures from one address on purpose: keep the rate limit out of the way here.
    server = await startTestServer({
      config: { ...TEST_CONFIG, auth: { rate_limit: { failures: 1000 } } },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('accepts a Bearer token', async () => {
    expect((await get(server, '/taxii2/', bearer(server.tokens.analyst))).status).toBe(200);
  });

  it('accepts Basic with the token as password, whatever the user name', async () => {
    const res = await get(server, '/api1/collections/', {
      Authorization: basicHeader(server.tokens.analyst, 'soc').authorization,
    });
    expect(res.status).toBe(200);
    expect((res.body as { collections: unknown[] }).collections.length).toBeGreaterThan(0);
  });

  it('refuses Basic with a password that is not a token', async () => {
    const res = await get(server, '/taxii2/', {
      Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/Basic/);
  });

  const defects: [string, () => string][] = [
    ['expired', () => mintToken({ exp: nowSeconds() - 3600 })],
    ['not yet valid', () => mintToken({ nbf: nowSeconds() + 3600 })],
    ['signed with another secret', () => mintToken({}, { secret: 'x'.repeat(48) })],
    ['alg none', () => unsignedToken({ alg: 'none', typ: 'JWT' }, { role: 'admin' })],
    [
      'RS256 when the server holds a secret',
      () => mintToken({}, { privateKey: generateRsaKeys().privateKey, algorithm: 'RS256' }),
    ],
    ['wrong issuer', () => mintToken({ iss: 'evil' })],
    ['wrong audience', () => mintToken({ aud: 'other' })],
    ['unknown role', () => mintToken({ role: 'root' })],
    ['missing jti', () => mintToken({ jti: undefined })],
    ['malformed', () => 'abc.def.ghi'],
  ];

  it.each(defects)('answers 401 with a generic message for a token %s', async (_name, make) => {
    const token = make();
    const res = await get(server, '/taxii2/', bearer(token));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="stixgate", Basic realm="stixgate"',
    );
    expect(res.body).toEqual({
      title: 'Authentication required',
      description: 'invalid token',
      http_status: '401',
    });
  });

  it('answers 401 for a scheme it does not take', async () => {
    expect(
      (await get(server, '/taxii2/', { Authorization: `Digest ${server.tokens.admin}` })).status,
    ).toBe(401);
  });
});

describe('no existence oracle', () => {
  let server: TestServer;
  const inHidden = makeIndicator({ name: 'secret' });
  const inPartners = makeIndicator({ name: 'shared' });
  let analystStatus: string;

  beforeAll(async () => {
    server = await startTestServer({ start: { partnerReadView: () => undefined } });
    const admin = server.as(server.tokens.admin);
    expect(
      (await admin.post(collectionPath('hidden', 'objects/'), makeEnvelope(inHidden))).status,
    ).toBe(202);
    expect(
      (await admin.post(collectionPath('partners', 'objects/'), makeEnvelope(inPartners))).status,
    ).toBe(202);
    const posted = await server.client.post(
      collectionPath('rw', 'objects/'),
      makeEnvelope(makeIndicator()),
    );
    analystStatus = (posted.body as { id: string }).id;
  });
  afterAll(async () => {
    await server?.close();
  });

  async function same(
    token: string,
    invisible: string,
    missing: string,
    method = 'GET',
    body?: StixObject,
  ): Promise<void> {
    const send = (p: string) =>
      taxiiRequest(
        method,
        `${server.url}${p}`,
        body === undefined ? undefined : makeEnvelope(body),
        { token },
      );
    const [a, b] = [await send(invisible), await send(missing)];
    expect(a.status).toBe(404);
    expect(fingerprint(a)).toEqual(fingerprint(b));
  }

  const missingCollection = `/api1/collections/${randomUUID()}/`;

  it.each(['', 'objects/', 'manifest/', 'OBJECT/', 'OBJECT/versions/'])(
    'an invisible collection answers like a missing one: GET %s',
    async (rest) => {
      const tail = rest.replace('OBJECT', `objects/${inHidden.id}`);
      await same(
        server.tokens.analyst,
        `${collectionPath('hidden')}${tail}`,
        `${missingCollection}${tail}`,
      );
    },
  );

  it('an invisible collection answers like a missing one: POST objects', async () => {
    await same(
      server.tokens.analyst,
      collectionPath('hidden', 'objects/'),
      `${missingCollection}objects/`,
      'POST',
      makeIndicator(),
    );
  });

  it('an invisible collection answers like a missing one: DELETE object', async () => {
    const tail = `objects/${inHidden.id}/`;
    await same(
      server.tokens.analyst,
      collectionPath('hidden', tail),
      `${missingCollection}${tail}`,
      'DELETE',
    );
    expect((await server.as(server.tokens.admin).get(collectionPath('hidden', tail))).status).toBe(
      200,
    );
  });

  it('an invisible alias answers like a missing alias', async () => {
    await same(
      server.tokens.analyst,
      '/api1/collections/hidden/objects/',
      '/api1/collections/no-such-alias/objects/',
    );
  });

  it('a partner outside the group sees the partner collection as missing', async () => {
    await same(
      server.tokens.partnerOther,
      collectionPath('partners', 'objects/'),
      `${missingCollection}objects/`,
    );
  });

  it('an object withheld from a partner answers like a missing object', async () => {
    const missing = `indicator--${randomUUID()}`;
    await same(
      server.tokens.partner,
      collectionPath('partners', `objects/${inPartners.id}/`),
      collectionPath('partners', `objects/${missing}/`),
    );
    await same(
      server.tokens.partner,
      collectionPath('partners', `objects/${inPartners.id}/versions/`),
      collectionPath('partners', `objects/${missing}/versions/`),
    );
  });

  it('an object of another collection answers like a missing object', async () => {
    await same(
      server.tokens.analyst,
      collectionPath('rw', `objects/${inHidden.id}/`),
      collectionPath('rw', `objects/indicator--${randomUUID()}/`),
    );
  });

  it("another user's status answers like a missing status", async () => {
    await same(
      server.tokens.analyst2,
      `/api1/status/${analystStatus}/`,
      `/api1/status/${randomUUID()}/`,
    );
    await same(
      server.tokens.partner,
      `/api1/status/${analystStatus}/`,
      `/api1/status/${randomUUID()}/`,
    );
  });

  it('a collection visible through write only answers 403 for reads, not 404', async () => {
    const res = await server.client.get(collectionPath('wo', 'objects/'));
    expect(res.status).toBe(403);
  });
});

describe('an RS256/ES256 identity provider (JWKS by kid)', () => {
  let server: TestServer;
  const rsa = generateRsaKeys('idp-rsa');
  const ec = generateEcKeys('idp-ec');

  beforeAll(async () => {
    const jwksDir = await import('node:os').then((os) => os.tmpdir());
    const jwksFile = path.join(jwksDir, `stixgate-jwks-${randomUUID()}.json`);
    await writeFile(jwksFile, JSON.stringify({ keys: [rsa.jwk, ec.jwk] }));
    server = await startTestServer({
      config: {
        ...TEST_CONFIG,
        auth: { issuer: 'https://idp.example', audience: 'stixgate-test' },
      },
      env: { STIXGATE_JWT_SECRET_FILE: '', STIXGATE_JWT_PUBLIC_KEY_FILE: jwksFile },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const claims = { iss: 'https://idp.example', aud: 'stixgate-test', role: 'analyst' };

  it('accepts RS256 and ES256 tokens signed by the keys the kids name', async () => {
    const r = mintToken(claims, { privateKey: rsa.privateKey, algorithm: 'RS256', kid: 'idp-rsa' });
    const e = mintToken(claims, { privateKey: ec.privateKey, algorithm: 'ES256', kid: 'idp-ec' });
    expect((await get(server, '/api1/collections/', bearer(r))).status).toBe(200);
    expect((await get(server, '/api1/collections/', bearer(e))).status).toBe(200);
  });

  it('refuses HS256 signed with the public key as secret', async () => {
    const forged = forgedHs256Token({ alg: 'HS256', kid: 'idp-rsa' }, claims, rsa.publicKeyPem);
    expect((await get(server, '/taxii2/', bearer(forged))).status).toBe(401);
  });

  it('refuses the test HMAC tokens', async () => {
    expect((await get(server, '/taxii2/', bearer(server.tokens.admin))).status).toBe(401);
  });

  it('refuses an unknown kid and the default issuer', async () => {
    const unknownKid = mintToken(claims, {
      privateKey: rsa.privateKey,
      algorithm: 'RS256',
      kid: 'rotated-away',
    });
    const defaultIss = mintToken(
      { role: 'analyst' },
      { privateKey: rsa.privateKey, algorithm: 'RS256', kid: 'idp-rsa' },
    );
    expect((await get(server, '/taxii2/', bearer(unknownKid))).status).toBe(401);
    expect((await get(server, '/taxii2/', bearer(defaultIss))).status).toBe(401);
  });
});

describe('revocation through the CLI', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a token from the next request after `stixgate token revoke`', async () => {
    const token = mintToken({ sub: 'leaky', role: 'analyst' });
    expect((await get(server, '/taxii2/', bearer(token))).status).toBe(200);
    const jti = (jwt.decode(token) as jwt.JwtPayload).jti!;
    const env: Record<string, string> = { DATA_DIR: server.dataDir };
    if (server.running.config.mongodbUri !== undefined)
      env.MONGODB_URI = server.running.config.mongodbUri;
    const sink = new PassThrough();
    sink.resume();
    const code = await runToken(['revoke', jti, '--reason', 'test'], {
      env,
      stdout: sink,
      stderr: sink,
      cwd: server.dataDir,
    });
    expect(code).toBe(0);
    const res = await get(server, '/taxii2/', bearer(token));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ description: 'invalid token' });
    // Other tokens of the same user still work: revocation is per token.
    expect(
      (await get(server, '/taxii2/', bearer(mintToken({ sub: 'leaky', role: 'analyst' })))).status,
    ).toBe(200);
  });
});

describe('revocation across instances', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    a = await startTestServer();
    // A second instance on the same store (same SQLite file, or same MongoDB database).
    const env: Record<string, string> = { DATA_DIR: a.dataDir };
    if (a.running.config.mongodbUri !== undefined) env.MONGODB_URI = a.running.config.mongodbUri;
    b = await startTestServer({ env });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('refuses on instance B a token revoked through the admin API of instance A', async () => {
    const token = mintToken({ sub: 'roaming', role: 'analyst' });
    expect((await get(b, '/taxii2/', bearer(token))).status).toBe(200);
    expect((await get(a, '/taxii2/', bearer(token))).status).toBe(200);
    const jti = (jwt.decode(token) as jwt.JwtPayload).jti!;
    const revoked = await taxiiRequest(
      'POST',
      `${a.url}/admin/tokens/revoked/`,
      JSON.stringify({ jti }),
      {
        token: a.tokens.admin,
        contentType: 'application/json',
      },
    );
    expect(revoked.status).toBe(201);
    expect((await get(b, '/taxii2/', bearer(token))).status).toBe(401);
    expect((await get(a, '/taxii2/', bearer(token))).status).toBe(401);
  });
});

describe('failed-authentication rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      config: { ...TEST_CONFIG, auth: { rate_limit: { failures: 3, window_seconds: 600 } } },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 429 with Retry-After to further failures once an address has used up its allowance, and still serves a valid token from it', async () => {
    const bad = bearer(mintToken({ exp: nowSeconds() - 3600 }));
    for (let i = 0; i < 3; i++) expect((await get(server, '/taxii2/', bad)).status).toBe(401);
    const limited = await get(server, '/api1/collections/', bad);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('content-type')).toBe(TAXII);
    expect(limited.body).toMatchObject({ http_status: '429' });
    const served = await get(server, '/api1/collections/', bearer(server.tokens.admin));
    expect(served.status).toBe(200);
    expect((await get(server, '/api1/collections/', bad)).status).toBe(429);
  });

  it('keeps serving requests that need no authentication', async () => {
    expect(
      (await taxiiRequest('GET', `${server.url}/healthz`, undefined, { accept: null })).status,
    ).toBe(200);
  });
});

describe('logs', () => {
  it('never hold a token, whether accepted, refused or sent as Basic', async () => {
    const lines: string[] = [];
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    const server = await startTestServer({ start: { log: createLogger('trace', sink) } });
    const good = server.tokens.admin;
    const expired = mintToken({ exp: nowSeconds() - 3600 });
    const forged = unsignedToken({ alg: 'none' }, { role: 'admin' });
    try {
      await get(server, '/taxii2/', bearer(good));
      await get(server, '/taxii2/', bearer(expired));
      await get(server, '/taxii2/', bearer(forged));
      await get(server, '/api1/collections/', { Authorization: basicHeader(good).authorization });
      await get(server, '/admin/collections/', bearer(good));
      await taxiiRequest(
        'POST',
        `${server.url}/admin/tokens/revoked/`,
        JSON.stringify({ jti: 'x' }),
        {
          token: good,
          contentType: 'application/json',
        },
      );
      await get(server, '/taxii2/', bearer(`${good.slice(0, -4)}AAAA`));
    } finally {
      await server.close();
    }
    const log = lines.join('');
    expect(log).toContain('"path":"/taxii2/"');
    for (const token of [good, expired, forged]) {
      const [header, payload, signature] = token.split('.');
      expect(log).not.toContain(payload);
      if (signature) expect(log).not.toContain(signature);
      expect(log).not.toContain(`${header}.`);
    }
    expect(log).not.toMatch(/eyJ[\w-]{10,}/);
    expect(log).not.toContain(
      Buffer.from(`taxii-client:${server.tokens.admin}`).toString('base64').slice(0, 40),
    );
  });
});
