// `stixgate` command line: a table of commands, each module loaded only when used so that
// `stixgate token issue` neither opens a database nor compiles schemas.
import { pathToFileURL } from 'node:url';
import { processContext, type CliContext } from './context.js';
import { describeFailure } from './system-errors.js';

export interface CommandModule {
  run(argv: string[], ctx: CliContext): Promise<number>;
}

interface CommandEntry {
  summary: string;
  load(): Promise<CommandModule>;
}

const COMMANDS: Record<string, CommandEntry> = {
  serve: {
    summary: 'run the TAXII server (what npm start runs)',
    load: () => import('./commands/serve.js'),
  },
  collection: {
    summary: 'create or list collections',
    load: () => import('./commands/collection.js'),
  },
  import: {
    summary: 'import a STIX bundle or TAXII envelope into a collection',
    load: () => import('./commands/import.js'),
  },
  export: {
    summary: 'write a collection as a STIX bundle to stdout',
    load: () => import('./commands/export.js'),
  },
  token: {
    summary: 'issue, revoke and list revoked access tokens',
    load: () => import('./commands/token.js'),
  },
  audit: {
    summary: 'print the audit trail (partner reads, reloads, admin actions)',
    load: () => import('./commands/audit.js'),
  },
  preview: {
    summary: 'show what a partner group would receive from a collection',
    load: () => import('./commands/preview.js'),
  },
  policy: {
    summary: 'check or show the sharing policies and partner groups',
    load: () => import('./commands/policy.js'),
  },
  migrate: {
    summary: 'copy everything between backends (sqlite <-> mongodb)',
    load: () => import('./commands/migrate.js'),
  },
  keys: {
    summary: 'create every secret (JWT, cursor, sharing master key) before the first start',
    load: () => import('./commands/keys.js'),
  },
  doctor: {
    summary: 'check configuration, secrets, store, sharing model, TLS files and clock',
    load: () => import('./commands/doctor.js'),
  },
  healthcheck: {
    summary: 'probe /healthz of the configured server (the container HEALTHCHECK)',
    load: () => import('./commands/healthcheck.js'),
  },
  version: { summary: 'print the stixgate version', load: () => import('./commands/version.js') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return [
    'usage: stixgate <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'Run `stixgate <command> --help` for the options of one command.',
  ].join('\n');
}

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    ctx.stderr.write(`stixgate: unknown command "${name}"\n${usage()}\n`);
    return 2;
  }
  try {
    return await (await entry.load()).run(rest, ctx);
  } catch (error) {
    // Anticipated failures get one line that says what to do; anything else is a bug: one
    // line too, with its stack only when asked for (STIXGATE_DEBUG=1).
    const described = describeFailure(error);
    if (described !== undefined) {
      ctx.stderr.write(`stixgate ${name}: ${described}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    ctx.stderr.write(
      ctx.env.STIXGATE_DEBUG === '1' && error instanceof Error && error.stack
        ? `${error.stack}\n`
        : `stixgate ${name}: unexpected error: ${message} (STIXGATE_DEBUG=1 prints the stack; please report it)\n`,
    );
    return 1;
  }
}

/** Entry for `node dist/cli/main.js …` and bin/stixgate.js. */
export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), processContext());
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
