// `stixgate preview`, `audit`, `policy` and `export --as-group`, run in-process over a temp
// DATA_DIR holding the fictional incident of the HTTP sharing tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import {
  MASTER_SECRET,
  PROTECTED_TERMS,
  SHARED,
  VICTIM_ID,
  buildIncident,
  postingOrder,
  sharingSection,
} from '../http/sharing-incident.js';

let dir: string;
const env: Record<string, string> = {};
const incident = buildIncident();

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runCli(argv, { env, stdout, stderr, cwd: dir });
  return {
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'stixgate-sharing-cli-'));
  writeFileSync(path.join(dir, 'master.key'), MASTER_SECRET, { mode: 0o600 });
  writeFileSync(
    path.join(dir, 'stixgate.json'),
    JSON.stringify({ sharing: sharingSection('master.key') }),
  );
  writeFileSync(
    path.join(dir, 'bundle.json'),
    JSON.stringify({
      type: 'bundle',
      id: 'bundle--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d',
      objects: postingOrder(incident).flat(),
    }),
  );
  Object.assign(env, {
    DATA_DIR: path.join(dir, 'data'),
    STIXGATE_CONFIG: path.join(dir, 'stixgate.json'),
  });
  expect(
    (
      await cli(
        'collection',
        'create',
        '--title',
        'Incident',
        '--id',
        SHARED,
        '--alias',
        'shared',
        '--read-groups',
        'g1,g2',
      )
    ).code,
  ).toBe(0);
  const imported = await cli('import', '--collection', 'shared', path.join(dir, 'bundle.json'));
  expect(imported.stderr).toBe('');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('stixgate preview', () => {
  it('prints each object with its changes and the reason withheld objects are withheld', async () => {
    const result = await cli('preview', '--group', 'g1', '--collection', 'shared');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`== ${VICTIM_ID}`);
    expect(result.stdout).toMatch(/R3 +pseudonymized +name/);
    expect(result.stdout).toContain('WITHHELD: R2');
    expect(result.stdout).toContain('WITHHELD: R7');
  });

  it('prints the same document as the admin endpoint with --json, and refuses an unknown group', async () => {
    const json = JSON.parse(
      (
        await cli(
          'preview',
          '--group',
          'g2',
          '--collection',
          'shared',
          '--id',
          incident.c2.id,
          '--json',
        )
      ).stdout,
    ) as { objects: { original_id: string; derived: { description: string } }[] };
    expect(json.objects.map((o) => o.original_id)).toEqual([incident.c2.id]);
    expect(json.objects[0]!.derived.description).not.toContain('Kian');
    const unknown = await cli('preview', '--group', 'nobody', '--collection', 'shared');
    expect(unknown.code).toBe(1);
  });
});

describe('stixgate export --as-group and audit', () => {
  it('exports what the group would receive, audited as export.read', async () => {
    const result = await cli('export', '--collection', 'shared', '--as-group', 'g2');
    expect(result.code).toBe(0);
    const bundle = JSON.parse(result.stdout) as { objects: { id: string }[] };
    expect(bundle.objects.map((o) => o.id)).toContain(incident.c2.id);
    expect(bundle.objects.map((o) => o.id)).not.toContain(incident.amberNote.id);
    for (const term of PROTECTED_TERMS) expect(result.stdout).not.toContain(term);
    const audit = await cli('audit', '--action', 'export.read', '--json');
    const record = JSON.parse(audit.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(record).toMatchObject({ actor: 'cli:export', group: 'g2', action: 'export.read' });
  });

  it('still exports raw without --as-group', async () => {
    expect((await cli('export', '--collection', 'shared')).stdout).toContain('Kian Power Company');
  });
});

describe('stixgate policy', () => {
  it('checks the sharing section and reads the key without printing it', async () => {
    const check = await cli('policy', 'check');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('2 group(s)');
    const show = await cli('policy', 'show');
    expect(show.stdout).toContain('g1  "Energy ISAC"  policy=isac revision=1 ceiling=amber');
    expect(check.stdout + show.stdout).not.toContain(MASTER_SECRET);
  });
});
