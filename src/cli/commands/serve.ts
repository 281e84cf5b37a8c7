// `stixgate serve`: what `npm start` runs. The process lives on through the HTTP server.
import { startServer } from '../../main.js';
import type { CliContext } from '../context.js';

export const usage =
  'usage: stixgate serve   (configuration from the environment: HOST, PORT, DATA_DIR, MONGODB_URI, STIXGATE_CONFIG, …)';

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    ctx.stdout.write(`${usage}\n`);
    return 0;
  }
  await startServer(ctx.env, {
    handleSignals: true,
    print: (line) => ctx.stdout.write(`${line}\n`),
  });
  return 0;
}
