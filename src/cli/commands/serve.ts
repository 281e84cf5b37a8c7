// `stixgate serve`: what `npm start` runs. The process lives on through the HTTP server.
// Flags override the environment (HOST, PORT, STIXGATE_CONFIG) for this run.
import { startServer } from '../../main.js';
import { parseCommandArgs, refusePositionals } from '../args.js';
import type { CliContext } from '../context.js';

export const usage = `usage: stixgate serve [--host ADDRESS] [--port PORT] [--config FILE]

Runs the TAXII server. Without flags it reads HOST (default 127.0.0.1), PORT (default 8000),
STIXGATE_CONFIG and the other variables of docs/configuration.md.`;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { host: { type: 'string' }, port: { type: 'string' }, config: { type: 'string' } },
    usage,
  );
  if (values.help) {
    ctx.stdout.write(`${usage}\n`);
    return 0;
  }
  refusePositionals(positionals, usage);
  const env = {
    ...ctx.env,
    ...(values.host !== undefined && { HOST: values.host }),
    ...(values.port !== undefined && { PORT: values.port }),
    ...(values.config !== undefined && { STIXGATE_CONFIG: values.config }),
  };
  // Start-up lines go to the log, so stdout carries one format only.
  await startServer(env, { handleSignals: true });
  return 0;
}
