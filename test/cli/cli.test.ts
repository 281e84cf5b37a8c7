// The stixgate command line, run in-process with captured streams over a temp DATA_DIR.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { CORPUS_DIR } from '../support/corpus.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'stixgate-cli-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runCli(argv, { env: { DATA_DIR: dataDir }, stdout, stderr, cwd: dataDir });
  return {
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

describe('stixgate collection', () => {
  it('creates a collection that list then shows with its rights', async () => {
    const created = await cli(
      'collection',
      'create',
      '--title',
      'Incidents',
      '--alias',
      'incidents',
      '--read-roles',
      'analyst',
      '--read-groups',
      'banks,telcos',
    );
    expect(created.code).toBe(0);
    const listed = await cli('collection', 'list', '--json');
    const collections = JSON.parse(listed.stdout) as {
      alias?: string;
      read: { groups: string[] };
    }[];
    expect(collections.map((c) => c.alias)).toEqual(['incidents']);
    expect(collections[0]!.read.groups).toEqual(['banks', 'telcos']);
  });

  it('refuses an unknown role with the offending key named', async () => {
    const result = await cli('collection', 'create', '--title', 'X', '--read-roles', 'root');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('read.roles[0]');
  });

  it('refuses a second collection with the same alias', async () => {
    expect((await cli('collection', 'create', '--title', 'A', '--alias', 'dup')).code).toBe(0);
    const second = await cli('collection', 'create', '--title', 'B', '--alias', 'dup');
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/alias/);
  });
});

describe('stixgate import and export', () => {
  it('imports a corpus bundle and exports the same objects as a bundle', async () => {
    await cli('collection', 'create', '--title', 'Reports', '--alias', 'reports');
    const imported = await cli(
      'import',
      path.join(CORPUS_DIR, 'apt1.json'),
      '--collection',
      'reports',
    );
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(
      '76 added, 0 duplicates (already stored, unchanged), 0 failed',
    );
    const exported = await cli('export', '--collection', 'reports');
    const bundle = JSON.parse(exported.stdout) as {
      type: string;
      id: string;
      objects: { id: string }[];
    };
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
    expect(bundle.objects).toHaveLength(76);
  });

  it('reports re-imported identical objects as successes and stores nothing new', async () => {
    await cli('collection', 'create', '--title', 'Reports', '--alias', 'reports');
    const file = path.join(CORPUS_DIR, 'poisonivy.json');
    await cli('import', file, '--collection', 'reports');
    const again = await cli('import', file, '--collection', 'reports');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /: 0 added, (\d+) duplicates \(already stored, unchanged\), 0 failed\n$/,
    );
    const exported = await cli('export', '--collection', 'reports', '--all-versions');
    expect((JSON.parse(exported.stdout) as { objects: unknown[] }).objects).toHaveLength(155);
  });

  it('exits 1 and names each invalid object, storing the valid ones', async () => {
    await cli('collection', 'create', '--title', 'Reports', '--alias', 'reports');
    const file = path.join(dataDir, 'mixed.json');
    const good = {
      type: 'malware',
      spec_version: '2.1',
      id: 'malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      name: 'x',
      is_family: false,
    };
    const bad = {
      type: 'malware',
      spec_version: '2.1',
      id: 'indicator--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0062',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      name: 'y',
      is_family: false,
    };
    writeFileSync(
      file,
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0063',
        objects: [good, bad],
      }),
    );
    const result = await cli('import', file, '--collection', 'reports');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('indicator--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0062');
    const exported = JSON.parse((await cli('export', '--collection', 'reports')).stdout) as {
      objects: { id: string }[];
    };
    expect(exported.objects.map((o) => o.id)).toEqual([good.id]);
  });

  it('answers an unknown collection with an error and exit code 1', async () => {
    const result = await cli('export', '--collection', 'missing');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('collection not found');
  });

  it('refuses a file that is not JSON', async () => {
    await cli('collection', 'create', '--title', 'Reports', '--alias', 'reports');
    const file = path.join(dataDir, 'x.txt');
    writeFileSync(file, 'not json');
    const result = await cli('import', file, '--collection', 'reports');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not JSON');
  });
});

describe('stixgate import of hostile files', () => {
  it('refuses a file nested deeper than the JSON depth limit instead of overflowing the stack', async () => {
    await cli('collection', 'create', '--title', 'Reports', '--alias', 'reports');
    const file = path.join(dataDir, 'bomb.json');
    writeFileSync(file, `{"objects":[${'['.repeat(20_000)}${']'.repeat(20_000)}]}`);
    const result = await cli('import', file, '--collection', 'reports');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nests deeper than');
  });
});

describe('stixgate import of numbers a double cannot hold', () => {
  const indicator = (n: number, extra: string): string =>
    `{"type":"indicator","spec_version":"2.1","id":"indicator--0c7b5b88-8ff7-4a4d-aa9d-feb398cd00${String(n).padStart(2, '0')}","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"n${n}","pattern":"[ipv4-addr:value = '198.51.100.${n}']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"${extra}}`;
  const idOf = (n: number): string =>
    `indicator--0c7b5b88-8ff7-4a4d-aa9d-feb398cd00${String(n).padStart(2, '0')}`;

  async function exportedIds(): Promise<{ ids: string[]; text: string }> {
    const exported = await cli('export', '--collection', 'reports');
    const bundle = JSON.parse(exported.stdout) as { objects: { id: string }[] };
    return { ids: bundle.objects.map((o) => o.id).sort(), text: exported.stdout };
  }

  it('fails each object holding such a number, names the number, and stores its neighbours unchanged (batches of 1)', async () => {
    await cli('collection', 'create', '--title', 'Reports', '--alias', 'reports');
    const file = path.join(dataDir, 'numbers.json');
    // Written by hand: JSON.stringify could not even produce these numbers.
    writeFileSync(
      file,
      `{"type":"bundle","id":"bundle--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0099","objects":[${[
        indicator(1, ',"x_exact":1152921504606847000'),
        indicator(2, ',"x_big":123456789012345678901234567890'),
        indicator(3, ''),
        indicator(4, ',"x_list":[1,1e400]'),
        indicator(5, ',"x_precise":0.1000000000000000055511151231257827'),
      ].join(',')}]}`,
    );
    const result = await cli('import', file, '--collection', 'reports', '--batch', '1');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('2 added');
    expect(result.stdout).toContain('3 failed');
    const failures = result.stderr.split('\n').filter((line) => line.startsWith('failed '));
    expect(failures).toEqual([
      expect.stringMatching(
        new RegExp(
          `^failed ${idOf(2)} .*number 1234567890123456789012345678.* at /x_big cannot be stored exactly \\(integer beyond 2\\^53\\)`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^failed ${idOf(4)} .*number 1e400 at /x_list/1 cannot be stored exactly \\(not finite\\)`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^failed ${idOf(5)} .*at /x_precise cannot be stored exactly \\(more precision than a double holds\\)`,
        ),
      ),
    ]);
    const { ids, text } = await exportedIds();
    expect(ids).toEqual([idOf(1), idOf(3)]);
    // A large integer in the form a double writes it is kept as written.
    expect(text).toContain('"x_exact":1152921504606847000');
  });

  it('fails a single-object file holding such a number', async () => {
    await cli('collection', 'create', '--title', 'Reports', '--alias', 'reports');
    const file = path.join(dataDir, 'one.json');
    writeFileSync(file, indicator(7, ',"x_big":9007199254740993'));
    const result = await cli('import', file, '--collection', 'reports');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`failed ${idOf(7)}`);
    expect(result.stderr).toContain('number 9007199254740993 at /x_big cannot be stored exactly');
    expect((await exportedIds()).ids).toEqual([]);
  });
});

describe('stixgate', () => {
  it('lists its commands on --help and refuses unknown ones with exit code 2', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const command of ['serve', 'collection', 'import', 'export', 'token'])
      expect(help.stdout).toContain(command);
    expect((await cli('frobnicate')).code).toBe(2);
  });
});
