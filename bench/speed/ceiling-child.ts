// The ceiling: a bare node:http server answering every request with the bytes and headers it
// was last given (over IPC), so that it serves exactly what stixgate served for that page.
import http from 'node:http';

let body: Buffer = Buffer.from('{}');
let headers: Record<string, string> = {};
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { ...headers, 'Content-Length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send!({ ready: typeof address === 'object' && address !== null ? address.port : 0 });
});
process.on(
  'message',
  (message: { body?: string; headers?: Record<string, string>; close?: boolean }) => {
    if (message.close) {
      server.close();
      process.disconnect();
      return;
    }
    body = Buffer.from(message.body ?? '{}');
    headers = message.headers ?? {};
    process.send!({ ok: true });
  },
);
