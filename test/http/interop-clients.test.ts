// Stock TAXII clients, replayed request for request over real HTTP (PyPI is out of reach, so
// the clients are emulated from their public source):
// - OASIS cti-taxii-client (taxii2client.v21, 2.3.x): the headers it sends, `as_pages` (limit,
//   then `next` while `more`, shrinking `limit` to a short page's size), its Content-Type,
//   discovery/API root/collection/status validation, and `added_after` from a Python datetime.
// - OpenCTI's TAXII feed ingestion (ingestionManager, taxiiHttpGet/processTaxiiResponse): one
//   request per tick with `next` + the unchanged `added_after` while `more`, then
//   `added_after` = X-TAXII-Date-Added-Last parsed into a JS Date (milliseconds) when done.
// Each sequence must complete with every object delivered: no skip, and repeats only where the
// client itself threw away precision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeEnvelope,
  makeIdentity,
  makeIndicator,
  makeMalware,
  type StixObject,
} from '../support/builders.js';
import { COLLECTIONS, startTestServer, type TestServer } from '../support/start-server.js';
import { checkedFetch } from '../support/checked-fetch.js';

const TAXII21 = 'application/taxii+json;version=2.1';
/** taxii2client.DEFAULT_USER_AGENT; POSTs go through requests' session default instead. */
const TAXII2CLIENT_UA = 'taxii2-client/2.3.0';
const REQUESTS_UA = 'python-requests/2.31.0';

interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  status: number;
}

interface HttpResult {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------
// cti-taxii-client (taxii2client/common.py _HTTPConnection + v21/__init__.py)
// ---------------------------------------------------------------------------------------

class TaxiiClientError extends Error {}

/** requests' urlencode of a params dict: quote_plus on keys and values. */
function quotePlus(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** _filter_kwargs_to_query_params: falsy values are dropped (so limit=0 sends no limit). */
function filterKwargsToQueryParams(
  kwargs: Record<string, string | number | string[] | undefined>,
): [string, string][] {
  const params: [string, string][] = [];
  for (const [kwarg, value] of Object.entries(kwargs)) {
    if (
      value === undefined ||
      value === 0 ||
      value === '' ||
      (Array.isArray(value) && value.length === 0)
    )
      continue;
    const list = Array.isArray(value) ? value : [String(value)];
    if (kwarg === 'version') params.push(['match[version]', list.join(',')]);
    else if (kwarg === 'added_after') params.push(['added_after', list.join(',')]);
    else if (kwarg === 'limit') params.push(['limit', String(Math.trunc(Number(list[0])))]);
    else if (kwarg === 'next') params.push(['next', list[0]!]);
    else params.push([`match[${kwarg}]`, list.join(',')]);
  }
  return params;
}

class Taxii2Connection {
  readonly log: Recorded[] = [];
  constructor(private readonly authorization: string) {}

  /** valid_content_type for version 2.1. */
  static validContentType(contentType: string, accept: string): boolean {
    const acceptTokens = accept.replace(/ /g, '').split(';');
    const tokens = contentType.replace(/ /g, '').split(';');
    return acceptTokens.every((t) => tokens.includes(t)) && tokens[0] === 'application/taxii+json';
  }

  async get(url: string, params: [string, string][] = []): Promise<HttpResult> {
    const res = await this.send('GET', url, params, {
      Accept: TAXII21,
      'User-Agent': TAXII2CLIENT_UA,
    });
    if (res.status >= 400) throw new TaxiiClientError(`HTTP ${res.status} for GET ${url}`);
    const contentType = res.headers.get('content-type') ?? '';
    if (!Taxii2Connection.validContentType(contentType, TAXII21))
      throw new TaxiiClientError(`Unexpected Response. Got Content-Type: '${contentType}'`);
    return res;
  }

  async post(url: string, data: Uint8Array): Promise<HttpResult> {
    // add_objects passes its headers straight to session.post: no TAXII User-Agent there.
    const res = await this.send(
      'POST',
      url,
      [],
      { Accept: TAXII21, 'Content-Type': TAXII21, 'User-Agent': REQUESTS_UA },
      data,
    );
    if (res.status >= 400) throw new TaxiiClientError(`HTTP ${res.status} for POST ${url}`);
    return res;
  }

  private async send(
    method: string,
    url: string,
    params: [string, string][],
    headers: Record<string, string>,
    body?: Uint8Array,
  ): Promise<HttpResult> {
    const query = params.map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join('&');
    const target = query.length > 0 ? `${url}?${query}` : url;
    const res = await checkedFetch(target, {
      method,
      headers: {
        ...headers,
        'Accept-Encoding': 'gzip, deflate',
        Authorization: this.authorization,
      },
      ...(body !== undefined && { body }),
    });
    const text = await res.text();
    const parsed = new URL(target);
    this.log.push({
      method,
      path: parsed.pathname,
      query: parsed.searchParams,
      status: res.status,
    });
    return {
      status: res.status,
      headers: res.headers,
      json: text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }
}

/** urllib.parse.urljoin for the absolute/`/`-relative references TAXII uses. */
function urljoin(base: string, ref: string): string {
  return new URL(ref, base).toString();
}

/** Server(url).api_roots → ApiRoot.refresh → .collections → Collection(url + id + "/"). */
async function taxii2Discover(
  conn: Taxii2Connection,
  serverUrl: string,
): Promise<{
  apiRoots: string[];
  defaultRoot: string | undefined;
  collections: Map<string, string>;
}> {
  const discovery = (await conn.get(`${serverUrl}/taxii2/`)).json;
  if (!discovery.title) throw new TaxiiClientError("No 'title' in Server Discovery");
  const roots = ((discovery.api_roots as string[] | undefined) ?? []).map((r) =>
    urljoin(`${serverUrl}/taxii2/`, r),
  );
  const defaultRoot =
    typeof discovery.default === 'string'
      ? urljoin(`${serverUrl}/taxii2/`, discovery.default)
      : undefined;
  const collections = new Map<string, string>();
  for (const root of roots) {
    const info = (await conn.get(root)).json;
    if (
      !info.title ||
      !Array.isArray(info.versions) ||
      info.versions.length === 0 ||
      info.max_content_length === undefined
    ) {
      throw new TaxiiClientError(`invalid API root ${root}`);
    }
    const list = (await conn.get(`${root}collections/`)).json;
    for (const item of (list.collections as Record<string, unknown>[] | undefined) ?? []) {
      const url = `${root}collections/${String(item.id)}/`;
      if (!item.id || !item.title || item.can_read === undefined || item.can_write === undefined)
        throw new TaxiiClientError('invalid collection');
      if (!url.includes(String(item.id))) throw new TaxiiClientError('collection id not in url');
      collections.set(String(item.alias ?? item.id), url);
    }
  }
  return { apiRoots: roots, defaultRoot, collections };
}

/** Status._validate_status. */
function validateStatus(status: Record<string, unknown>): void {
  for (const field of [
    'id',
    'status',
    'total_count',
    'success_count',
    'failure_count',
    'pending_count',
  ]) {
    if (status[field] === undefined || status[field] === null || status[field] === '')
      throw new TaxiiClientError(`No '${field}' in Status`);
  }
  for (const [list, count] of [
    ['successes', 'success_count'],
    ['failures', 'failure_count'],
    ['pendings', 'pending_count'],
  ] as const) {
    const items = status[list] as unknown[] | undefined;
    if (items && items.length > 0 && items.length !== status[count])
      throw new TaxiiClientError(`${list} does not match ${count}`);
  }
  const sum =
    Number(status.success_count) + Number(status.pending_count) + Number(status.failure_count);
  if (sum !== status.total_count) throw new TaxiiClientError('counts do not add up');
}

/** Collection.add_objects(envelope dict): json.dumps(ensure_ascii=False).encode("utf-8"). */
async function taxii2AddObjects(
  conn: Taxii2Connection,
  collectionUrl: string,
  envelope: unknown,
): Promise<{ status: Record<string, unknown>; statusUrl: string }> {
  const pythonJson = JSON.stringify(envelope).replace(/","/g, '", "').replace(/":/g, '": ');
  const res = await conn.post(`${collectionUrl}objects/`, new TextEncoder().encode(pythonJson));
  validateStatus(res.json);
  // urljoin(self.url, "../../status/{}".format(id)): no trailing slash.
  return {
    status: res.json,
    statusUrl: urljoin(collectionUrl, `../../status/${String(res.json.id)}`),
  };
}

/** v21.as_pages(func, per_request, **kwargs). */
async function* asPages(
  conn: Taxii2Connection,
  url: string,
  perRequest: number,
  kwargs: Record<string, string | string[]> = {},
): AsyncGenerator<Record<string, unknown>> {
  let envelope = (await conn.get(url, filterKwargsToQueryParams({ limit: perRequest, ...kwargs })))
    .json;
  yield envelope;
  const totalObtained = ((envelope.objects as unknown[] | undefined) ?? []).length;
  if (envelope.more === true && totalObtained !== perRequest) perRequest = totalObtained;
  while (envelope.more === true) {
    const next = typeof envelope.next === 'string' ? envelope.next : '';
    envelope = (
      await conn.get(url, filterKwargsToQueryParams({ limit: perRequest, next, ...kwargs }))
    ).json;
    yield envelope;
  }
}

/** _format_datetime of a Python datetime holding the header's microseconds. */
function pythonFormatDatetime(taxiiTimestamp: string): string {
  const match = /^(.{19})\.(\d{6})Z$/.exec(taxiiTimestamp);
  if (!match) throw new Error(`not a TAXII timestamp: ${taxiiTimestamp}`);
  const micro = match[2]!;
  return Number(micro) > 0 ? `${match[1]}.${micro.replace(/0+$/, '')}Z` : `${match[1]}Z`;
}

// ---------------------------------------------------------------------------------------
// OpenCTI ingestion manager (taxiiHttpGet + processTaxiiResponse)
// ---------------------------------------------------------------------------------------

interface OpenCtiIngestion {
  uri: string;
  collection: string;
  authorization: string;
  /** ingestion_manager:taxii_feed:limit_per_request (0 = none sent). */
  limitPerRequest: number;
  current_state_cursor?: string | undefined;
  added_after_start?: Date | undefined;
}

interface Tick {
  status: number;
  ids: string[];
  more: boolean | undefined;
  next: string | undefined;
  addedLast: string | null;
  query: string;
}

/** axios' buildURL: encodeURIComponent, then `:`, `$`, `,`, `[`, `]` and spaces back. Dates → toISOString(). */
function axiosQuery(params: Record<string, string | Date | number | undefined>): string {
  const encode = (v: string) =>
    encodeURIComponent(v)
      .replace(/%3A/gi, ':')
      .replace(/%24/g, '$')
      .replace(/%2C/gi, ',')
      .replace(/%20/g, '+')
      .replace(/%5B/gi, '[')
      .replace(/%5D/gi, ']');
  return Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${encode(k)}=${encode(v instanceof Date ? v.toISOString() : String(v))}`)
    .join('&');
}

/** One scheduled run: one GET, then the state patch of processTaxiiResponse. */
async function openCtiTick(ingestion: OpenCtiIngestion): Promise<Tick> {
  const preparedUri = ingestion.uri.endsWith('/') ? ingestion.uri : `${ingestion.uri}/`;
  const params: Record<string, string | Date | number | undefined> = {
    next: ingestion.current_state_cursor,
    added_after: ingestion.added_after_start,
  };
  if (ingestion.limitPerRequest > 0) params.limit = ingestion.limitPerRequest;
  const query = axiosQuery(params);
  const res = await checkedFetch(
    `${preparedUri}collections/${ingestion.collection}/objects/${query ? `?${query}` : ''}`,
    {
      headers: {
        Accept: TAXII21,
        Authorization: ingestion.authorization,
        'User-Agent': 'axios/1.7.7',
        'Accept-Encoding': 'gzip, compress, deflate, br',
      },
    },
  );
  const data = (await res.json()) as { more?: boolean; next?: string; objects?: StixObject[] };
  const addedLast = res.headers.get('x-taxii-date-added-last');
  const tick: Tick = {
    status: res.status,
    ids: (data.objects ?? []).map((o) => o.id),
    more: data.more,
    next: data.next,
    addedLast,
    query,
  };
  if (res.status !== 200) return tick;
  if (data.objects && data.objects.length > 0) {
    if ((data.more ?? false) && data.next !== undefined && data.next !== '') {
      ingestion.current_state_cursor = data.next; // added_after_start untouched
    } else {
      ingestion.current_state_cursor = undefined;
      // utcDate(addedLastHeader).toISOString(): millisecond precision.
      ingestion.added_after_start = addedLast ? new Date(addedLast) : new Date();
    }
  }
  return tick;
}

/** Runs ticks until one brings nothing new that the feed has not delivered before. */
async function openCtiRunUntilIdle(
  ingestion: OpenCtiIngestion,
  maxTicks = 200,
): Promise<{ delivered: string[]; ticks: Tick[] }> {
  const delivered: string[] = [];
  const ticks: Tick[] = [];
  while (ticks.length < maxTicks) {
    const tick = await openCtiTick(ingestion);
    ticks.push(tick);
    expect(tick.status, tick.query).toBe(200);
    const fresh = tick.ids.filter((id) => !delivered.includes(id));
    delivered.push(...tick.ids);
    if (fresh.length === 0 && ingestion.current_state_cursor === undefined) break;
  }
  return { delivered, ticks };
}

// ---------------------------------------------------------------------------------------

let server: TestServer;
const COLLECTION = COLLECTIONS.rw.id;
let collectionUrl: string;

beforeAll(async () => {
  server = await startTestServer();
  collectionUrl = `${server.url}/api1/collections/${COLLECTION}/`;
});
afterAll(async () => {
  await server.close();
});

function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** Posts the objects as the given envelopes (each its own write, so its own millisecond). */
async function postAll(
  envelopes: StixObject[][],
  path = `/api1/collections/${COLLECTION}/objects/`,
): Promise<string[]> {
  for (const objects of envelopes) {
    const res = await server.client.post(path, makeEnvelope(...objects));
    expect(res.body).toMatchObject({ success_count: objects.length });
  }
  return envelopes.flat().map((o) => o.id);
}

/** Ids in date_added order, as stored (the order every reader must reproduce). */
async function storedOrder(
  collectionId = COLLECTION,
): Promise<{ id: string; dateAdded: number }[]> {
  const page = await server.store.query(collectionId, {
    versions: { kind: 'some', first: false, last: true, versions: [] },
    limit: 100_000,
  });
  return page.records.map((r) => ({ id: r.id, dateAdded: r.dateAdded }));
}

describe('OASIS cti-taxii-client (taxii2client.v21)', () => {
  it('discovers API roots and collections with Basic user:<token>, passing its validations', async () => {
    const conn = new Taxii2Connection(basicAuth('misp-sync', server.tokens.analyst));
    const found = await taxii2Discover(conn, server.url);
    expect(found.apiRoots).toEqual([`${server.url}/api1/`, `${server.url}/small/`]);
    expect(found.defaultRoot).toBe(`${server.url}/api1/`);
    expect(found.collections.get('rw')).toBe(collectionUrl);
    expect(conn.log.every((r) => r.status === 200)).toBe(true);
  });

  it('adds objects with its exact POST (Python JSON spacing, raw UTF-8) and gets a complete status it accepts', async () => {
    const conn = new Taxii2Connection(basicAuth('user', server.tokens.analyst));
    const report = makeIdentity({
      name: 'شرکت نمونه — Beispiel GmbH',
      description: 'naïve “quotes” 😀',
    });
    const { status } = await taxii2AddObjects(
      conn,
      collectionUrl,
      makeEnvelope(makeIndicator(), report),
    );
    // Complete at once: the client never polls its status URL (which lacks the trailing slash).
    expect(status).toMatchObject({ status: 'complete', success_count: 2, failure_count: 0 });
    const back = await conn.get(`${collectionUrl}objects/${report.id}/`);
    expect((back.json.objects as StixObject[])[0]!.name).toBe(report.name);
    expect((back.json.objects as StixObject[])[0]!.description).toBe(report.description);
  });

  it('reads the status through ApiRoot.get_status (with the trailing slash)', async () => {
    const conn = new Taxii2Connection(basicAuth('user', server.tokens.analyst));
    const { status } = await taxii2AddObjects(conn, collectionUrl, makeEnvelope(makeMalware()));
    const again = await conn.get(`${server.url}/api1/status/${String(status.id)}/`);
    validateStatus(again.json);
    expect(again.json).toEqual(status);
  });

  describe('as_pages', () => {
    let c: StixObject[][];
    let ids: string[];
    const path = `/api1/collections/${COLLECTIONS.partners.id}/objects/`;
    const url = () => `${server.url}${path}`;
    beforeAll(async () => {
      // Singles and multi-object envelopes: a write's block of date_added ends on a whole
      // millisecond, so all but the last object of an envelope share the millisecond before it
      // (here three, which a page of 3 after the first object would split).
      c = [
        [makeIndicator()],
        [makeIndicator(), makeMalware(), makeIndicator(), makeMalware()],
        [makeMalware()],
        [makeIndicator()],
        [makeIndicator(), makeIndicator()],
        [makeMalware()],
        [makeIndicator()],
      ];
      ids = await postAll(c, path);
    });

    async function collect(
      perRequest: number,
      kwargs: Record<string, string | string[]> = {},
      target = url(),
    ): Promise<{ ids: string[]; conn: Taxii2Connection }> {
      const conn = new Taxii2Connection(basicAuth('user', server.tokens.analyst));
      const seen: string[] = [];
      for await (const envelope of asPages(conn, target, perRequest, kwargs)) {
        seen.push(...((envelope.objects as { id: string }[] | undefined) ?? []).map((o) => o.id));
        expect(conn.log.length).toBeLessThan(100);
      }
      return { ids: seen, conn };
    }

    it.each([1, 2, 3, 4, 5, 100])(
      'pages every object exactly once with per_request=%i',
      async (perRequest) => {
        const { ids: seen, conn } = await collect(perRequest);
        expect(seen).toEqual(ids);
        expect(conn.log.every((r) => r.status === 200)).toBe(true);
      },
    );

    it('sends no limit for the default per_request=0 and gets everything in one page', async () => {
      const { ids: seen, conn } = await collect(0);
      expect(seen).toEqual(ids);
      expect(conn.log).toHaveLength(1);
      expect(conn.log[0]!.query.has('limit')).toBe(false);
    });

    it('follows next on every page that says more (it would re-read page one forever without it)', async () => {
      const { conn } = await collect(2);
      const withNext = conn.log.slice(1);
      expect(withNext.length).toBeGreaterThan(0);
      for (const r of withNext) expect(r.query.get('next')).toMatch(/.+/);
    });

    it('keeps working when a short page makes it lower limit (millisecond-boundary pages)', async () => {
      const { ids: seen, conn } = await collect(3);
      expect(seen).toEqual(ids);
      const limits = conn.log.map((r) => r.query.get('limit'));
      expect(new Set(limits).size).toBeGreaterThan(1);
    });

    it('pages with match[type] filters, percent-encoded by requests', async () => {
      const { ids: seen, conn } = await collect(2, { type: ['indicator'] });
      expect(conn.log[0]!.query.get('match[type]')).toBe('indicator');
      expect(seen).toEqual(
        c
          .flat()
          .filter((o) => o.type === 'indicator')
          .map((o) => o.id),
      );
    });

    it('pages the manifest too', async () => {
      const { ids: seen } = await collect(
        2,
        {},
        `${server.url}/api1/collections/${COLLECTIONS.partners.id}/manifest/`,
      );
      expect(seen).toEqual(ids);
    });

    it('accepts added_after as its _format_datetime writes it (trailing zeros stripped)', async () => {
      const conn = new Taxii2Connection(basicAuth('user', server.tokens.analyst));
      const first = await conn.get(url(), filterKwargsToQueryParams({ limit: 2 }));
      const last = first.headers.get('x-taxii-date-added-last')!;
      const exact = await conn.get(url(), filterKwargsToQueryParams({ added_after: last }));
      const python = await conn.get(
        url(),
        filterKwargsToQueryParams({ added_after: pythonFormatDatetime(last) }),
      );
      expect(python.json).toEqual(exact.json);
      expect((exact.json.objects as unknown[]).length).toBe(
        ids.length - (first.json.objects as unknown[]).length,
      );
    });
  });
});

describe('OpenCTI TAXII feed ingestion', () => {
  const collectionId = COLLECTIONS.rw.id;

  function ingestion(overrides: Partial<OpenCtiIngestion> = {}): OpenCtiIngestion {
    return {
      uri: `${server.url}/api1`,
      collection: collectionId,
      authorization: basicAuth('opencti', server.tokens.analyst),
      limitPerRequest: 0,
      ...overrides,
    };
  }

  it('ingests a backlog with next while more, then switches to added_after, skipping nothing', async () => {
    await postAll([
      [makeIndicator(), makeIndicator(), makeMalware()],
      [makeIndicator()],
      [makeMalware(), makeIndicator()],
      [makeIndicator()],
    ]);
    const all = (await storedOrder()).map((r) => r.id);
    const feed = ingestion({ limitPerRequest: 2 });
    const { delivered, ticks } = await openCtiRunUntilIdle(feed);
    expect(new Set(delivered)).toEqual(new Set(all));
    // While more=true the same added_after travels with next (here: none yet).
    expect(
      ticks
        .filter((t) => t.query.includes('next='))
        .every((t) => !t.query.includes('added_after=')),
    ).toBe(true);
    expect(feed.added_after_start).toBeInstanceOf(Date);
  });

  it('sends next together with its configured start date and the server accepts the pair', async () => {
    const start = new Date(Date.now() - 3_600_000);
    const feed = ingestion({ limitPerRequest: 1, added_after_start: start });
    const first = await openCtiTick(feed);
    expect(first.status).toBe(200);
    expect(first.more).toBe(true);
    const second = await openCtiTick(feed);
    expect(second.status, second.query).toBe(200);
    expect(second.query).toContain(`added_after=${start.toISOString()}`);
    expect(second.query).toContain('next=');
  });

  it('picks up only what was added after it caught up, with the millisecond date it kept', async () => {
    const feed = ingestion({ authorization: `Bearer ${server.tokens.analyst}` });
    await openCtiRunUntilIdle(feed);
    const fresh = await postAll([
      [makeIndicator()],
      [makeMalware(), makeIndicator()],
      [makeIndicator()],
    ]);
    const { delivered } = await openCtiRunUntilIdle(feed);
    // Every new object arrives; anything else is a repeat of the last millisecond of the previous run.
    expect(delivered.filter((id) => fresh.includes(id)).sort()).toEqual([...fresh].sort());
    const order = await storedOrder();
    const caughtUpAt = order.find((r) => r.id === fresh[0])!.dateAdded;
    const older = delivered.filter((id) => !fresh.includes(id));
    for (const id of older) {
      const rec = order.find((r) => r.id === id)!;
      expect(Math.floor(rec.dateAdded / 1000)).toBeLessThanOrEqual(Math.floor(caughtUpAt / 1000));
    }
  });

  it('treats an empty answer ({}, no X-TAXII headers) as nothing new and keeps its state', async () => {
    const feed = ingestion({ added_after_start: new Date(Date.now() + 3_600_000) });
    const before = feed.added_after_start;
    const tick = await openCtiTick(feed);
    expect(tick).toMatchObject({ status: 200, ids: [], more: undefined, addedLast: null });
    expect(feed.added_after_start).toBe(before);
    expect(feed.current_state_cursor).toBeUndefined();
  });

  it('re-delivers nothing on an idle tick once it has caught up after a single-object write', async () => {
    await postAll([[makeIndicator()]]);
    const feed = ingestion();
    await openCtiRunUntilIdle(feed);
    const idle = await openCtiTick(feed);
    expect(idle.ids).toEqual([]);
  });

  // OpenCTI keeps the header as a JS Date (ms); the store ends every write's block of
  // date_added on a whole millisecond, so the truncated value is exactly the newest object's.
  it('re-delivers nothing on an idle tick once it has caught up after a multi-object write', async () => {
    await postAll([[makeIndicator(), makeIndicator(), makeMalware()]]);
    const feed = ingestion();
    await openCtiRunUntilIdle(feed);
    const idle = await openCtiTick(feed);
    expect(idle.ids).toEqual([]);
  });
});
