import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import jwt from 'jsonwebtoken';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../src/auth/authenticator.js';
import { ensureSecretFile, loadVerificationKeys } from '../../../src/auth/key-files.js';
import { runCli } from '../../../src/cli/main.js';
import type { CliContext } from '../../../src/cli/context.js';
import { runToken, TOKEN_USAGE } from '../../../src/cli/commands/token.js';
import { loadConfig } from '../../../src/config/index.js';
import { BadRequestError } from '../../../src/errors.js';
import { openStore } from '../../../src/store/open-store.js';
import { generateEcKeys, generateRsaKeys } from '../../support/tokens.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stixgate-token-cli-'));
  // What the server's first start (or `stixgate keys init`) leaves in DATA_DIR.
  ensureSecretFile(join(dir, 'data', 'jwt-secret'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
}

async function cli(argv: string[], env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const ctx: CliContext = {
    env: { DATA_DIR: join(dir, 'data'), ...env },
    stdout,
    stderr,
    cwd: dir,
  };
  const code = await runToken(argv, ctx);
  return { code, stdout: out(), stderr: err() };
}

function authenticatorFor(env: Record<string, string> = {}) {
  const config = loadConfig({ DATA_DIR: join(dir, 'data'), ...env });
  return openStore({ dataDir: config.dataDir }).then((store) => ({
    store,
    authenticator: createAuthenticator({
      keys: loadVerificationKeys(config.auth, config.dataDir).keys,
      auth: config.auth,
      revocations: store,
    }),
  }));
}

describe('stixgate token issue', () => {
  it('never creates the secret: without it, says where it looked and how to create it', async () => {
    rmSync(join(dir, 'data', 'jwt-secret'));
    await expect(cli(['issue', '--sub', 'acme', '--role', 'analyst'])).rejects.toThrow(
      /no JWT secret at .*jwt-secret: run this from the directory the server runs in.*stixgate keys init/,
    );
    expect(() => statSync(join(dir, 'data', 'jwt-secret'))).toThrow();
    const sink = new PassThrough();
    const out = collect(sink);
    const code = await runCli(['keys', 'init'], {
      env: { DATA_DIR: join(dir, 'data') },
      stdout: sink,
      stderr: sink,
      cwd: dir,
    });
    expect(code).toBe(0);
    expect(out()).toMatch(/^created +JWT signing secret +.*jwt-secret$/m);
    expect((await cli(['issue', '--sub', 'acme', '--role', 'analyst'])).code).toBe(0);
  });

  it('answers --help on every subcommand', async () => {
    for (const sub of ['issue', 'revoke', 'list-revoked']) {
      const result = await cli([sub, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('stixgate token issue --sub NAME');
    }
  });

  it('prints only a token the server accepts, signed with the data-dir secret', async () => {
    const result = await cli([
      'issue',
      '--sub',
      'acme',
      '--role',
      'partner',
      '--group',
      'fin',
      '--group',
      'energy',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const jti = (jwt.decode(result.stdout.trim()) as jwt.JwtPayload).jti!;
    expect(result.stderr).toContain(`jti ${jti}, expires `);
    expect(statSync(join(dir, 'data', 'jwt-secret')).mode & 0o777).toBe(0o600);
    const { store, authenticator } = await authenticatorFor();
    try {
      const principal = await authenticator.authenticate({
        authorization: `Bearer ${result.stdout.trim()}`,
      });
      expect(principal).toMatchObject({
        subject: 'acme',
        role: 'partner',
        groups: ['fin', 'energy'],
      });
    } finally {
      await store.close();
    }
  });

  it('sets the lifetime from --expires', async () => {
    const { stdout } = await cli(['issue', '--sub', 'a', '--role', 'admin', '--expires', '12h']);
    const claims = jwt.decode(stdout.trim()) as jwt.JwtPayload;
    expect(claims.exp! - claims.iat!).toBe(43_200);
    expect(claims).toMatchObject({ iss: 'stixgate', aud: 'stixgate', role: 'admin', groups: [] });
    expect(typeof claims.jti).toBe('string');
  });

  it('refuses an unknown role', async () => {
    await expect(cli(['issue', '--sub', 'a', '--role', 'root'])).rejects.toThrow(BadRequestError);
  });

  it('refuses a missing --sub', async () => {
    await expect(cli(['issue', '--role', 'admin'])).rejects.toThrow('--sub is required');
  });

  it('refuses unknown options', async () => {
    await expect(cli(['issue', '--sub', 'a', '--role', 'admin', '--alg', 'none'])).rejects.toThrow(
      BadRequestError,
    );
  });

  it('signs RS256 with --key and takes the kid from the JWKS', async () => {
    const a = generateRsaKeys('key-a');
    const b = generateEcKeys('key-b');
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [a.jwk, b.jwk] }));
    writeFileSync(join(dir, 'b.pem'), b.privateKeyPem);
    const env = { STIXGATE_JWT_PUBLIC_KEY_FILE: join(dir, 'jwks.json') };
    const { stdout, code } = await cli(
      ['issue', '--sub', 'x', '--role', 'analyst', '--key', 'b.pem'],
      env,
    );
    expect(code).toBe(0);
    expect(jwt.decode(stdout.trim(), { complete: true })?.header).toMatchObject({
      alg: 'ES256',
      kid: 'key-b',
    });
    const { store, authenticator } = await authenticatorFor(env);
    try {
      await expect(
        authenticator.authenticate({ authorization: `Bearer ${stdout.trim()}` }),
      ).resolves.toMatchObject({
        subject: 'x',
      });
    } finally {
      await store.close();
    }
  });

  it('refuses a --key the server does not know', async () => {
    writeFileSync(join(dir, 'idp.pem'), generateRsaKeys().publicKeyPem);
    writeFileSync(join(dir, 'other.pem'), generateRsaKeys().privateKeyPem);
    await expect(
      cli(['issue', '--sub', 'x', '--role', 'admin', '--key', 'other.pem'], {
        STIXGATE_JWT_PUBLIC_KEY_FILE: join(dir, 'idp.pem'),
      }),
    ).rejects.toThrow(/not the private half/);
  });

  it('asks for --key when the server verifies with a public key', async () => {
    writeFileSync(join(dir, 'idp.pem'), generateRsaKeys().publicKeyPem);
    await expect(
      cli(['issue', '--sub', 'x', '--role', 'admin'], {
        STIXGATE_JWT_PUBLIC_KEY_FILE: join(dir, 'idp.pem'),
      }),
    ).rejects.toThrow(/--key/);
  });
});

describe('stixgate token revoke / list-revoked', () => {
  it('revokes a token so that the server refuses it, and audits the revocation', async () => {
    const { stdout } = await cli(['issue', '--sub', 'leaky', '--role', 'analyst']);
    const token = stdout.trim();
    const jti = (jwt.decode(token) as jwt.JwtPayload).jti!;
    const revoked = await cli(['revoke', jti, '--reason', 'laptop stolen']);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe('');
    const list = await cli(['list-revoked']);
    expect(list.stdout).toMatch(
      new RegExp(`^${jti}\\t\\d{4}-\\d\\d-\\d\\dT[^\\t]+\\tlaptop stolen\\n$`),
    );
    const { store, authenticator } = await authenticatorFor();
    try {
      await expect(
        authenticator.authenticate({ authorization: `Bearer ${token}` }),
      ).rejects.toThrow('invalid token');
      const audit = await store.queryAudit({ action: 'token.revoke', limit: 10 });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ role: 'admin', details: { jti, reason: 'laptop stolen' } });
    } finally {
      await store.close();
    }
  });

  it('lists as JSON', async () => {
    await cli(['revoke', 'jti-1']);
    const { stdout } = await cli(['list-revoked', '--json']);
    expect(JSON.parse(stdout)).toEqual([
      { jti: 'jti-1', revokedAt: expect.stringMatching(/Z$/) as unknown },
    ]);
  });

  it('refuses revoke without a jti', async () => {
    await expect(cli(['revoke'])).rejects.toThrow(BadRequestError);
  });
});

describe('stixgate token', () => {
  it('prints usage', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${TOKEN_USAGE}\n`);
  });

  it('refuses an unknown subcommand', async () => {
    expect((await cli(['mint'])).code).toBe(2);
  });
});
