// Requests node:http refuses before the app runs still answer as TAXII errors.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/start-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

function rawRequest(text: string): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(text));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

function parse(response: string): { status: number; headers: string; body: unknown } {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  return {
    status: Number(head.split(' ')[1]),
    headers: head.toLowerCase(),
    body: JSON.parse(body),
  };
}

describe('requests refused by the HTTP parser', () => {
  it('answers 431 with a TAXII error and security headers when the headers exceed 16 KiB', async () => {
    const res = parse(
      await rawRequest(`GET /taxii2/ HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
    );
    expect(res.status).toBe(431);
    expect(res.headers).toContain('content-type: application/taxii+json;version=2.1');
    expect(res.headers).toContain('x-content-type-options: nosniff');
    expect(res.body).toEqual({
      title: 'Request headers too large',
      description: 'the request headers exceed 16 KiB',
      http_status: '431',
    });
  });

  it('answers 400 with a TAXII error to a malformed request line', async () => {
    const res = parse(await rawRequest('GARBAGE\r\n\r\n'));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ http_status: '400' });
  });
});
