// Paging while another client writes (TAXII 2.1 §3.4, §3.5): by
// `next`, by added_after = X-TAXII-Date-Added-Last, and by that header truncated to
// milliseconds. No reader may skip an object; the exact readers may not repeat one; the
// truncating reader may repeat but must not loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnvelope, makeIndicator, makeMalware } from '../support/builders.js';
import { collectionPath, startTestServer, type TestServer } from '../support/start-server.js';
import type { TaxiiClient } from '../support/taxii-client.js';

let server: TestServer;
const PATH = collectionPath('rw', 'objects/');
const ENVELOPES = 40;
// Larger than any one envelope: a client truncating to milliseconds can only make progress
// when fewer than `limit` objects share a millisecond of date_added (see docs/api.md).
const LIMIT = 10;
const MAX_REQUESTS = 500;

beforeAll(async () => {
  server = await startTestServer({ realClock: true });
});
afterAll(async () => {
  await server.close();
});

interface Page {
  ids: string[];
  more: boolean;
  next?: string;
  last: string | null;
}

async function page(client: TaxiiClient, query: string): Promise<Page> {
  const res = await client.get(PATH, { query });
  expect(res.status, `${query} → ${res.text}`).toBe(200);
  const body = res.body as { more?: boolean; next?: string; objects?: { id: string }[] };
  return {
    ids: (body.objects ?? []).map((o) => o.id),
    more: body.more ?? false,
    ...(body.next !== undefined && { next: body.next }),
    last: res.headers.get('x-taxii-date-added-last'),
  };
}

/** Writes ENVELOPES envelopes of 1–3 objects one after another; resolves with every id. */
async function write(): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < ENVELOPES; i += 1) {
    const objects = Array.from({ length: (i % 3) + 1 }, (_, j) =>
      j % 2 === 0 ? makeIndicator() : makeMalware(),
    );
    const res = await server.client.post(PATH, makeEnvelope(...objects));
    expect(res.status).toBe(202);
    ids.push(...objects.map((o) => o.id));
  }
  return ids;
}

type Strategy = 'next' | 'added_after' | 'added_after_ms';

/**
 * Polls until the writer is done and one more full pass finds nothing new. With `next`, a
 * chain is followed while more=true; then polling resumes from the last header.
 */
async function poll(
  strategy: Strategy,
  writerDone: () => boolean,
): Promise<{ ids: string[]; requests: number }> {
  const seen: string[] = [];
  let addedAfter: string | undefined;
  let next: string | undefined;
  let chainQuery = `limit=${LIMIT}`;
  let requests = 0;
  let quietAfterDone = false;
  while (requests < MAX_REQUESTS) {
    const doneBefore = writerDone();
    // A `next` is only valid with the query that produced it (TAXII 2.1 §3.4).
    if (next === undefined)
      chainQuery =
        addedAfter === undefined ? `limit=${LIMIT}` : `limit=${LIMIT}&added_after=${addedAfter}`;
    const query =
      next === undefined ? chainQuery : `${chainQuery}&next=${encodeURIComponent(next)}`;
    const p = await page(server.client, query);
    requests += 1;
    seen.push(...p.ids);
    if (p.last !== null)
      addedAfter = strategy === 'added_after_ms' ? `${p.last.slice(0, 23)}Z` : p.last;
    next = strategy === 'next' && p.more ? p.next : undefined;
    if (!p.more && p.ids.length === 0) {
      if (quietAfterDone) break;
      // The writer finished before this empty read began: one more confirming read.
      if (doneBefore) quietAfterDone = true;
      else await new Promise((resolve) => setImmediate(resolve));
    } else if (!p.more && strategy === 'added_after_ms' && doneBefore) {
      // A truncating client re-reads the last millisecond forever once nothing is new: stop
      // when a page holds nothing unseen.
      const unseen = p.ids.filter((id) => seen.indexOf(id) === seen.lastIndexOf(id));
      if (unseen.length === 0) break;
    }
  }
  return { ids: seen, requests };
}

/** Every id posted by this file so far: each reader starts at the beginning of the collection. */
const posted: string[] = [];

/** Posts a backlog (so that the reader starts with full pages), then polls while a writer posts. */
async function readWhileWriting(
  strategy: Strategy,
): Promise<{ all: Set<string>; ids: string[]; requests: number }> {
  const backlog = [
    makeIndicator(),
    makeMalware(),
    makeIndicator(),
    makeMalware(),
    makeIndicator(),
    makeIndicator(),
    makeMalware(),
    makeIndicator(),
    makeIndicator(),
  ];
  expect((await server.client.post(PATH, makeEnvelope(...backlog))).status).toBe(202);
  posted.push(...backlog.map((o) => o.id));
  let done = false;
  const writer = write().then((ids) => {
    done = true;
    posted.push(...ids);
  });
  const [, read] = await Promise.all([writer, poll(strategy, () => done)]);
  const all = new Set(posted);
  expect(all.size).toBe(posted.length);
  return { all, ...read };
}

// Each reader runs against a writer of its own; on a loaded machine one pass takes over a
// minute, hence the timeouts.
describe('paging while a writer posts', () => {
  it('following next links, a reader sees every object exactly once', async () => {
    const { all, ids, requests } = await readWhileWriting('next');
    expect(requests).toBeLessThan(MAX_REQUESTS);
    expect(ids).toHaveLength(new Set(ids).size);
    expect(new Set(ids)).toEqual(all);
  }, 180_000);

  it('with added_after = X-TAXII-Date-Added-Last, a reader sees every object exactly once', async () => {
    const { all, ids, requests } = await readWhileWriting('added_after');
    expect(requests).toBeLessThan(MAX_REQUESTS);
    expect(ids).toHaveLength(new Set(ids).size);
    expect(new Set(ids)).toEqual(all);
  }, 180_000);

  it('with added_after truncated to milliseconds, a reader sees every object and stops', async () => {
    const { all, ids, requests } = await readWhileWriting('added_after_ms');
    expect(requests).toBeLessThan(MAX_REQUESTS);
    expect(new Set(ids)).toEqual(all);
  }, 180_000);
});
