// The server under test, in its own process so that its CPU and memory are its own: the real
// startServer (production wiring) on 127.0.0.1, driven by the benchmark over IPC (reload,
// memory, CPU profile of one phase, close).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createLogger } from '../../src/http/logger.js';
import { startServer } from '../../src/main.js';

const env = JSON.parse(process.env.BENCH_SERVER_ENV!) as Record<string, string>;
const running = await startServer(env, { log: createLogger('silent'), print: () => {} });
const session = new Session();
session.connect();
process.send!({ ready: running.url });

type Message = {
  id: number;
  op: 'reload' | 'memory' | 'profile-start' | 'profile-stop' | 'close';
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
        result = process.memoryUsage();
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
