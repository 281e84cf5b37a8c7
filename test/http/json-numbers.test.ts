// JSON numbers a double cannot hold exactly are refused per object, with a status message
// naming the number, and nothing else in the envelope is affected; numbers a double holds are
// read back with the same value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIndicator } from '../support/builders.js';
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
  successes: { id: string }[];
  failures: { id: string; message?: string }[];
}

/** An envelope text with `x_score` written literally (JSON.stringify cannot write 1e400). */
function envelopeWith(scores: string[]): { text: string; ids: string[] } {
  const objects = scores.map(() => makeIndicator());
  const parts = objects.map((o, i) =>
    JSON.stringify(o).replace(/^\{/, `{"x_score":${scores[i]!},`),
  );
  return { text: `{"objects":[${parts.join(',')}]}`, ids: objects.map((o) => o.id as string) };
}

async function storedScore(id: string): Promise<{ status: number; text: string }> {
  const res = await server.client.get(collectionPath('rw', `objects/${id}/`));
  const match = /"x_score":([^,}\]]+)/.exec(res.text);
  return { status: res.status, text: match?.[1] ?? '' };
}

describe('JSON numbers on POST', () => {
  it.each([
    ['1e400', 'not finite'],
    ['-1e400', 'not finite'],
    ['123456789012345678901234567890', 'integer beyond 2^53'],
    ['9007199254740993', 'integer beyond 2^53'],
    ['0.1000000000000000055511151231257827', 'more precision than a double holds'],
    ['1e-400', 'more precision than a double holds'],
  ])('refuses an object holding %s (%s), stores its neighbour', async (score, reason) => {
    const { text, ids } = envelopeWith([score, '7']);
    const res = await server.client.post(collectionPath('rw', 'objects/'), text);
    expect(res.status).toBe(202);
    const status = res.body as StatusBody;
    expect(status.failure_count).toBe(1);
    expect(status.failures[0]!.id).toBe(ids[0]);
    expect(status.failures[0]!.message).toContain(reason);
    expect(status.failures[0]!.message).toContain('/x_score');
    expect(status.successes.map((s) => s.id)).toEqual([ids[1]]);
    expect((await storedScore(ids[0]!)).status).toBe(404);
    expect(await storedScore(ids[1]!)).toEqual({ status: 200, text: '7' });
  });

  it.each([
    ['9007199254740991', '9007199254740991'],
    ['-9007199254740991', '-9007199254740991'],
    ['1.5', '1.5'],
    ['0.1', '0.1'],
    ['1.0', '1'],
    ['1e2', '100'],
    ['2.5e-3', '0.0025'],
    ['-0', '0'],
  ])('keeps %s (same value, read back as %s)', async (score, readBack) => {
    const { text, ids } = envelopeWith([score]);
    const res = await server.client.post(collectionPath('rw', 'objects/'), text);
    expect((res.body as StatusBody).success_count).toBe(1);
    expect(await storedScore(ids[0]!)).toEqual({ status: 200, text: readBack });
  });
});
