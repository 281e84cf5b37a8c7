import { describe, expect, it } from 'vitest';
import { ApiError, adminUrl, createApi } from '../src/api.js';
import { bucketize, niceMax, stepFor } from '../src/audit/series.js';
import { fold, searchEntities } from '../src/registry/search.js';
import { formatRoute, parseRoute } from '../src/route.js';
import { normalizeToken } from '../src/session.js';
import type { AuditRecordInfo, EntityInfo } from '../src/types.js';

describe('api', () => {
  it('builds admin URLs, skipping empty parameters', () => {
    expect(
      adminUrl('preview', { group: 'g1', collection: 'c', limit: 500, api_root: undefined, x: '' }),
    ).toBe('/admin/preview?group=g1&collection=c&limit=500');
    expect(adminUrl('groups/')).toBe('/admin/groups/');
  });

  it('sends the token, asks for JSON and turns an error envelope into an ApiError', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fake = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response(
        JSON.stringify({
          title: 'Forbidden',
          description: 'the admin API requires the admin role',
        }),
        {
          status: 403,
        },
      );
    }) as unknown as typeof fetch;
    const error = await createApi('a.b.c', fake)
      .get('groups/')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(403);
    expect((error as ApiError).message).toBe('Forbidden: the admin API requires the admin role');
    expect(seen[0]!.url).toBe('/admin/groups/');
    expect(seen[0]!.init.headers).toEqual({
      Authorization: 'Bearer a.b.c',
      Accept: 'application/json',
    });
    expect(seen[0]!.init.credentials).toBe('omit');
  });
});

describe('session', () => {
  it('accepts a pasted JWT with or without Bearer, refuses anything else', () => {
    expect(normalizeToken('  Bearer eyJ.eyJ.sig \n')).toBe('eyJ.eyJ.sig');
    expect(normalizeToken('eyJ.eyJ.')).toBe('eyJ.eyJ.');
    expect(normalizeToken('not a token')).toBeUndefined();
    expect(normalizeToken('a.b')).toBeUndefined();
  });
});

describe('route', () => {
  it('round-trips a view and its parameters through the fragment', () => {
    const route = { view: 'preview' as const, params: { collection: 'c1', group: 'g2' } };
    expect(parseRoute(formatRoute(route))).toEqual(route);
    expect(parseRoute('')).toEqual({ view: 'collections', params: {} });
    expect(parseRoute('#/nonsense')).toEqual({ view: 'collections', params: {} });
  });
});

describe('registry search', () => {
  const entity: EntityInfo = {
    id: 'kian-power',
    names: { en: ['Kian Power Company'], fa: ['شرکت برق کیان'] },
    aliases: [],
    acronyms: ['KPC'],
    persons: ['Dariush Karimi'],
    domains: ['kianpower.ir'],
    emailDomains: [],
    hostnames: [],
    cidrs: ['10.20.0.0/16'],
    asNumbers: [204567],
    sector: 'electric-utility',
    identityIds: [],
  };
  const other: EntityInfo = {
    ...entity,
    id: 'water',
    names: { en: ['Water Co'], fa: [] },
    acronyms: [],
    persons: [],
    domains: ['water.ir'],
    cidrs: [],
    asNumbers: [],
    sector: 'water-utility',
  };
  it('finds an entity by any term, Arabic letters matching Persian ones', () => {
    const ids = (q: string) => searchEntities([entity, other], q).map((e) => e.id);
    expect(ids('')).toEqual(['kian-power', 'water']);
    expect(ids('karimi')).toEqual(['kian-power']);
    expect(ids('كيان')).toEqual(['kian-power']);
    expect(ids('10.20.')).toEqual(['kian-power']);
    expect(ids('204567')).toEqual(['kian-power']);
    expect(ids('utility')).toEqual(['kian-power', 'water']);
    expect(ids('nothing-like-this')).toEqual([]);
    expect(fold('ي\u200cك')).toBe('یک');
  });
});

describe('audit series', () => {
  const read = (at: string, served: number, withheld: number): AuditRecordInfo => ({
    at,
    actor: 'p',
    role: 'partner',
    groups: ['g1'],
    action: 'objects.read',
    served: Array.from({ length: served }, (_, i) => ({ original: `x--${i}`, derived: `x--${i}` })),
    withheld,
  });
  it('sums deliveries and withheld objects per bucket, ignoring non-partner records', () => {
    const records: AuditRecordInfo[] = [
      read('2026-03-01T10:00:10Z', 5, 1),
      read('2026-03-01T10:00:50Z', 2, 0),
      read('2026-03-01T10:03:00Z', 1, 3),
      {
        at: '2026-03-01T10:01:00Z',
        actor: 'admin',
        role: 'admin',
        groups: [],
        action: 'collection.create',
      },
    ];
    const { step, buckets } = bucketize(records);
    expect(step).toBe(60_000);
    expect(
      buckets.map((b) => [new Date(b.start).toISOString(), b.delivered, b.withheld, b.reads]),
    ).toEqual([
      ['2026-03-01T10:00:00.000Z', 7, 1, 2],
      ['2026-03-01T10:01:00.000Z', 0, 0, 0],
      ['2026-03-01T10:02:00.000Z', 0, 0, 0],
      ['2026-03-01T10:03:00.000Z', 1, 3, 1],
    ]);
    expect(bucketize([]).buckets).toEqual([]);
  });
  it('picks a step that keeps the bucket count bounded and rounds the axis', () => {
    expect(stepFor(10 * 86_400_000)).toBe(6 * 3_600_000);
    expect(
      bucketize([read('2026-01-01T00:00:00Z', 1, 0), read('2026-03-01T00:00:00Z', 1, 0)]).buckets
        .length,
    ).toBeLessThanOrEqual(48);
    expect([0, 1, 3, 7, 12, 99, 101].map(niceMax)).toEqual([1, 1, 5, 10, 20, 100, 200]);
  });
});
