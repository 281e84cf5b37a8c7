// Two stixgate instances on one MongoDB database (as behind a load balancer, docs/scaling.md)
// writing concurrently while a reader pages over HTTP, alternating instances with `next`
// cursors (shared STIXGATE_CURSOR_SECRET_FILE): no skips, no repeats, no duplicate versions.
// MongoDB only: in the http:sqlite project the suite is skipped.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  at,
  makeEnvelope,
  makeIndicator,
  makeIpv4Addr,
  makeMalware,
  nextVersion,
  type StixObject,
} from '../support/builders.js';
import { testMongoUri, uniqueDbName } from '../support/mongo-server.js';
import {
  collectionPath,
  startTestServer,
  testBackend,
  type TestServer,
} from '../support/start-server.js';

const PATH = collectionPath('rw', 'objects/');
const ROUNDS = 12;
/** Concurrent writers per instance. */
const WRITERS = 2;
const LIMIT = 7;
const MAX_REQUESTS = 2_000;

interface Seen {
  id: string;
  modified?: string;
}

const keyOf = (object: Seen): string => `${object.id}@${object.modified ?? ''}`;

describe.skipIf(testBackend() !== 'mongodb')('two instances on one MongoDB', () => {
  let a: TestServer;
  let b: TestServer;
  let secretDir: string;

  beforeAll(async () => {
    secretDir = await mkdtemp(path.join(os.tmpdir(), 'stixgate-cursor-'));
    const cursorSecret = path.join(secretDir, 'cursor-secret');
    await writeFile(cursorSecret, randomBytes(32).toString('hex'), { mode: 0o600 });
    const url = new URL(testMongoUri());
    url.pathname = `/${uniqueDbName('stixgate_multi')}`;
    const env = { MONGODB_URI: url.toString(), STIXGATE_CURSOR_SECRET_FILE: cursorSecret };
    a = await startTestServer({ realClock: true, env });
    b = await startTestServer({ realClock: true, env });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await rm(secretDir, { recursive: true, force: true });
  });

  it('pages without skips or repeats while both write, and stores every version once', async () => {
    // Objects both instances post (same bytes: one is stored, the other answers duplicate),
    // plus a new version of each posted by both.
    const shared = Array.from({ length: ROUNDS }, () => makeIndicator());
    // Bigger envelopes keep each write in flight longer, widening the window for a skip.
    const filler = (tag: string, round: number): StixObject[] =>
      Array.from({ length: 2 }, (_, i) => makeIndicator({ name: `${tag}-${round}-${i}` }));
    const sharedNext = shared.map((object, i) => nextVersion(object, at(60_000 + i)));
    const posted: StixObject[] = [];
    async function write(server: TestServer, tag: string): Promise<void> {
      for (let round = 0; round < ROUNDS; round++) {
        const own = [
          ...filler(tag, round),
          makeMalware(),
          makeIpv4Addr({ value: `203.0.113.${round}` }),
        ];
        posted.push(...own);
        const envelope = makeEnvelope(...own, shared[round], sharedNext[round]);
        const res = await server.client.post(PATH, envelope);
        expect(res.status, res.text).toBe(202);
        const status = res.body as { failure_count?: number };
        expect(status.failure_count ?? 0).toBe(0);
      }
    }

    let writing = true;
    const seen: Seen[] = [];
    const reading = (async () => {
      let requests = 0;
      let addedAfter: string | undefined;
      let next: string | undefined;
      let chainQuery = '';
      let quietAfterDone = false;
      while (requests < MAX_REQUESTS) {
        const doneBefore = !writing;
        if (next === undefined) {
          chainQuery = `limit=${LIMIT}&match[version]=all${addedAfter === undefined ? '' : `&added_after=${addedAfter}`}`;
        }
        const query =
          next === undefined ? chainQuery : `${chainQuery}&next=${encodeURIComponent(next)}`;
        // Alternate instances, as a load balancer would: cursors are valid on both.
        const server = requests % 2 === 0 ? a : b;
        const res = await server.client.get(PATH, { query });
        requests += 1;
        expect(res.status, res.text).toBe(200);
        const body = res.body as { more?: boolean; next?: string; objects?: Seen[] };
        const objects = body.objects ?? [];
        seen.push(
          ...objects.map((object) => ({
            id: object.id,
            ...(object.modified !== undefined && { modified: object.modified }),
          })),
        );
        const last = res.headers.get('x-taxii-date-added-last');
        if (last !== null) addedAfter = last;
        next = body.more === true ? body.next : undefined;
        if (body.more !== true && objects.length === 0) {
          if (quietAfterDone) break;
          if (doneBefore) quietAfterDone = true;
          else await new Promise((resolve) => setImmediate(resolve));
        }
      }
      expect(requests).toBeLessThan(MAX_REQUESTS);
    })();

    await Promise.all(
      Array.from({ length: WRITERS }, (_, w) => [write(a, `a${w}`), write(b, `b${w}`)]).flat(),
    );
    writing = false;
    await reading;

    // No repeats.
    expect(seen.map(keyOf)).toHaveLength(new Set(seen.map(keyOf)).size);
    // No skips: every version posted is among those seen, and what is stored is what was seen.
    const expected = new Set([...posted, ...shared, ...sharedNext].map(keyOf));
    expect(new Set(seen.map(keyOf))).toEqual(expected);
    // No duplicate versions stored: the store holds each (id, version) once.
    expect(await a.store.countObjects(collectionIdOf('rw'))).toBe(expected.size);
  });
});

function collectionIdOf(name: 'rw'): string {
  const segments = collectionPath(name).split('/');
  return segments[3] ?? '';
}
