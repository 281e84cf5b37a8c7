// A keep-alive HTTP/1.1 load generator on raw sockets (what wrk or autocannon do): each
// connection sends one prepared request, reads the response by Content-Length, and sends the
// next. Bounded by time and by count; 127.0.0.1 only. Kept this lean so that the ceiling
// measured through it is the server's, not the client's.
import net from 'node:net';

export interface LoadResult {
  requests: number;
  /** Requests sent again on a new connection after the server dropped one unanswered. */
  resends: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  bytes: number;
}

/** One request's bytes; the next() of a load run returns them until it returns undefined. */
export function requestBytes(
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Buffer {
  const payload = body === undefined ? undefined : Buffer.from(body);
  let head = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  if (payload !== undefined) head += `Content-Length: ${payload.length}\r\n`;
  head += '\r\n';
  return payload === undefined
    ? Buffer.from(head, 'latin1')
    : Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/**
 * Runs `connections` connections against 127.0.0.1:`port` until `durationMs` has passed or
 * `next` returns undefined. Any status other than `expect` fails the run.
 */
export async function load(options: {
  port: number;
  connections: number;
  durationMs: number;
  next: () => Buffer | undefined;
  expect?: number;
}): Promise<LoadResult> {
  const expect = options.expect ?? 200;
  const latencies: number[] = [];
  let bytes = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  let resends = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      let pending: Buffer | undefined;
      let sentAt = 0;
      // A keep-alive connection the server drops before answering (its idle timer fired while
      // its event loop was busy) is reopened and the request sent again, as HTTP clients do:
      // counted, and bounded. Every request here is idempotent (GET, or a POST of objects whose
      // repetition is a duplicate).
      const open = (): void => {
        const socket = net.connect({ port: options.port, host: '127.0.0.1', noDelay: true });
        let head: Buffer | undefined;
        let remaining = -1;
        let answered = false;
        let done = false;
        const send = (): void => {
          pending = performance.now() < deadline ? options.next() : undefined;
          if (pending === undefined) {
            done = true;
            socket.end();
            resolve();
            return;
          }
          sentAt = performance.now();
          socket.write(pending);
        };
        const dropped = (error?: Error): void => {
          if (done) return;
          done = true;
          socket.destroy();
          if (pending !== undefined && !answered && resends < 100) {
            resends += 1;
            open();
          } else reject(error ?? new Error('the server closed the connection mid-response'));
        };
        socket.on('connect', () => (pending === undefined ? send() : socket.write(pending)));
        socket.on('error', dropped);
        socket.on('close', () => dropped());
        socket.on('data', (chunk: Buffer) => {
          answered = true;
          if (remaining < 0) {
            head = head === undefined ? chunk : Buffer.concat([head, chunk]);
            const end = head.indexOf('\r\n\r\n');
            if (end < 0) return;
            const text = head.subarray(0, end).toString('latin1');
            const status = Number(text.slice(9, 12));
            const length = /\r\ncontent-length: *(\d+)/i.exec(text);
            if (status !== expect || length === null) {
              done = true;
              socket.destroy();
              reject(
                new Error(
                  `unexpected response: ${text.split('\r\n')[0]} ${head.subarray(end + 4, end + 300).toString()}`,
                ),
              );
              return;
            }
            remaining = Number(length[1]) - (head.length - end - 4);
            bytes += head.length;
            head = undefined;
          } else {
            remaining -= chunk.length;
            bytes += chunk.length;
          }
          if (remaining === 0) {
            remaining = -1;
            answered = false;
            latencies.push(performance.now() - sentAt);
            send();
          }
        });
      };
      open();
    });
  await Promise.all(Array.from({ length: options.connections }, one));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    resends,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    bytes,
  };
}

/** The same request over and over. */
export function repeat(request: Buffer): () => Buffer {
  return () => request;
}
