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

describe('paging while a writer posts', () => {
  it('never skips or repeats with next, never skips or repeats with added_after, and never loops or skips when truncated to ms', async () => {
    // A backlog first, so that readers start with full pages (more=true, next chains).
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
    let done = false;
    const writer = write().then((ids) => {
      done = true;
      return [...backlog.map((o) => o.id), ...ids];
    });
    const [written, byNext, byAddedAfter, byTruncated] = await Promise.all([
      writer,
      poll('next', () => done),
      poll('added_after', () => done),
      poll('added_after_ms', () => done),
    ]);
    const all = new Set(written);
    expect(all.size).toBe(written.length);

    expect(byNext.requests).toBeLessThan(MAX_REQUESTS);
    expect(byNext.ids).toHaveLength(new Set(byNext.ids).size);
    expect(new Set(byNext.ids)).toEqual(all);

    expect(byAddedAfter.requests).toBeLessThan(MAX_REQUESTS);
    expect(byAddedAfter.ids).toHaveLength(new Set(byAddedAfter.ids).size);
    expect(new Set(byAddedAfter.ids)).toEqual(all);

    expect(byTruncated.requests).toBeLessThan(MAX_REQUESTS);
    expect(new Set(byTruncated.ids)).toEqual(all);
  }, 180_000);
});
