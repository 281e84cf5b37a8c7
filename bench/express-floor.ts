// What the framework alone costs (not a test): a bare node:http server, express 5 with one
// middleware, and express 5 with stixgate's objects route template, each answering every
// request with the same 51 KB body (a raw page of 100 bench objects). Measured with the speed
// benchmark's load generator, one connection, interleaved round by round; reported as req/s,
// the server's CPU per request (utime + stime of its process) and the ratio to node:http.
// The express ratios are the ceiling any express app reaches on `limit=100` (bench/README.md).
//
//   npx tsx bench/express-floor.ts            (BENCH_ROUNDS, default 3; BENCH_SECONDS, default 2)
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import express from 'express';
import { load, repeat, requestBytes } from './speed/load.js';

const KINDS = ['node:http', 'express, one middleware', 'express, objects route'] as const;
type Kind = (typeof KINDS)[number];
const BODY = Buffer.alloc(51_117, 0x61);
const PATH = '/api1/collections/5a1e0000-0000-4000-8000-00000000b3c4/objects/?limit=100';

function serve(kind: Kind): void {
  const send = (res: http.ServerResponse): void => {
    res.writeHead(200, {
      'Content-Type': 'application/taxii+json;version=2.1',
      'Content-Length': BODY.length,
    });
    res.end(BODY);
  };
  let handler: http.RequestListener = (req, res) => {
    req.resume();
    req.on('end', () => send(res));
  };
  if (kind === 'express, one middleware') {
    const app = express();
    app.use((_req, res) => send(res));
    handler = app;
  } else if (kind === 'express, objects route') {
    const app = express();
    const router = express.Router({ strict: true, caseSensitive: true });
    router.get('/:root/collections/:collection/objects/', (_req, res) => send(res));
    app.use(router);
    handler = app;
  }
  const server = http.createServer(handler);
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.send!((server.address() as { port: number }).port);
  });
}

/** utime + stime of a process, in microseconds (the clock ticks at 10 ms). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const seconds = Number(process.env.BENCH_SECONDS ?? 2);
  const servers = new Map<Kind, { child: ChildProcess; port: number }>();
  for (const kind of KINDS) {
    const child = fork(new URL(import.meta.url).pathname, ['serve', kind], {
      execArgv: ['--import', 'tsx'],
    });
    const port = await new Promise<number>((resolve) =>
      child.once('message', (m) => resolve(m as number)),
    );
    servers.set(kind, { child, port });
  }
  const request = requestBytes('GET', PATH, { Accept: 'application/taxii+json;version=2.1' });
  const results = new Map<Kind, { rps: number[]; cpu: number[] }>(
    KINDS.map((k) => [k, { rps: [], cpu: [] }]),
  );
  for (const { port } of servers.values())
    await load({ port, connections: 1, durationMs: 500, next: repeat(request) });
  for (let round = 0; round < rounds; round++) {
    for (const kind of KINDS) {
      const { child, port } = servers.get(kind)!;
      const before = cpuMicros(child.pid!);
      const r = await load({
        port,
        connections: 1,
        durationMs: seconds * 1000,
        next: repeat(request),
      });
      results.get(kind)!.rps.push(r.rps);
      results.get(kind)!.cpu.push((cpuMicros(child.pid!) - before) / r.requests);
    }
  }
  const median = (xs: number[]): number =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(results.get('node:http')!.rps);
  for (const kind of KINDS) {
    const { rps, cpu } = results.get(kind)!;
    console.log(
      `${kind.padEnd(24)} ${median(rps).toFixed(0).padStart(6)} req/s  ${median(cpu).toFixed(0).padStart(4)} µs CPU/request  ratio ${(median(rps) / base).toFixed(3)}`,
    );
  }
  for (const { child } of servers.values()) child.kill();
}

if (process.argv[2] === 'serve') serve(process.argv[3] as Kind);
else await main();
