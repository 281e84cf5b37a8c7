// The server under test, in its own process so that its CPU and memory are its own: the real
// startServer (production wiring) on 127.0.0.1, driven by the benchmark over IPC (reload,
// memory, CPU profile of one phase, close).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createLogger } from '../../src/http/logger.js';
import { startServer } from '../../src/main.js';
import { sharedFormsMemo } from '../../src/sharing/redaction/forms-memo.js';

const env = JSON.parse(process.env.BENCH_SERVER_ENV!) as Record<string, string>;
const running = await startServer(env, { log: createLogger('silent'), print: () => {} });
const session = new Session();
session.connect();

// The parts of memory at the highest RSS seen since the last 'peak' request, sampled every
// 100 ms, so that the peak figure says what it was made of (heap, external, the rest: native
// allocations such as SQLite's page cache, code, stacks).
type Sample = NodeJS.MemoryUsage & { formsMemo: number };
const sample = (): Sample => ({ ...process.memoryUsage(), formsMemo: sharedFormsMemo.size });
let peak = sample();
setInterval(() => {
  const now = sample();
  if (now.rss > peak.rss) peak = now;
}, 100).unref();

process.send!({ ready: running.url });

type Message = {
  id: number;
  op: 'reload' | 'memory' | 'peak' | 'gc' | 'profile-start' | 'profile-stop' | 'close';
  file?: string;
};
process.on('message', (message: Message) => {
  void (async () => {
    let result: unknown = true;
    switch (message.op) {
      case 'reload':
        await running.reload();
        break;
      case 'memory':
        result = sample();
        break;
      case 'peak':
        // The parts at the peak since the previous call; the next peak starts from now.
        result = peak;
        peak = sample();
        break;
      case 'gc':
        // A full collection (the child runs with --expose-gc), to tell live heap from garbage.
        // Buffers' memory is released by a sweeper after the collection, so the external
        // figure is read after a pause and a second collection.
        globalThis.gc?.();
        await new Promise((resolve) => setTimeout(resolve, 200));
        globalThis.gc?.();
        result = sample();
        break;
      case 'profile-start':
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        break;
      case 'profile-stop': {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(message.file!, JSON.stringify(profile));
        break;
      }
      case 'close':
        await running.close();
        process.send!({ id: message.id, result });
        process.disconnect();
        return;
    }
    process.send!({ id: message.id, result });
  })().catch((error: unknown) => process.send!({ id: message.id, error: String(error) }));
});
