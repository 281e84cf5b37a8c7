import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../src/errors.js';
import { readExactJsonBody, readJsonBody } from '../../../src/http/body.js';

/** A request whose body is `bytes`, as node:http hands it over (a stream with headers). */
function request(bytes: Uint8Array | string): IncomingMessage {
  const stream = Readable.from([Buffer.from(bytes)]) as unknown as IncomingMessage;
  stream.headers = {};
  return stream;
}

describe('readExactJsonBody', () => {
  it('parses the body and names no number when every number is exact', async () => {
    const body = await readExactJsonBody(request('{"objects":[{"id":"a","n":[1,2.5,-3]}]}'), 1e6);
    expect(body).toEqual({
      value: { objects: [{ id: 'a', n: [1, 2.5, -3] }] },
      inexactNumbers: [],
    });
  });

  it('names each number JSON.parse changes, with its path', async () => {
    const body = await readExactJsonBody(
      request('{"objects":[{"id":"a"},{"id":"b","x":[0,12345678901234567890]}]}'),
      1e6,
    );
    expect(body.inexactNumbers).toEqual([
      {
        path: ['objects', 1, 'x', 1],
        written: '12345678901234567890',
        reason: 'integer beyond 2^53',
      },
    ]);
  });

  it('drops a leading UTF-8 byte order mark, as a decoder does', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"objects":[]}')]);
    expect((await readExactJsonBody(request(bytes), 1e6)).value).toEqual({ objects: [] });
    await expect(readJsonBody(request(bytes), 1e6)).resolves.toEqual({ objects: [] });
  });

  it.each([
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), 'not valid UTF-8'],
    ['an overlong encoding', Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x7d]), 'not valid UTF-8'],
    ['an encoded surrogate', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), 'not valid UTF-8'],
    ['too deep a nesting', Buffer.from('['.repeat(101) + ']'.repeat(101)), 'nests deeper than 100'],
    ['invalid JSON', Buffer.from('{"objects": [1e400'), 'not valid JSON'],
  ])('refuses %s with a bad request', async (_, bytes, message) => {
    for (const read of [readExactJsonBody, readJsonBody]) {
      const error = await read(request(bytes), 1e6).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as Error).message).toContain(message);
    }
  });
});
