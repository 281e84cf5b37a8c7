// Every anticipated CLI failure prints one line on stderr saying what is wrong and what to do,
// exits 1 (2 for usage of the command table), and never a stack trace; every command and
// subcommand answers --help; unknown flags are errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { describeFailure } from '../../src/cli/system-errors.js';
import { sharingSection } from '../http/sharing-incident.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'stixgate-cli-fail-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runCli(argv, {
    env: { DATA_DIR: path.join(dir, 'data'), ...env },
    stdout,
    stderr,
    cwd: dir,
  });
  return {
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

/** One line, naming the command, with no stack frame. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  expect(stderr).toMatch(/^stixgate [a-z-]+: /);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).toMatch(pattern);
}

describe('--help everywhere', () => {
  const commands = [
    ['serve'],
    ['collection'],
    ['collection', 'create'],
    ['collection', 'list'],
    ['import'],
    ['export'],
    ['token'],
    ['token', 'issue'],
    ['token', 'revoke'],
    ['token', 'list-revoked'],
    ['audit'],
    ['preview'],
    ['policy'],
    ['policy', 'check'],
    ['migrate'],
    ['keys'],
    ['keys', 'init'],
    ['doctor'],
    ['healthcheck'],
    ['version'],
  ];
  it.each(commands.map((c) => [c.join(' '), c]))(
    '%s --help prints usage, exit 0',
    async (_n, c) => {
      const result = await cli([...(c as string[]), '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/usage|stixgate \d/);
      expect(result.stderr).toBe('');
    },
  );
});

describe('anticipated failures', () => {
  it('serve: an unknown flag is an error, not ignored', async () => {
    const result = await cli(['serve', '--prot', '9000']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^stixgate serve: Unknown option '--prot'/);
  });

  it('serve: a stray argument is an error', async () => {
    const result = await cli(['serve', '9000']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^stixgate serve: unexpected argument "9000"/);
  });

  it('serve --port: a port in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await cli(['serve', '--host', '127.0.0.1', '--port', String(port)], {
        STIXGATE_LOG_LEVEL: 'silent',
      });
      expect(result.code).toBe(1);
      expectOneLine(
        result.stderr,
        new RegExp(
          `127\\.0\\.0\\.1:${port} is already in use: stop the other process or choose another port`,
        ),
      );
    } finally {
      blocker.close();
    }
  });

  it('serve --config: a missing configuration file', async () => {
    const result = await cli(['serve', '--config', path.join(dir, 'nope.yaml')]);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /STIXGATE_CONFIG: cannot read .*nope\.yaml \(ENOENT\)/);
  });

  it('serve: a data directory that cannot be created', async () => {
    writeFileSync(path.join(dir, 'file'), 'x');
    const result = await cli(['serve', '--port', '0'], {
      DATA_DIR: path.join(dir, 'file', 'data'),
      STIXGATE_LOG_LEVEL: 'silent',
    });
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /file\/data/);
  });

  it('import: a missing file, and a missing FILE argument', async () => {
    const missing = await cli(['import', path.join(dir, 'bundle.json'), '--collection', 'x']);
    expect(missing.code).toBe(1);
    expectOneLine(missing.stderr, /bundle\.json does not exist: check the path/);
    const noFile = await cli(['import', '--collection', 'x']);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toMatch(/^stixgate import: missing FILE\n/);
  });

  it('an unreachable MongoDB', async () => {
    const result = await cli(['collection', 'list'], {
      MONGODB_URI:
        'mongodb://127.0.0.1:1/stixgate?serverSelectionTimeoutMS=300&connectTimeoutMS=300',
    });
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /store unavailable: cannot reach the store; check MONGODB_URI/);
  });

  it('migrate: a source that is not an existing store', async () => {
    const result = await cli([
      'migrate',
      '--from',
      `sqlite:${path.join(dir, 'typo')}`,
      '--to',
      `sqlite:${path.join(dir, 'copy')}`,
    ]);
    expect(result.code).toBe(1);
    expectOneLine(
      result.stderr,
      /typo\/stixgate\.db does not exist: give the DATA_DIR of an existing store/,
    );
  });

  it('policy check before the first start: says how to create the master key', async () => {
    const config = path.join(dir, 'stixgate.json');
    writeFileSync(config, JSON.stringify({ sharing: sharingSection('./sharing-key') }));
    const before = await cli(['policy', 'check'], { STIXGATE_CONFIG: config });
    expect(before.code).toBe(1);
    expectOneLine(
      before.stderr,
      /sharing-key does not exist yet: create it with `stixgate keys init`/,
    );
    const init = await cli(['keys', 'init'], { STIXGATE_CONFIG: config });
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^created +sharing master key +.*sharing-key$/m);
    const again = await cli(['keys', 'init'], { STIXGATE_CONFIG: config });
    expect(again.stdout).not.toContain('created');
    const after = await cli(['policy', 'check'], { STIXGATE_CONFIG: config });
    expect(after.code).toBe(0);
  });

  it('unknown commands and subcommands', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    const keys = await cli(['keys', 'rotate']);
    expect(keys.code).toBe(1);
    expect(keys.stderr).toMatch(/^stixgate keys: unknown action "rotate"/);
  });

  it('doctor: says what to fix, exit 1 until fixed, 0 after keys init and a first start', async () => {
    const first = await cli(['doctor']);
    expect(first.stdout).toMatch(
      /^warn +secrets +JWT secret .* does not exist yet: run `stixgate keys init`/m,
    );
    expect(first.stdout).toMatch(/^warn +store +no SQLite store/m);
    expect(first.code).toBe(0);
    await cli(['keys', 'init']);
    const chmodded = path.join(dir, 'data', 'jwt-secret');
    const { chmodSync } = await import('node:fs');
    chmodSync(chmodded, 0o644);
    const loose = await cli(['doctor']);
    expect(loose.code).toBe(1);
    expect(loose.stdout).toMatch(
      /^FAIL +secrets +JWT secret .* is readable by others \(mode 644\): chmod 600 /m,
    );
    chmodSync(chmodded, 0o600);
    const ok = await cli(['doctor']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/ready to start/);
  });

  it('permission and port errors have one-line explanations (as a non-root user would meet them)', () => {
    expect(
      describeFailure(Object.assign(new Error('x'), { code: 'EACCES', path: '/data/stixgate.db' })),
    ).toMatch(/^permission denied on \/data\/stixgate\.db for .*chown the bind-mounted directory/);
    expect(
      describeFailure(
        Object.assign(new Error('x'), { code: 'EACCES', syscall: 'listen', port: 80 }),
      ),
    ).toMatch(/^not allowed to listen on port 80: use a port above 1023/);
    expect(describeFailure(new Error('a bug'))).toBeUndefined();
  });
});
